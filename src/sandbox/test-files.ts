/**
 * Which project files are test files (DESIGN.md §7): the files Node 20's `node --test` finds when it is given
 * no arguments, found in-app and passed explicitly to every sandbox so that every sandbox runs the same tests.
 *
 * Node 20 does NOT use the glob patterns that Node ≥21's documentation lists (`**\/*.test.{cjs,mjs,js}`, …).
 * Its runner walks the working directory and uses the rule of its own documentation ("Test runner execution
 * model", v20) and source (`kTestFilePattern` in `internal/test_runner/utils`), checked on Node 20.20.2:
 * - a directory named `node_modules` is skipped, at any depth;
 * - under a directory named `test` (at any depth), every `.js/.cjs/.mjs` file is a test file;
 * - elsewhere a file is a test file when its base name matches `^test(-.+)?\.[cm]?js$` or
 *   `^.+[.\-_]test\.[cm]?js$` (case-sensitive; dot files count; `-test.js`, `test-.js` and `.test.js` do not,
 *   which is where the globs of newer Nodes differ).
 * The same rule applies to `.ts/.mts/.cts/.tsx/.jsx`, which the Node and worker sandboxes run after in-app
 * stripping. Declaration files (`.d.ts`) are never test files: they hold no code to run.
 */

const JS_EXTENSION = /\.[cm]?js$/;
const STRIPPED_EXTENSION = /\.(?:[cm]?ts|tsx|jsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const TEST_NAME_STEM = /^(?:test(?:-.+)?|.+[.\-_]test)$/;

/** The extension this module treats as runnable, or null (`.js/.cjs/.mjs` and the stripped ones). */
function runnableExtension(name: string): string | null {
  if (DECLARATION.test(name)) return null;
  const match = JS_EXTENSION.exec(name) ?? STRIPPED_EXTENSION.exec(name);
  return match ? match[0] : null;
}

/** Whether one project path (relative, POSIX) is a test file by Node 20's rule. */
export function isTestFile(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1] ?? '';
  const directories = segments.slice(0, -1);
  if (directories.includes('node_modules')) return false;
  const extension = runnableExtension(name);
  if (extension === null) return false;
  if (directories.includes('test')) return true;
  return TEST_NAME_STEM.test(name.slice(0, -extension.length));
}

/** Code-unit order, as Node sorts its list (so the order of runs and reports matches `node --test`). */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The test files among `paths`, without duplicates, sorted as Node sorts them. */
export function findTestFiles(paths: string[]): string[] {
  return [...new Set(paths.filter(isTestFile))].sort(byCodeUnit);
}
