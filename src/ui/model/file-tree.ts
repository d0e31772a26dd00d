/**
 * The file tree's rows (DESIGN.md §9: tree "Files", one treeitem per file named by its full path, folders
 * ending with "/"). Built as a flat list of visible rows so that the view can render all of them (up to 200
 * files) or only the visible window (past that) with the same code.
 */

export interface TreeRow {
  /** Full path; a folder's ends with "/". Also the treeitem's accessible name. */
  path: string;
  /** The last segment, what the row shows. */
  name: string;
  /** 1-based, for aria-level. */
  level: number;
  folder: boolean;
  /** Folders only. */
  expanded: boolean;
  /** 1-based position among its siblings and their count, for aria-posinset / aria-setsize. */
  position: number;
  siblings: number;
  /** Folder path ("" for the root) the row sits in. */
  parent: string;
}

interface Node {
  name: string;
  path: string;
  folder: boolean;
  children: Map<string, Node>;
}

function newFolder(name: string, path: string): Node {
  return { name, path, folder: true, children: new Map() };
}

/** Folders first, then files, each by name in a natural order (file2 before file10). */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
function compareNodes(a: Node, b: Node): number {
  if (a.folder !== b.folder) return a.folder ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function buildTree(paths: readonly string[]): Node {
  const root = newFolder('', '');
  for (const path of paths) {
    const segments = path.split('/');
    let node = root;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const key = last ? `f:${segment}` : `d:${segment}`;
      let child = node.children.get(key);
      if (!child) {
        const childPath = segments.slice(0, i + 1).join('/') + (last ? '' : '/');
        child = last ? { name: segment, path: childPath, folder: false, children: new Map() } : newFolder(segment, childPath);
        node.children.set(key, child);
      }
      node = child;
    });
  }
  return root;
}

/**
 * The rows shown, depth first, skipping the contents of collapsed folders. Every folder is expanded unless
 * it is in `collapsed`.
 */
export function visibleRows(paths: readonly string[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: Node, level: number): void => {
    const children = [...node.children.values()].sort(compareNodes);
    children.forEach((child, i) => {
      const expanded = child.folder && !collapsed.has(child.path);
      rows.push({
        path: child.path,
        name: child.name,
        level,
        folder: child.folder,
        expanded,
        position: i + 1,
        siblings: children.length,
        parent: node.path,
      });
      if (expanded) walk(child, level + 1);
    });
  };
  walk(buildTree(paths), 1);
  return rows;
}

/** Files up to this count are all in the DOM; past it the tree renders only the rows in view. */
export const TREE_VIRTUALISE_AFTER = 200;
