/**
 * UI components in the browser test page (`harness.ui`): the file tree mounted with N generated files, so
 * a spec can check the tree's DOM (all rows up to 200 files, a window of rows past that) and its keyboard.
 */
import { mount, unmount } from 'svelte';
import FileTree from '../../src/ui/components/FileTree.svelte';
import '../../src/ui/styles/app.css';
import type { FileEntry } from '../../src/store/types.ts';

let mounted: ReturnType<typeof mount> | null = null;
const opened: string[] = [];

/** `count` files spread over nested folders, in the shape of a generated project. */
function generatedPaths(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `src/module-${Math.floor(i / 25)}/part-${i % 5}/file-${i}.js`);
}

function mountTree(count: number): { paths: string[] } {
  if (mounted) void unmount(mounted);
  document.getElementById('ui-host')?.remove();
  const host = document.createElement('div');
  host.id = 'ui-host';
  host.style.cssText = 'height: 600px; width: 340px; display: flex; flex-direction: column;';
  document.body.append(host);
  const paths = generatedPaths(count);
  const files: FileEntry[] = paths.map((path, i) => ({ path, hash: String(i).padStart(64, '0'), version: 1, bytes: 10, lines: 1 }));
  opened.length = 0;
  mounted = mount(FileTree, {
    target: host,
    props: { files, changed: new Map([[paths[0]!, 'added' as const]]), selected: null, onOpen: (path: string) => opened.push(path) },
  });
  return { paths };
}

window.harness.ui = { mountTree, opened: () => [...opened] };
