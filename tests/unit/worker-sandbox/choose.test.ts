import { describe, expect, test, vi } from 'vitest';
import { AbortError, SandboxUnavailableError } from '../../../src/errors.ts';
import { chooseSandbox, SandboxSelector, type SandboxChoiceState } from '../../../src/sandbox/choose.ts';
import type { Sandbox, SandboxKind } from '../../../src/sandbox/types.ts';

function fakeSandbox(kind: SandboxKind): Sandbox & { disposed: boolean } {
  const sandbox = {
    kind,
    disposed: false,
    status: { kind, state: 'ready' as const },
    onStatus: () => () => undefined,
    sync: async () => undefined,
    checkSyntax: async () => ({ issues: [] }),
    runTests: async () => ({ passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 0 }),
    runFile: async () => ({ output: '', exitCode: 0, timedOut: false }),
    dispose: async () => {
      sandbox.disposed = true;
    },
  };
  return sandbox;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const never = () => new Promise<Sandbox>(() => undefined);

describe('chooseSandbox', () => {
  test('Worker only never touches WebContainer', async () => {
    const webContainer = vi.fn(never);
    const states: SandboxChoiceState[] = [];
    const chosen = await chooseSandbox({ choice: 'worker', worker: async () => fakeSandbox('worker'), webContainer, bootTimeoutMs: 1000, onState: (s) => states.push(s) });
    expect(chosen.sandbox.kind).toBe('worker');
    expect(webContainer).not.toHaveBeenCalled();
    expect(states).toEqual([{ choice: 'worker', phase: 'ready', active: 'worker', text: expect.stringMatching(/Worker sandbox \(chosen: Worker only\)/) }]);
  });

  test('Automatic takes WebContainer when it boots in time', async () => {
    const states: SandboxChoiceState[] = [];
    const worker = vi.fn(async () => fakeSandbox('worker'));
    const chosen = await chooseSandbox({ choice: 'auto', worker, webContainer: async () => fakeSandbox('webcontainer'), bootTimeoutMs: 60_000, onState: (s) => states.push(s) });
    expect(chosen.sandbox.kind).toBe('webcontainer');
    expect(worker).not.toHaveBeenCalled();
    expect(states.map((s) => [s.phase, s.active])).toEqual([
      ['booting', null],
      ['ready', 'webcontainer'],
    ]);
    expect(states[0]?.text).toMatch(/Starting WebContainer \(up to 60 s\); the worker sandbox takes over/);
    expect(chosen.reason).toMatch(/WebContainer \(full Node\.js\), chosen automatically/);
  });

  test('Automatic falls back to the worker when WebContainer never settles, and says why', async () => {
    const chosen = await chooseSandbox({ choice: 'auto', worker: async () => fakeSandbox('worker'), webContainer: never, bootTimeoutMs: 20 });
    expect(chosen.sandbox.kind).toBe('worker');
    expect(chosen.reason).toMatch(/^Worker sandbox, chosen automatically: WebContainer did not start within 20 ms \(offline, or its hosts are blocked\)/);
    expect(chosen.webContainerFailure).toMatch(/did not start within/);
  });

  test('Automatic falls back when WebContainer fails to boot', async () => {
    const chosen = await chooseSandbox({ choice: 'auto', worker: async () => fakeSandbox('worker'), webContainer: () => Promise.reject(new Error('iframe blocked')), bootTimeoutMs: 60_000 });
    expect(chosen.sandbox.kind).toBe('worker');
    expect(chosen.reason).toMatch(/WebContainer could not start: iframe blocked/);
  });

  test('WebContainer only fails with the reason and what else to choose', async () => {
    const states: SandboxChoiceState[] = [];
    const worker = vi.fn(async () => fakeSandbox('worker'));
    const error = await chooseSandbox({ choice: 'webcontainer', worker, webContainer: never, bootTimeoutMs: 10, onState: (s) => states.push(s) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect((error as Error).message).toMatch(/WebContainer is unavailable: WebContainer did not start.*Choose Automatic or Worker only/);
    expect(worker).not.toHaveBeenCalled();
    expect(states.at(-1)).toMatchObject({ phase: 'unavailable', active: null });
  });

  test('a cancelled boot rejects with the abort, not a fallback', async () => {
    const controller = new AbortController();
    const pending = chooseSandbox({ choice: 'auto', worker: async () => fakeSandbox('worker'), webContainer: never, bootTimeoutMs: 60_000, signal: controller.signal });
    controller.abort(new AbortError());
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe('SandboxSelector (one per page)', () => {
  test('nothing starts when it is created (page load); each kind is made once and reused', async () => {
    const worker = vi.fn(async () => fakeSandbox('worker'));
    const webContainer = vi.fn(async () => fakeSandbox('webcontainer'));
    const selector = new SandboxSelector({ worker, webContainer }, { bootTimeoutMs: 1000 });
    expect(worker).not.toHaveBeenCalled();
    expect(webContainer).not.toHaveBeenCalled();
    expect(selector.state).toMatchObject({ choice: 'auto', phase: 'idle', active: null, text: expect.stringMatching(/starts at the first run/) });
    const first = await selector.select('worker');
    const second = await selector.select('worker');
    expect(second.sandbox).toBe(first.sandbox);
    expect(worker).toHaveBeenCalledTimes(1);
    const full = await selector.select('webcontainer');
    expect(full.sandbox.kind).toBe('webcontainer');
    await selector.select('auto');
    expect(webContainer).toHaveBeenCalledTimes(1);
  });

  test('after a boot time-out WebContainer is never booted again in the page; a late one is disposed', async () => {
    const late = deferred<Sandbox>();
    const webContainer = vi.fn(() => late.promise);
    const selector = new SandboxSelector({ worker: async () => fakeSandbox('worker'), webContainer }, { bootTimeoutMs: 20 });
    const states: SandboxChoiceState[] = [];
    selector.onState((s) => states.push(s));
    expect((await selector.select('auto')).sandbox.kind).toBe('worker');
    const again = await selector.select('auto');
    expect(again.sandbox.kind).toBe('worker');
    expect(again.reason).toMatch(/did not start within/);
    await expect(selector.select('webcontainer')).rejects.toThrow(/WebContainer is unavailable: WebContainer did not start/);
    expect(webContainer).toHaveBeenCalledTimes(1);
    expect(states.filter((s) => s.phase === 'booting')).toHaveLength(1);
    const arrived = fakeSandbox('webcontainer');
    late.resolve(arrived);
    await vi.waitFor(() => expect(arrived.disposed).toBe(true));
  });

  test('a changed choice is shown without starting anything; dispose disposes what was made', async () => {
    const made = fakeSandbox('worker');
    const selector = new SandboxSelector({ worker: async () => made, webContainer: never }, { bootTimeoutMs: 1000, choice: 'worker' });
    selector.setChoice('webcontainer');
    expect(selector.state).toMatchObject({ choice: 'webcontainer', phase: 'idle', text: expect.stringMatching(/^WebContainer only:/) });
    await selector.select('worker');
    await selector.dispose();
    expect(made.disposed).toBe(true);
  });
});
