/**
 * Figure 7 (tree): the app's file tree component mounted in the page with a run's files, timed to the
 * end of layout and to the next frame. The component is found by glob, so a renamed or removed component
 * gives "not measured" instead of breaking the harness build.
 */
import { flushSync, mount, unmount, type Component } from 'svelte';
import type { FileEntry } from '../../src/store/types.ts';
import { projectPath } from '../core/project.ts';

const components = import.meta.glob<{ default: Component<Record<string, unknown>> }>('../../src/ui/components/FileTree.svelte');

export type TreeRenderResult =
  | { measured: true; files: number; mountMs: number; frameMs: number; treeItemsInDom: number }
  | { measured: false; reason: string };

function entries(files: number): FileEntry[] {
  return Array.from({ length: files }, (_, i) => ({ path: projectPath(i), hash: i.toString(16).padStart(64, '0'), version: 1, bytes: 2000, lines: 100 }));
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
}

export async function treeRender(files: number): Promise<TreeRenderResult> {
  const load = Object.values(components)[0];
  if (!load) return { measured: false, reason: 'src/ui/components/FileTree.svelte was not found' };
  let FileTree: Component<Record<string, unknown>>;
  try {
    FileTree = (await load()).default;
  } catch (error) {
    return { measured: false, reason: `FileTree.svelte did not load: ${String(error)}` };
  }
  const host = document.createElement('div');
  host.style.cssText = 'height: 800px; width: 360px; display: flex; flex-direction: column;';
  document.body.append(host);
  const props = { files: entries(files), changed: new Map(), selected: null, onOpen: () => undefined };
  let instance: ReturnType<typeof mount> | null = null;
  try {
    const started = performance.now();
    instance = mount(FileTree, { target: host, props });
    flushSync();
    void host.offsetHeight;
    const mountMs = performance.now() - started;
    const frameMs = (await nextFrame()) - started;
    const treeItemsInDom = host.querySelectorAll('[role="treeitem"]').length;
    if (treeItemsInDom === 0) return { measured: false, reason: 'FileTree rendered no treeitem with these props (its props may have changed)' };
    return { measured: true, files, mountMs, frameMs, treeItemsInDom };
  } catch (error) {
    return { measured: false, reason: `FileTree did not mount: ${String(error)}` };
  } finally {
    if (instance) unmount(instance);
    host.remove();
  }
}
