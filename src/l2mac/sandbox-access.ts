/**
 * The run's view of its sandbox: the one given, or one made by the factory for this drive. It gets every
 * file once, then only the paths changed since (DESIGN.md §7), and forwards the sandbox's status as
 * transient events.
 */
import type { ExecOptions, Sandbox, SandboxFactory, SandboxKind, SandboxStatus } from '../sandbox/types.ts';
import type { Workspace } from './workspace.ts';

export class SandboxAccess {
  private synced = false;
  private unsubscribe: (() => void) | null = null;

  private constructor(
    readonly sandbox: Sandbox | null,
    private readonly owned: boolean,
  ) {}

  /** No sandbox: files are syntax-checked in-app, but nothing runs. */
  static none(): SandboxAccess {
    return new SandboxAccess(null, false);
  }

  /** The given sandbox, or one made by `factory` (disposed when the drive ends). */
  static async open(
    given: Sandbox | undefined,
    factory: SandboxFactory | undefined,
    onStatus: (status: SandboxStatus) => void,
  ): Promise<SandboxAccess> {
    const sandbox = given ?? (factory ? await factory() : null);
    const access = new SandboxAccess(sandbox, !given && sandbox !== null);
    if (sandbox) {
      access.unsubscribe = sandbox.onStatus(onStatus);
      onStatus(sandbox.status);
    }
    return access;
  }

  get kind(): SandboxKind | null {
    return this.sandbox?.kind ?? null;
  }

  /** The sandbox with the workspace's current files, or null when there is none. */
  async ready(workspace: Workspace, options: ExecOptions): Promise<Sandbox | null> {
    if (!this.sandbox) return null;
    const changes = this.synced
      ? workspace.takeUnsynced()
      : (workspace.takeUnsynced(), workspace.paths().map((path) => ({ path, content: workspace.read(path) ?? null })));
    try {
      if (changes.length || !this.synced) await this.sandbox.sync(changes, options);
      this.synced = true;
    } catch (error) {
      // A sync cut short leaves the sandbox's copy unknown: send everything next time.
      this.synced = false;
      throw error;
    }
    return this.sandbox;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.owned) await this.sandbox?.dispose();
  }
}
