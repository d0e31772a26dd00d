/**
 * The sandbox of each drive (DESIGN.md §7): a fresh sandbox per drive, made by the user's choice through
 * `chooseSandbox` (Automatic / Worker only / WebContainer only). The WebContainer itself boots at most once
 * per page (its boot lock); a page that gave up on it goes straight to the worker under "Automatic". The
 * latest choice state is published for the UI, which always shows the active sandbox.
 */
import type { SandboxChoiceState } from '../sandbox/choose.ts';
import type { SandboxChoice, SandboxFactory } from '../sandbox/types.ts';
import type { ServerPreview } from '../sandbox/webcontainer.ts';
import { checkWebContainerSupport, pageBootTimeoutMs, readSupportEnvironment } from '../sandbox/webcontainer-support.ts';

export class PageSandboxes {
  private webContainerFailure: string | undefined;
  private readonly stateListeners = new Set<(state: SandboxChoiceState) => void>();
  private readonly previewListeners = new Set<(preview: ServerPreview | null) => void>();
  state: SandboxChoiceState | null = null;

  /** Why WebContainer cannot run in this page at all, checked without booting; null when it might. */
  webContainerProblem(): string | null {
    if (this.webContainerFailure) return this.webContainerFailure;
    const support = checkWebContainerSupport(readSupportEnvironment());
    return support.supported ? null : support.reason;
  }

  onState(listener: (state: SandboxChoiceState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The URL of a server the generated project started (WebContainer's `server-ready`), or null. */
  onPreview(listener: (preview: ServerPreview | null) => void): () => void {
    this.previewListeners.add(listener);
    return () => this.previewListeners.delete(listener);
  }

  factory(choice: SandboxChoice): SandboxFactory {
    return async () => {
      const problem = this.webContainerProblem();
      // The sandboxes load with the first run that needs one, not with the page.
      const { chooseSandbox, WebContainerChoiceError } = await import('../sandbox/choose.ts');
      const chosen = await chooseSandbox({
        choice,
        worker: async () => new (await import('../sandbox/worker-sandbox.ts')).WorkerSandbox(),
        webContainer: async () =>
          (await import('../sandbox/webcontainer.ts')).createWebContainerSandbox({
            onCreated: (sandbox) => sandbox.onServerReady((preview) => this.publishPreview(preview)),
          }),
        bootTimeoutMs: pageBootTimeoutMs(),
        ...(problem ? { webContainerUnavailable: problem } : {}),
        onState: (state) => this.publishState(state),
      }).catch((error: unknown) => {
        if (error instanceof WebContainerChoiceError) this.webContainerFailure ??= error.reason;
        throw error;
      });
      if (chosen.webContainerFailure) this.webContainerFailure = chosen.webContainerFailure;
      return chosen.sandbox;
    };
  }

  private publishState(state: SandboxChoiceState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private publishPreview(preview: ServerPreview | null): void {
    for (const listener of this.previewListeners) listener(preview);
  }
}
