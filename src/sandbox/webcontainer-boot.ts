/**
 * The one WebContainer of a page (DESIGN.md §7). WebContainer allows a single instance per page and its
 * `boot()` is globally locked: offline it never settles, and a later `boot()` would only queue behind the
 * hung one. So every boot goes through one lock with a timeout, and once a boot has failed or timed out the
 * page never boots again: every later request gets the same "unavailable" answer at once.
 *
 * Sandboxes share the instance: whoever acquires it last owns the working directory, and a sandbox that
 * finds it has lost ownership (or that the instance was replaced) mounts its files again.
 */
import { SandboxUnavailableError, errorMessage } from '../errors.ts';
import type { WcBootOptions, WcClass, WcInstance, WebContainerCoep } from './webcontainer-api.ts';
import { webContainerDiagnostic, type UnavailableCode } from './webcontainer-support.ts';

/** A `SandboxUnavailableError` that says which check or step failed. */
export class WebContainerUnavailableError extends SandboxUnavailableError {
  constructor(
    message: string,
    readonly reason: UnavailableCode,
  ) {
    super(message);
  }
}

export interface BootParams {
  /** Resolved only when a boot really happens (finding the page's COEP costs a request). */
  coep: WebContainerCoep | (() => Promise<WebContainerCoep>);
  timeoutMs: number;
  loadClass: () => Promise<WcClass>;
  workdirName?: string;
}

export interface Acquired {
  instance: WcInstance;
  /**
   * True when this owner held this same instance last and nobody took it in between: its files are still
   * there. False means: mount everything again.
   */
  continuing: boolean;
  /** True when the instance was booted for this call (its working directory is empty). */
  fresh: boolean;
}

class BootTimeout extends Error {}
class LoadFailure extends Error {}

export class WebContainerBootLock {
  #instance: WcInstance | null = null;
  #booting: Promise<WcInstance> | null = null;
  #failure: WebContainerUnavailableError | null = null;
  #owner: object | null = null;
  #ownerInstance: WcInstance | null = null;
  #attempts = 0;
  #lastBootOptions: WcBootOptions | null = null;

  /** How many times `boot()` of the WebContainer class was called in this page. */
  get attempts(): number {
    return this.#attempts;
  }

  get lastBootOptions(): WcBootOptions | null {
    return this.#lastBootOptions;
  }

  /** Set once a boot failed or timed out: the page will not boot again. */
  get failure(): WebContainerUnavailableError | null {
    return this.#failure;
  }

  get booted(): boolean {
    return this.#instance !== null;
  }

  /** The instance for `owner`, booting it first when there is none. Rejects with the page's failure. */
  async acquire(owner: object, params: BootParams): Promise<Acquired> {
    if (this.#failure) throw this.#failure;
    let fresh = false;
    let instance = this.#instance;
    if (!instance) {
      const booting = this.#booting ?? this.#boot(params);
      instance = await booting;
      fresh = this.#ownerInstance !== instance;
    }
    const continuing = this.#owner === owner && this.#ownerInstance === instance;
    this.#owner = owner;
    this.#ownerInstance = instance;
    return { instance, continuing, fresh: fresh && !continuing };
  }

  /** Whether `owner` acquired the current instance last (its files are there). */
  holds(owner: object): boolean {
    return this.#instance !== null && this.#owner === owner && this.#ownerInstance === this.#instance;
  }

  /** The owner stops using the instance (it stays booted for the next sandbox of the page). */
  release(owner: object): void {
    if (this.#owner === owner) this.#owner = null;
  }

  /** Tears the instance down (the watchdog's last resort); the next `acquire` boots a new one. */
  teardown(instance: WcInstance): void {
    if (this.#instance !== instance) return;
    this.#instance = null;
    this.#owner = null;
    this.#ownerInstance = null;
    try {
      instance.teardown();
    } catch {
      // A teardown that throws has nothing left to release; the instance is forgotten either way.
    }
  }

  #boot(params: BootParams): Promise<WcInstance> {
    const booting = this.#bootWithTimeout(params).then(
      (instance) => {
        this.#instance = instance;
        return instance;
      },
      (error: unknown) => {
        this.#failure = classifyBootFailure(error, params.timeoutMs);
        throw this.#failure;
      },
    );
    this.#booting = booting;
    void booting.then(
      () => (this.#booting = null),
      () => (this.#booting = null),
    );
    return booting;
  }

  async #bootWithTimeout(params: BootParams): Promise<WcInstance> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new BootTimeout());
      }, params.timeoutMs);
    });
    try {
      const loading = params.loadClass().catch((error: unknown) => {
        throw new LoadFailure(errorMessage(error));
      });
      const webContainer = await Promise.race([loading, timeout]);
      const coep = typeof params.coep === 'string' ? params.coep : await Promise.race([params.coep(), timeout]);
      const options: WcBootOptions = { coep };
      if (params.workdirName) options.workdirName = params.workdirName;
      this.#attempts += 1;
      this.#lastBootOptions = options;
      const boot = webContainer.boot(options);
      // A boot that finishes after we gave up is released at once: this page has declared it unavailable.
      void boot.then(
        (late) => {
          if (timedOut) late.teardown();
        },
        () => undefined,
      );
      return await Promise.race([boot, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function classifyBootFailure(error: unknown, timeoutMs: number): WebContainerUnavailableError {
  if (error instanceof WebContainerUnavailableError) return error;
  if (error instanceof BootTimeout) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    return new WebContainerUnavailableError(
      `WebContainer did not start within ${seconds} s (offline, or its hosts are blocked). ${webContainerDiagnostic()}`,
      'boot-timeout',
    );
  }
  if (error instanceof LoadFailure) {
    return new WebContainerUnavailableError(
      `The WebContainer module could not be loaded (${error.message}); the app may be offline.`,
      'load-failed',
    );
  }
  return new WebContainerUnavailableError(
    `WebContainer failed to start: ${errorMessage(error)}. ${webContainerDiagnostic()}`,
    'boot-failed',
  );
}

/** The page's lock: one WebContainer per page (CONVENTIONS.md allows this one global). */
export const pageBootLock = new WebContainerBootLock();
