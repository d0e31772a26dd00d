/**
 * The sandbox choice of DESIGN.md §7: "Automatic" (WebContainer when it boots in time, the worker sandbox
 * otherwise; the default), "Worker only", "WebContainer only". Nothing boots on page load: a sandbox is made
 * at the first run that needs execution (`SandboxSelector.select`), then kept for the page.
 *
 * WebContainer boots at most once per page: its `boot()` never settles offline, so a boot that misses its
 * time limit marks WebContainer unavailable for the rest of the page (a second boot would wait on the first
 * one forever); "Automatic" then goes straight to the worker, "WebContainer only" fails at once with the
 * reason. A WebContainer that arrives after its time limit is disposed.
 *
 * Every step is published as a `SandboxChoiceState` whose `text` says, in plain words, which sandbox is
 * active and why (the UI shows it; the prompts name the active sandbox).
 */
import { SandboxUnavailableError, errorMessage, throwIfAborted } from '../errors.ts';
import type { Sandbox, SandboxChoice, SandboxFactory, SandboxKind } from './types.ts';

export interface SandboxChoiceState {
  choice: SandboxChoice;
  phase: 'idle' | 'booting' | 'ready' | 'unavailable';
  /** The sandbox in use, once there is one. */
  active: SandboxKind | null;
  /** Plain text for the UI: which sandbox is active and why. */
  text: string;
  /** Set when "Automatic" fell back to the worker: why WebContainer is unavailable (shown with the status). */
  webContainerUnavailable?: string;
}

export interface ChosenSandbox {
  sandbox: Sandbox;
  /** Why this sandbox (the same words as the final state's text). */
  reason: string;
  /** Set when WebContainer was tried and did not start: why. */
  webContainerFailure?: string;
}

export interface ChooseOptions {
  choice: SandboxChoice;
  worker: SandboxFactory;
  webContainer: SandboxFactory;
  /** How long WebContainer may take to boot (it never settles offline). */
  bootTimeoutMs: number;
  /** WebContainer already failed in this page, for this reason: do not boot it again. */
  webContainerUnavailable?: string;
  signal?: AbortSignal;
  onState?: (state: SandboxChoiceState) => void;
}

/** WebContainer is unavailable (`reason` says why); `choice` tells the user what else to pick. */
export class WebContainerChoiceError extends SandboxUnavailableError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export const CHOICE_LABELS: Record<SandboxChoice, string> = {
  auto: 'Automatic',
  worker: 'Worker only',
  webcontainer: 'WebContainer only',
};

const WORKER_LIMITS = 'tests run in the browser without a network; packages, fs and child processes need WebContainer';

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Boots WebContainer with a time limit; rejects with the reason it is unavailable. */
async function bootWithin(factory: SandboxFactory, timeoutMs: number, signal?: AbortSignal): Promise<Sandbox> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const boot = factory();
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new SandboxUnavailableError(`WebContainer did not start within ${seconds(timeoutMs)} (offline, or its hosts are blocked)`));
    }, timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new SandboxUnavailableError('cancelled')), { once: true });
  });
  try {
    return await Promise.race([boot, limit, aborted]);
  } catch (error) {
    if (timedOut || signal?.aborted) void boot.then((late) => late.dispose(), () => undefined);
    if (error instanceof SandboxUnavailableError) throw error;
    throw new SandboxUnavailableError(`WebContainer could not start: ${errorMessage(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Makes the sandbox for a choice, publishing each step. One-shot: `SandboxSelector` keeps it per page. */
export async function chooseSandbox(options: ChooseOptions): Promise<ChosenSandbox> {
  const { choice } = options;
  const publish = (phase: SandboxChoiceState['phase'], active: SandboxKind | null, text: string, webContainerUnavailable?: string) =>
    options.onState?.({ choice, phase, active, text, ...(webContainerUnavailable === undefined ? {} : { webContainerUnavailable }) });
  throwIfAborted(options.signal);
  if (choice === 'worker') {
    const sandbox = await options.worker();
    const reason = `Worker sandbox (chosen: ${CHOICE_LABELS.worker}): ${WORKER_LIMITS}.`;
    publish('ready', 'worker', reason);
    return { sandbox, reason };
  }
  let failure = options.webContainerUnavailable;
  if (failure === undefined) {
    publish('booting', null, `Starting WebContainer (up to ${seconds(options.bootTimeoutMs)})${choice === 'auto' ? '; the worker sandbox takes over if it does not start' : ''}…`);
    try {
      const sandbox = await bootWithin(options.webContainer, options.bootTimeoutMs, options.signal);
      const reason = `WebContainer (full Node.js)${choice === 'auto' ? ', chosen automatically: it started in time' : ''}.`;
      publish('ready', 'webcontainer', reason);
      return { sandbox, reason };
    } catch (error) {
      throwIfAborted(options.signal);
      failure = errorMessage(error);
    }
  }
  if (choice === 'webcontainer') {
    const text = `WebContainer is unavailable: ${failure}. Choose ${CHOICE_LABELS.auto} or ${CHOICE_LABELS.worker} to run tests in the browser.`;
    publish('unavailable', null, text);
    throw new WebContainerChoiceError(text, failure);
  }
  const sandbox = await options.worker();
  const reason = `Worker sandbox, chosen automatically: ${failure}; ${WORKER_LIMITS}.`;
  publish('ready', 'worker', reason, failure);
  return { sandbox, reason, webContainerFailure: failure };
}

export interface SelectorFactories {
  worker: SandboxFactory;
  webContainer: SandboxFactory;
}

/**
 * The page's sandboxes: made on first use per kind, reused afterwards, WebContainer booted at most once.
 * `select(choice)` is what the control unit's sandbox access calls when a run first needs execution.
 */
export class SandboxSelector {
  private current: SandboxChoiceState;
  private readonly listeners = new Set<(state: SandboxChoiceState) => void>();
  private readonly made = new Map<SandboxKind, Promise<Sandbox>>();
  private webContainerFailure: string | null = null;

  constructor(
    private readonly factories: SelectorFactories,
    private readonly options: { bootTimeoutMs: number; choice?: SandboxChoice },
  ) {
    const choice = options.choice ?? 'auto';
    this.current = { choice, phase: 'idle', active: null, text: `${CHOICE_LABELS[choice]}: a sandbox starts at the first run that needs one.` };
  }

  get state(): SandboxChoiceState {
    return this.current;
  }

  onState(listener: (state: SandboxChoiceState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(state: SandboxChoiceState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }

  /** Shows a new choice (Settings, or the New run form) without starting anything. */
  setChoice(choice: SandboxChoice): void {
    if (choice === this.current.choice) return;
    this.publish({ choice, phase: 'idle', active: null, text: `${CHOICE_LABELS[choice]}: a sandbox starts at the first run that needs one.` });
  }

  private once(kind: SandboxKind, factory: SandboxFactory): SandboxFactory {
    return () => {
      let made = this.made.get(kind);
      if (!made) {
        made = factory();
        this.made.set(kind, made);
        // A worker that failed to start may start next time; WebContainer is never booted twice.
        if (kind === 'worker') made.catch(() => this.made.delete(kind));
      }
      return made;
    };
  }

  /** The sandbox for `choice`, made or booted now if needed. */
  async select(choice: SandboxChoice, signal?: AbortSignal): Promise<ChosenSandbox> {
    try {
      const chosen = await chooseSandbox({
        choice,
        worker: this.once('worker', this.factories.worker),
        webContainer: this.once('webcontainer', this.factories.webContainer),
        bootTimeoutMs: this.options.bootTimeoutMs,
        ...(this.webContainerFailure !== null ? { webContainerUnavailable: this.webContainerFailure } : {}),
        ...(signal ? { signal } : {}),
        onState: (state) => this.publish(state),
      });
      if (chosen.webContainerFailure !== undefined) this.webContainerFailure = chosen.webContainerFailure;
      return chosen;
    } catch (error) {
      if (error instanceof WebContainerChoiceError) this.webContainerFailure = error.reason;
      throw error;
    }
  }

  async dispose(): Promise<void> {
    const sandboxes = await Promise.allSettled([...this.made.values()]);
    this.made.clear();
    await Promise.all(sandboxes.map((result) => (result.status === 'fulfilled' ? result.value.dispose() : undefined)));
  }
}
