/**
 * Figure 5 (Monaco): the viewer's lazy load in the page, through the same loader the file viewer uses:
 * the dynamic import of Monaco, then a read-only editor on a 100-line file, until its lines are in the DOM.
 * Found by glob, so a moved loader gives "not measured" instead of breaking the harness build.
 */
import { moduleSource } from '../core/project.ts';

interface LoaderModule {
  loadMonaco(): Promise<{ editor: { create(host: HTMLElement, options: Record<string, unknown>): { dispose(): void } } }>;
  languageOf?(path: string): string;
}

const loaders = import.meta.glob<LoaderModule>('../../src/ui/monaco/load-monaco.ts');

export type MonacoLoadResult =
  | { measured: true; importMs: number; firstRenderMs: number; totalMs: number }
  | { measured: false; reason: string };

function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = performance.now();
    const poll = () => {
      if (condition()) resolve(true);
      else if (performance.now() - started > timeoutMs) resolve(false);
      else requestAnimationFrame(poll);
    };
    poll();
  });
}

export async function monacoLoad(): Promise<MonacoLoadResult> {
  const load = Object.values(loaders)[0];
  if (!load) return { measured: false, reason: 'src/ui/monaco/load-monaco.ts was not found' };
  const host = document.createElement('div');
  host.style.cssText = 'height: 600px; width: 800px;';
  document.body.append(host);
  try {
    const started = performance.now();
    const loader = await load();
    const monaco = await loader.loadMonaco();
    const imported = performance.now();
    const editor = monaco.editor.create(host, {
      value: moduleSource(1, 100),
      language: loader.languageOf?.('src/m1.js') ?? 'javascript',
      readOnly: true,
      automaticLayout: false,
    });
    const rendered = await waitFor(() => host.querySelectorAll('.view-line').length > 0, 30_000);
    const done = performance.now();
    editor.dispose();
    if (!rendered) return { measured: false, reason: 'the editor showed no line within 30 s' };
    return { measured: true, importMs: imported - started, firstRenderMs: done - imported, totalMs: done - started };
  } catch (error) {
    return { measured: false, reason: `Monaco did not load: ${String(error)}` };
  } finally {
    host.remove();
  }
}
