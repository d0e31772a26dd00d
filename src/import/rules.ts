/**
 * What an import leaves out, by name. Folders that are never source: installed dependencies (npm reinstalls
 * them from package.json), version-control data, and build output or caches that a build recreates. They
 * are matched at any depth (a monorepo has a `node_modules` per package). Names that are sometimes output
 * and sometimes source (`build`, `out`, `lib`, `target`, `vendor`) are kept: losing source is worse than
 * importing a few extra files, which the summary shows anyway.
 */

export type IgnoredKind = 'dependencies' | 'version control' | 'build output' | 'cache' | 'system metadata';

/** Folder name → why it is left out. */
export const IGNORED_FOLDERS: ReadonlyMap<string, IgnoredKind> = new Map<string, IgnoredKind>([
  ['node_modules', 'dependencies'],
  ['bower_components', 'dependencies'],
  ['jspm_packages', 'dependencies'],
  ['.pnpm-store', 'dependencies'],
  ['.venv', 'dependencies'],
  ['.git', 'version control'],
  ['.hg', 'version control'],
  ['.svn', 'version control'],
  ['.bzr', 'version control'],
  ['.jj', 'version control'],
  ['dist', 'build output'],
  ['.next', 'build output'],
  ['.nuxt', 'build output'],
  ['.svelte-kit', 'build output'],
  ['.output', 'build output'],
  ['.vercel', 'build output'],
  ['.netlify', 'build output'],
  ['.docusaurus', 'build output'],
  ['.angular', 'cache'],
  ['coverage', 'build output'],
  ['.nyc_output', 'build output'],
  ['.cache', 'cache'],
  ['.parcel-cache', 'cache'],
  ['.turbo', 'cache'],
  ['.vite', 'cache'],
  ['__pycache__', 'cache'],
  ['.pytest_cache', 'cache'],
  ['.mypy_cache', 'cache'],
  ['.tox', 'cache'],
  ['__MACOSX', 'system metadata'],
]);

/** File names that are system metadata, never project content. */
const METADATA_FILES: ReadonlySet<string> = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', 'ehthumbs.db', 'Icon\r']);

/** The ignored folder a path lies in (`packages/a/node_modules/`), or null. Checks every folder segment. */
export function ignoredFolderOf(path: string, ignored: ReadonlyMap<string, IgnoredKind> = IGNORED_FOLDERS): string | null {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    if (ignored.has(segments[i] ?? '')) return `${segments.slice(0, i + 1).join('/')}/`;
  }
  return null;
}

/**
 * Whether a file is system metadata: Finder and Explorer files, and macOS "AppleDouble" companions
 * (`._name`) that archivers add beside every file.
 */
export function isMetadataFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return METADATA_FILES.has(name) || name.startsWith('._');
}

/**
 * The single folder every path starts with (`my-app` for `my-app/src/a.js`, `my-app/README.md`), or null
 * when a file sits at the top or the paths start with different folders. Metadata folders (`__MACOSX`) and
 * files do not count: archivers add them beside the real content.
 */
export function commonRootFolder(paths: Iterable<string>): string | null {
  let root: string | null = null;
  let seen = false;
  for (const path of paths) {
    const slash = path.indexOf('/');
    const first = slash === -1 ? null : path.slice(0, slash);
    if (first === '__MACOSX' || (first === null && isMetadataFile(path))) continue;
    if (first === null || first === '') return null;
    if (root === null) root = first;
    else if (root !== first) return null;
    seen = true;
  }
  return seen ? root : null;
}
