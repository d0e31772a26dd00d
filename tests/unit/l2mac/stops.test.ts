import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadRequestError,
  ContextLengthError,
  ModelNotFoundError,
  NetworkError,
  QuotaError,
  RateLimitError,
  SandboxUnavailableError,
  ServerError,
  StorageQuotaError,
  StreamBrokenError,
  TimeoutError,
} from '../../../src/errors.ts';
import { classifyStop } from '../../../src/l2mac/stop.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import { RunLockedError } from '../../../src/l2mac/run-errors.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { FakeSandbox, hangUntilAborted as sandboxHang } from '../../support/fake-sandbox.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { faultyLlm, hangUntilAborted } from '../../support/fake-llm.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, oneStepTurns, settings, startRun, tickingClock, turn } from './harness.ts';

const program = settings({ promptProgram: ['Write add.js with tests.'] });

describe('which errors pause and which fail (DESIGN.md §4)', () => {
  const classify = (error: unknown, online?: boolean) => classifyStop(error, { requested: null, online });
  it.each([
    [new AuthError('401 Incorrect API key'), 'auth'],
    [new ModelNotFoundError('no such model'), 'model-not-found'],
    [new QuotaError('insufficient_quota'), 'quota'],
    [new StorageQuotaError('QuotaExceededError'), 'storage-quota'],
    [new RateLimitError('429'), 'retries-exhausted'],
    [new ServerError('502'), 'retries-exhausted'],
    [new NetworkError('fetch failed'), 'retries-exhausted'],
    [new StreamBrokenError('cut'), 'retries-exhausted'],
    [new TimeoutError('idle'), 'retries-exhausted'],
    [new ContextLengthError('too long'), 'context-too-small'],
    [new SandboxUnavailableError('boot timed out'), 'sandbox-unavailable'],
    [new BadRequestError('unsupported parameter'), 'bad-request'],
  ])('%s pauses with reason %s', (error, reason) => {
    expect(classify(error)).toMatchObject({ status: 'paused', pauseReason: reason });
  });

  it('a network failure while offline pauses with reason offline', () => {
    expect(classify(new NetworkError('fetch failed'), false)).toMatchObject({ status: 'paused', pauseReason: 'offline', reason: expect.stringContaining('back online') });
  });

  it('a user stop wins over the error the interrupted call ended with', () => {
    expect(classifyStop(new NetworkError('aborted'), { requested: 'pause', online: true })).toMatchObject({ status: 'paused', pauseReason: 'user' });
    expect(classifyStop(new NetworkError('aborted'), { requested: 'cancel', online: true })).toMatchObject({ status: 'cancelled' });
  });

  it('an internal error fails the run', () => {
    expect(classify(new TypeError('x is undefined'))).toMatchObject({ status: 'failed', reason: 'Internal error: x is undefined' });
  });
});

describe('stopping a run keeps its work', () => {
  it('an auth error pauses mid-run with every earlier turn kept; resume continues', async () => {
    const scenario = makeScenario(oneStepTurns());
    const scripted = new ScriptedLlm(scenario);
    const llm = faultyLlm(scripted, (r) => (r.meta.turn === 1 && r.meta.kind === 'step' ? new AuthError('401 Incorrect API key provided') : undefined));
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'auth' });
    expect(paused.statusReason).toContain('401 Incorrect API key provided');
    expect(Object.keys(await store.readAllFiles(paused.id))).toEqual(['add.js', 'add.test.js']);
    const run = await (await resumeRun(paused.id, { store, llm: new ScriptedLlm(scenario), sandboxFactory: createNodeSandbox })).done;
    expect(run.status).toBe('completed');
  });

  it('a storage quota error pauses with no partial turn: the turn is redone on resume', async () => {
    const scenario = makeScenario(oneStepTurns());
    const store = new MemoryStore({ now: tickingClock() });
    const commit = store.commitTurn.bind(store);
    let full = false;
    store.commitTurn = async (runId, turnCommit) => {
      if (full && turnCommit.changes.length) throw new StorageQuotaError('QuotaExceededError');
      return commit(runId, turnCommit);
    };
    full = true;
    const { handle } = await startRun(scenario, { store, sandboxFactory: createNodeSandbox, settings: program });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'storage-quota' });
    expect(await store.readAllFiles(paused.id)).toEqual({});
    expect((await store.listEvents(paused.id)).some((e) => e.type === 'llm-reply' && e.kind === 'step')).toBe(false);
    full = false;
    const llm = new ScriptedLlm(scenario);
    const run = await (await resumeRun(paused.id, { store, llm, sandboxFactory: createNodeSandbox })).done;
    expect(run.status).toBe('completed');
    expect(llm.requests[0]?.meta).toMatchObject({ kind: 'step', turn: 0 });
  });

  it('cancel stops the in-flight LLM call; the run ends cancelled with its files', async () => {
    const scenario = makeScenario(oneStepTurns());
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const llm = faultyLlm(new ScriptedLlm(scenario), (r, _i, options) => (r.meta.turn === 1 ? hangUntilAborted(options, started) : undefined));
    const controller = new AbortController();
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program, signal: controller.signal });
    await inFlight;
    controller.abort();
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'cancelled', statusReason: 'Cancelled by the user.' });
    expect(run.finishedAt).toBeTypeOf('number');
    expect(Object.keys(await store.readAllFiles(run.id))).toEqual(['add.js', 'add.test.js']);
    expect(await store.isLocked(run.id)).toBe(false);
    await expect(resumeRun(run.id, { store, llm })).rejects.toThrow(/cancelled; it cannot continue/);
  });

  it('cancel stops a sandbox process in flight; the turn\'s writes are dropped whole', async () => {
    const scenario = makeScenario(oneStepTurns());
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const sandbox = new FakeSandbox((_files, _paths, options) => {
      started();
      return sandboxHang(options);
    });
    const { handle, store } = await startRun(scenario, { sandbox, settings: program });
    await inFlight;
    handle.cancel();
    const run = await handle.done;
    expect(run.status).toBe('cancelled');
    expect(await store.readAllFiles(run.id)).toEqual({});
  });

  it('pause stops at once and resume redoes only the interrupted turn', async () => {
    const scenario = makeScenario(oneStepTurns());
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const llm = faultyLlm(new ScriptedLlm(scenario), (r, _i, options) => (r.meta.kind === 'summary' ? hangUntilAborted(options, started) : undefined));
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    await inFlight;
    handle.pause();
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'user' });
    const resumedLlm = new ScriptedLlm(scenario);
    const run = await (await resumeRun(paused.id, { store, llm: resumedLlm, sandboxFactory: createNodeSandbox })).done;
    expect(run.status).toBe('completed');
    expect(resumedLlm.requests.map((r) => r.meta.kind)).toEqual(['summary', 'report']);
  });

  it('refuses to drive a run another holder has locked', async () => {
    const scenario = makeScenario(oneStepTurns());
    const { handle, store } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: settings({ planFirst: true }), llm: new ScriptedLlm(makeScenario([turn('plan', 0, 0, { toolCalls: [call.plan(['x'])] })])) });
    const paused = await handle.done;
    const lock = await store.lockRun(paused.id);
    await expect(resumeRun(paused.id, { store, llm: new ScriptedLlm(scenario) })).rejects.toBeInstanceOf(RunLockedError);
    lock?.release();
  });

  it('a sandbox that cannot start pauses the run with reason sandbox-unavailable', async () => {
    const scenario = makeScenario(oneStepTurns());
    const { handle } = await startRun(scenario, {
      sandboxFactory: async () => {
        throw new SandboxUnavailableError('WebContainer did not boot within 20 s');
      },
      settings: program,
    });
    expect(await handle.done).toMatchObject({ status: 'paused', pauseReason: 'sandbox-unavailable', statusReason: expect.stringContaining('did not boot') });
    const other = await startRun(scenario, {
      sandboxFactory: async () => {
        throw new Error('Cannot create a temporary folder');
      },
      settings: program,
    });
    expect(await other.handle.done).toMatchObject({ status: 'paused', pauseReason: 'sandbox-unavailable' });
  });

  it('a sandbox made by the factory is disposed when the drive ends; a given one is not', async () => {
    const scenario = makeScenario(oneStepTurns());
    const made = new FakeSandbox();
    const first = await startRun(scenario, { sandboxFactory: async () => made, settings: program });
    await first.handle.done;
    expect(made.disposed).toBe(true);
    const twoWrites = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': `${ADD_JS}
` }), call.gate()] }),
      turn('summary', 1, 2, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const given = new FakeSandbox();
    const second = await startRun(twoWrites, { sandbox: given, settings: program, files: { 'README.md': '# add' } });
    expect((await second.handle.done).status).toBe('completed');
    expect(given.disposed).toBe(false);
    // Every file once, then only the changed paths.
    expect(given.syncs.map((changes) => changes.map((c) => c.path))).toEqual([['README.md', 'add.js', 'add.test.js'], ['add.js']]);
  });
});

describe('the script desync fails the run with the expected and actual key', () => {
  it('fails, naming both', async () => {
    const scenario = makeScenario([turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] })]);
    const { handle, store } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    const run = await handle.done;
    expect(run.status).toBe('failed');
    expect(run.statusReason).toMatch(/The script went out of step: .*step\/1\/1/);
    expect(run.plan?.[0]?.state).toBe('failed');
    expect(Object.keys(await store.readAllFiles(run.id))).toEqual(['add.js', 'add.test.js']);
  });
});
