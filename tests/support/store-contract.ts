/**
 * The store port's contract (DESIGN.md §6), independent of any test runner: each case gets a factory of
 * fresh, empty stores and throws on the first broken rule. Vitest runs it against MemoryStore and IdbStore
 * (fake-indexeddb); a Playwright spec runs it in Chromium against IdbStore on real IndexedDB.
 */
import { initialCheckpoint, type CheckpointState } from '../../src/l2mac/checkpoint.ts';
import type { DurableEvent } from '../../src/l2mac/events.ts';
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';
import type { AppStore, NewRun, RunRecord, TurnCommit } from '../../src/store/types.ts';

export type StoreFactory = () => Promise<AppStore>;

export interface StoreContractCase {
  name: string;
  run(make: StoreFactory): Promise<void>;
}

class ContractFailure extends Error {
  override name = 'ContractFailure';
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new ContractFailure(`${what}: expected ${e.slice(0, 600)}, got ${a.slice(0, 600)}`);
}

function ok(condition: unknown, what: string): asserts condition {
  if (!condition) throw new ContractFailure(what);
}

async function rejects(promise: Promise<unknown>, errorName: string, what: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    ok(error instanceof Error && error.name === errorName, `${what}: expected ${errorName}, got ${String(error)}`);
    return error;
  }
  throw new ContractFailure(`${what}: expected ${errorName}, but it succeeded`);
}

export const SAMPLE_SETTINGS: NewRun['settings'] = {
  llm: { provider: 'scripted', baseURL: 'https://api.example.test/v1', model: 'test-model' },
  model: {
    id: 'test-model',
    contextWindow: 128_000,
    maxOutputTokens: 8192,
    prices: null,
    reasoning: false,
    supportsTemperature: true,
    strictTools: true,
    tokenizer: 'estimate',
    source: 'contract test',
    checked: '2026-01-01',
  },
  limits: DEFAULT_LIMITS,
  requirePassingTests: true,
  sandbox: 'auto',
  planFirst: false,
};

export function sampleRun(extra: Partial<NewRun> = {}): NewRun {
  return { task: 'Build a to-do list library', domain: 'codebase', settings: SAMPLE_SETTINGS, ...extra };
}

/** SHA-256 of "hello" (UTF-8), a published test vector. */
const HELLO_SHA256 = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

export function statusEvent(runId: string, seq: number, status: 'running' | 'paused' = 'running'): DurableEvent {
  return { type: 'status', runId, seq, at: 1000 + seq, status };
}

function checkpointAt(stepIndex: number): CheckpointState {
  return { ...initialCheckpoint(), phase: 'executing', stepIndex };
}

/** A valid commit of one status event after `lastSeq` (the changes are up to the caller). */
function baseCommit(runId: string, step: number, lastSeq: number): TurnCommit {
  return { step, turn: 1, changes: [], events: [statusEvent(runId, lastSeq + 1)], checkpoint: checkpointAt(step - 1) };
}

/** Commits a turn whose events continue the run's log. */
async function turn(
  store: AppStore,
  runId: string,
  step: number,
  turnNo: number,
  files: Record<string, string | null>,
  extra: Partial<TurnCommit> & { eventCount?: number } = {},
): Promise<void> {
  const run = await store.getRun(runId);
  ok(run, `run ${runId} exists`);
  const events = Array.from({ length: extra.eventCount ?? 1 }, (_, i) => statusEvent(runId, run.lastSeq + 1 + i));
  const changes = Object.entries(files).map(([path, content]) => ({ path, content }));
  const { eventCount: _ignored, ...rest } = extra;
  await store.commitTurn(runId, { step, turn: turnNo, changes, events, checkpoint: checkpointAt(step - 1), ...rest });
}

/** Everything a reader can see of a run, to prove a rejected commit changed nothing. */
async function observe(store: AppStore, runId: string): Promise<unknown> {
  const run = (await store.getRun(runId)) as RunRecord;
  return {
    run,
    files: await store.listFiles(runId),
    contents: await store.readAllFiles(runId),
    versions: await store.listVersions(runId),
    events: await store.listEvents(runId),
    checkpoint: (await store.getCheckpoint(runId)) ?? null,
  };
}

async function rejectedWhole(store: AppStore, runId: string, commit: TurnCommit, what: string): Promise<void> {
  const before = await observe(store, runId);
  await rejects(store.commitTurn(runId, commit), 'InvalidCommitError', what);
  equal(await observe(store, runId), before, `${what}: nothing of the commit is stored`);
}

export const storeContractCases: StoreContractCase[] = [
  {
    name: 'a new run starts empty, in planning, with no events and no checkpoint',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ title: 'Todo' }));
      ok(run.id, 'the run has an id');
      equal([run.status, run.lastSeq, run.title, run.plan, run.usage.costUsd], ['planning', 0, 'Todo', null, 0], 'new run fields');
      equal(await store.getRun(run.id), run, 'getRun returns the created run');
      equal(await store.listFiles(run.id), [], 'no files');
      equal(await store.listEvents(run.id), [], 'no events');
      equal(await store.getCheckpoint(run.id), undefined, 'no checkpoint');
      equal(await store.getRun('no-such-run'), undefined, 'an unknown run is undefined');
    },
  },
  {
    name: 'starting files are version 1 at step 0, turn 0, cause start, content-addressed by SHA-256',
    async run(make) {
      const store = await make();
      const files = { 'a.js': 'hello', 'lib/b.js': 'hello', 'c.txt': 'x\ny\n' };
      const run = await store.createRun(sampleRun({ files }));
      equal(
        await store.listFiles(run.id),
        [
          { path: 'a.js', hash: HELLO_SHA256, version: 1, bytes: 5, lines: 1 },
          { path: 'c.txt', hash: (await store.listFiles(run.id))[1]?.hash, version: 1, bytes: 4, lines: 2 },
          { path: 'lib/b.js', hash: HELLO_SHA256, version: 1, bytes: 5, lines: 1 },
        ],
        'file entries, sorted by path, equal contents share one hash',
      );
      equal(await store.readAllFiles(run.id), files, 'contents');
      equal(await store.filesAtStep(run.id, 0), files, 'files at step 0 are the starting files');
      equal(await store.readBlob(HELLO_SHA256), 'hello', 'readBlob by hash');
      equal(await store.readBlob('0'.repeat(64)), undefined, 'an unknown blob is undefined');
      const versions = await store.listVersions(run.id);
      equal(
        versions.map((v) => [v.path, v.version, v.step, v.turn, v.cause, v.runId]),
        [
          ['a.js', 1, 0, 0, 'start', run.id],
          ['c.txt', 1, 0, 0, 'start', run.id],
          ['lib/b.js', 1, 0, 0, 'start', run.id],
        ],
        'starting versions',
      );
      ok(versions.every((v) => typeof v.at === 'number'), 'each version has a time');
    },
  },
  {
    name: 'a run id given at creation is kept, and a taken id is refused',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ id: 'fixed-id' }));
      equal(run.id, 'fixed-id', 'the given id');
      await rejects(store.createRun(sampleRun({ id: 'fixed-id' })), 'InvalidCommitError', 'a second run with the same id');
      equal((await store.listRuns()).length, 1, 'one run');
    },
  },
  {
    name: 'commitTurn records every write and delete as a version with step, turn, time and cause',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ files: { 'keep.js': 'k' } }));
      await turn(store, run.id, 1, 1, { 'a.js': 'one' });
      await turn(store, run.id, 1, 2, { 'a.js': 'two', 'b.js': 'bee' });
      await turn(store, run.id, 2, 1, { 'b.js': null });
      await turn(store, run.id, 2, 2, { 'b.js': 'back' }, { cause: 'restore' });
      equal(
        (await store.listVersions(run.id, 'a.js')).map((v) => [v.version, v.step, v.turn, v.cause, v.hash === null]),
        [
          [1, 1, 1, 'tool', false],
          [2, 1, 2, 'tool', false],
        ],
        'a.js versions',
      );
      equal(
        (await store.listVersions(run.id, 'b.js')).map((v) => [v.version, v.step, v.turn, v.cause, v.hash === null]),
        [
          [1, 1, 2, 'tool', false],
          [2, 2, 1, 'tool', true],
          [3, 2, 2, 'restore', false],
        ],
        'b.js versions: a delete has no hash; a re-created file continues the numbering',
      );
      equal((await store.listVersions(run.id)).length, 6, 'all versions of the run');
      equal(await store.listVersions(run.id, 'nothing.js'), [], 'a path without versions');
      equal(
        (await store.listFiles(run.id)).map((f) => [f.path, f.version]),
        [
          ['a.js', 2],
          ['b.js', 3],
          ['keep.js', 1],
        ],
        'current files with their versions',
      );
      equal(await store.readFiles(run.id, ['a.js', 'b.js', 'missing.js']), { 'a.js': 'two', 'b.js': 'back' }, 'readFiles leaves out unknown paths');
      const [first] = await store.listVersions(run.id, 'a.js');
      equal(await store.readBlob(first?.hash ?? ''), 'one', 'an earlier version stays readable');
    },
  },
  {
    name: 'events are appended in seq order; lastSeq follows them; listEvents reads from a seq',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      await turn(store, run.id, 1, 1, {}, { eventCount: 3 });
      await turn(store, run.id, 1, 2, {}, { eventCount: 2 });
      equal((await store.getRun(run.id))?.lastSeq, 5, 'lastSeq');
      equal((await store.listEvents(run.id)).map((e) => e.seq), [1, 2, 3, 4, 5], 'all events');
      equal((await store.listEvents(run.id, 4)).map((e) => e.seq), [4, 5], 'events from seq 4');
      equal((await store.listEvents(run.id))[0], statusEvent(run.id, 1), 'an event is stored as given');
      await turn(store, run.id, 1, 3, { 'x.js': 'x' }, { eventCount: 0 });
      equal((await store.getRun(run.id))?.lastSeq, 5, 'a commit without events keeps lastSeq');
    },
  },
  {
    name: 'a commit with events out of order, a repeated seq, a gap, another run\'s or a transient event is rejected whole',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
      await turn(store, run.id, 1, 1, {}, { eventCount: 2 });
      const base = { step: 1, turn: 2, changes: [{ path: 'a.js', content: 'changed' }, { path: 'n.js', content: 'new' }], checkpoint: checkpointAt(5), run: { status: 'paused' as const } };
      const e = (seq: number): DurableEvent => statusEvent(run.id, seq);
      await rejectedWhole(store, run.id, { ...base, events: [e(4), e(3)] }, 'events out of order');
      await rejectedWhole(store, run.id, { ...base, events: [e(3), e(3)] }, 'a seq twice in one commit');
      await rejectedWhole(store, run.id, { ...base, events: [e(2), e(3)] }, 'a seq the run has already');
      await rejectedWhole(store, run.id, { ...base, events: [e(4)] }, 'a gap after the stored log');
      await rejectedWhole(store, run.id, { ...base, events: [statusEvent('other-run', 3)] }, 'an event of another run');
      const transient = { type: 'text-delta', runId: run.id, seq: 3, at: 0, kind: 'step', step: 1, turn: 1, text: 'x' } as unknown as DurableEvent;
      await rejectedWhole(store, run.id, { ...base, events: [transient] }, 'a transient event');
      await store.commitTurn(run.id, { ...base, events: [e(3), e(4)] });
      equal((await store.getRun(run.id))?.lastSeq, 4, 'the corrected commit is stored');
    },
  },
  {
    name: 'a commit deleting a missing file, or changing a path twice, is rejected whole',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
      const base = { step: 1, turn: 1, checkpoint: checkpointAt(0), events: [statusEvent(run.id, 1)] };
      await rejectedWhole(store, run.id, { ...base, changes: [{ path: 'a.js', content: 'new' }, { path: 'ghost.js', content: null }] }, 'deleting a missing file');
      await rejectedWhole(store, run.id, { ...base, changes: [{ path: 'b.js', content: '1' }, { path: 'b.js', content: '2' }] }, 'one path twice');
      await rejectedWhole(store, run.id, { ...base, changes: [{ path: '', content: '1' }] }, 'an empty path');
      await rejects(store.commitTurn('no-such-run', { ...base, events: [statusEvent('no-such-run', 1)], changes: [] }), 'RunNotFoundError', 'a commit to an unknown run');
    },
  },
  {
    name: 'a commit stores the checkpoint and the run fields it carries; an undefined field clears it',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      const plan = [
        { instruction: 'one', state: 'completed' as const },
        { instruction: 'two', state: 'running' as const },
      ];
      await turn(store, run.id, 1, 1, {}, { checkpoint: checkpointAt(1), run: { status: 'paused', statusReason: 'by the user', plan } });
      equal(await store.getCheckpoint(run.id), checkpointAt(1), 'checkpoint');
      let stored = await store.getRun(run.id);
      equal([stored?.status, stored?.statusReason, stored?.plan], ['paused', 'by the user', plan], 'run fields');
      await turn(store, run.id, 2, 1, {}, { checkpoint: checkpointAt(2), run: { status: 'running', statusReason: undefined } });
      stored = await store.getRun(run.id);
      equal(await store.getCheckpoint(run.id), checkpointAt(2), 'the checkpoint is replaced');
      equal([stored?.status, 'statusReason' in (stored ?? {})], ['running', false], 'the reason is cleared');
      ok((stored?.updatedAt ?? 0) >= run.updatedAt, 'updatedAt moves on');
    },
  },
  {
    name: 'filesAtStep gives the files at the end of each step, from the versions',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun({ files: { 'readme.md': 'v0' } }));
      await turn(store, run.id, 1, 1, { 'a.js': 'a1' });
      await turn(store, run.id, 1, 2, { 'a.js': 'a2', 'readme.md': 'v1' });
      await turn(store, run.id, 2, 1, { 'a.js': null, 'b.js': 'b2' });
      await turn(store, run.id, 3, 1, { 'a.js': 'a3' });
      equal(await store.filesAtStep(run.id, 0), { 'readme.md': 'v0' }, 'step 0');
      equal(await store.filesAtStep(run.id, 1), { 'a.js': 'a2', 'readme.md': 'v1' }, 'end of step 1');
      equal(await store.filesAtStep(run.id, 2), { 'b.js': 'b2', 'readme.md': 'v1' }, 'end of step 2: the deleted file is gone');
      equal(await store.filesAtStep(run.id, 3), await store.readAllFiles(run.id), 'the last step is the current files');
      equal(await store.filesAtStep(run.id, 9), await store.readAllFiles(run.id), 'a later step is the current files');
    },
  },
  {
    name: 'a follow-up run starts from another run\'s files, sharing their blobs, and leaves that run untouched',
    async run(make) {
      const store = await make();
      const parent = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
      await turn(store, parent.id, 1, 1, { 'a.js': 'a2', 'b.js': 'b' });
      const before = await observe(store, parent.id);
      const child = await store.createRun(sampleRun({ filesFromRun: parent.id, parentRunId: parent.id, files: { 'extra.md': 'more' } }));
      equal(child.parentRunId, parent.id, 'parent recorded');
      equal(await store.readAllFiles(child.id), { 'a.js': 'a2', 'b.js': 'b', 'extra.md': 'more' }, 'the child starts with the parent files (and its own)');
      const parentHashes = new Map((await store.listFiles(parent.id)).map((f) => [f.path, f.hash]));
      for (const f of await store.listFiles(child.id)) {
        if (f.path !== 'extra.md') equal(f.hash, parentHashes.get(f.path), `${f.path} shares the parent blob`);
        equal(f.version, 1, `${f.path} is version 1`);
      }
      equal((await store.listVersions(child.id)).map((v) => [v.step, v.turn, v.cause]), [[0, 0, 'start'], [0, 0, 'start'], [0, 0, 'start']], 'child starting versions');
      await turn(store, child.id, 1, 1, { 'a.js': 'child', 'b.js': null });
      equal(await observe(store, parent.id), before, 'the parent run is untouched');
      await rejects(store.createRun(sampleRun({ filesFromRun: 'no-such-run' })), 'RunNotFoundError', 'a follow-up of an unknown run');
    },
  },
  {
    name: 'listRuns gives summaries, newest first, with steps and done steps from the plan and the cost',
    async run(make) {
      const store = await make();
      const older = await store.createRun(sampleRun({ title: 'older' }));
      const newer = await store.createRun(sampleRun({ title: 'newer' }));
      await turn(store, older.id, 1, 1, {}, {
        run: {
          plan: [
            { instruction: 'a', state: 'completed' },
            { instruction: 'b', state: 'skipped' },
            { instruction: 'c', state: 'running' },
          ],
          usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, costUsd: 0.25, calls: 1 },
        },
      });
      const runs = await store.listRuns();
      const byId = new Map(runs.map((r) => [r.id, r]));
      equal(runs.length, 2, 'two runs');
      equal([byId.get(older.id)?.steps, byId.get(older.id)?.stepsDone, byId.get(older.id)?.costUsd], [3, 2, 0.25], 'older summary');
      equal([byId.get(newer.id)?.steps, byId.get(newer.id)?.stepsDone, byId.get(newer.id)?.costUsd], [0, 0, 0], 'newer summary');
      const created = runs.map((r) => r.createdAt);
      equal(created, [...created].sort((a, b) => b - a), 'newest first');
      ok(!('settings' in (runs[0] ?? {})), 'a summary does not carry the settings');
    },
  },
  {
    name: 'updateRun renames a run; an unknown run is an error',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      const renamed = await store.updateRun(run.id, { title: 'Renamed' });
      equal(renamed.title, 'Renamed', 'returned record');
      equal((await store.getRun(run.id))?.title, 'Renamed', 'stored record');
      equal((await store.listRuns())[0]?.title, 'Renamed', 'summary');
      await rejects(store.updateRun('no-such-run', { title: 'x' }), 'RunNotFoundError', 'unknown run');
    },
  },
  {
    name: 'deleteRun removes everything of the run and the blobs no other run references',
    async run(make) {
      const store = await make();
      const keep = await store.createRun(sampleRun({ files: { 'shared.js': 'shared content' } }));
      const doomed = await store.createRun(sampleRun({ files: { 'own.js': 'only in doomed', 'shared.js': 'shared content' } }));
      await turn(store, doomed.id, 1, 1, { 'own.js': 'second own version' });
      const follow = await store.createRun(sampleRun({ filesFromRun: doomed.id }));
      const hashes = new Map((await store.listVersions(doomed.id)).map((v) => [`${v.path}@${v.version}`, v.hash ?? '']));
      await store.deleteRun(doomed.id);
      equal(await store.getRun(doomed.id), undefined, 'the run is gone');
      ok(!(await store.listRuns()).some((r) => r.id === doomed.id), 'not listed');
      await rejects(store.listFiles(doomed.id), 'RunNotFoundError', 'its files are gone');
      equal(await store.readBlob(hashes.get('own.js@1') ?? ''), undefined, 'a blob only the deleted run used is removed');
      equal(await store.readBlob(hashes.get('shared.js@1') ?? ''), 'shared content', 'a blob another run uses stays');
      equal(await store.readBlob(hashes.get('own.js@2') ?? ''), 'second own version', 'a blob a follow-up run uses stays');
      equal(await store.readAllFiles(follow.id), { 'own.js': 'second own version', 'shared.js': 'shared content' }, 'the follow-up still reads its files');
      equal(await store.readAllFiles(keep.id), { 'shared.js': 'shared content' }, 'the other run still reads its files');
      await store.deleteRun(follow.id);
      equal(await store.readBlob(hashes.get('own.js@2') ?? ''), undefined, 'deleting the last user removes the blob');
      await store.deleteRun('no-such-run');
    },
  },
  {
    name: 'a run\'s lock has one holder at a time and is free again after release',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      const other = await store.createRun(sampleRun());
      equal(await store.isLocked(run.id), false, 'free at first');
      const lock = await store.lockRun(run.id);
      ok(lock, 'the first lockRun gets the lock');
      equal(await store.isLocked(run.id), true, 'held');
      equal(await store.lockRun(run.id), null, 'a second lockRun gets null');
      equal(await store.isLocked(other.id), false, 'another run is not locked');
      const otherLock = await store.lockRun(other.id);
      ok(otherLock, 'another run can be locked at the same time');
      lock.release();
      lock.release();
      await waitFor(async () => !(await store.isLocked(run.id)), 'released');
      const again = await store.lockRun(run.id);
      ok(again, 'lockable again after release');
      again.release();
      otherLock.release();
    },
  },
  {
    name: 'values are copied in and out: changing a returned or committed object changes nothing stored',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      const event = statusEvent(run.id, 1);
      const checkpoint = checkpointAt(0);
      await store.commitTurn(run.id, { step: 1, turn: 1, changes: [], events: [event], checkpoint });
      (event as { status: string }).status = 'mutated';
      checkpoint.stepIndex = 99;
      const got = await store.getRun(run.id);
      ok(got, 'run');
      got.title = 'mutated';
      (await store.listEvents(run.id))[0]!.seq = 42;
      equal((await store.listEvents(run.id))[0], statusEvent(run.id, 1), 'the stored event');
      equal((await store.getCheckpoint(run.id))?.stepIndex, 0, 'the stored checkpoint');
      equal((await store.getRun(run.id))?.title, run.title, 'the stored run');
    },
  },
  {
    name: 'settings keep JSON values by key and refuse anything that looks like the API key',
    async run(make) {
      const store = await make();
      equal(await store.getSetting('defaults'), undefined, 'unset');
      await store.putSetting('defaults', { model: 'gpt-x', limits: { maxSteps: 4 } });
      equal(await store.getSetting('defaults'), { model: 'gpt-x', limits: { maxSteps: 4 } }, 'round trip');
      await store.putSetting('defaults', { model: 'other' });
      equal(await store.getSetting('defaults'), { model: 'other' }, 'replaced');
      await rejects(store.putSetting('apiKey', 'sk-test'), 'InvalidCommitError', 'a key-like setting name');
      await rejects(store.putSetting('llm', { nested: { apiKey: 'sk-test' } }), 'InvalidCommitError', 'a key-like property');
      equal(await store.getSetting('llm'), undefined, 'nothing stored');
      await store.deleteSetting('defaults');
      equal(await store.getSetting('defaults'), undefined, 'deleted');
    },
  },
  {
    name: '5,000 files are committed in one turn and listed',
    async run(make) {
      const store = await make();
      const run = await store.createRun(sampleRun());
      const files: Record<string, string> = {};
      for (let i = 0; i < 5000; i++) files[`src/m${String(i).padStart(4, '0')}.js`] = `export const v${i} = ${i};\n`.repeat(20);
      await turn(store, run.id, 1, 1, files);
      const listed = await store.listFiles(run.id);
      equal(listed.length, 5000, 'all files listed');
      equal([listed[0]?.path, listed[0]?.lines, listed[4999]?.path], ['src/m0000.js', 20, 'src/m4999.js'], 'entries');
      equal((await store.readFiles(run.id, ['src/m1234.js']))['src/m1234.js'], files['src/m1234.js'], 'one file read back');
    },
  },
  {
    name: 'files named like Object properties are ordinary files; bad paths and sizes are refused',
    async run(make) {
      const store = await make();
      const start = Object.create(null) as Record<string, string>;
      for (const path of ['__proto__', 'constructor', 'lib/__proto__/x.js', 'toString']) start[path] = path.slice(0, 1);
      start['lib/__proto__/x.js'] = 'x';
      const run = await store.createRun(sampleRun({ files: start }));
      const all = await store.readAllFiles(run.id);
      equal(Object.keys(all).sort(), ['__proto__', 'constructor', 'lib/__proto__/x.js', 'toString'], 'every file listed');
      equal(all['__proto__'], '_', 'the __proto__ file keeps its content');
      equal((await store.filesAtStep(run.id, 0))['constructor'], 'c', 'filesAtStep too');
      equal((await store.readFiles(run.id, ['__proto__']))['__proto__'], '_', 'readFiles too');
      for (const bad of ['../x', '/etc/passwd', 'C:\\x', 'a//b', 'a\u0000b']) {
        await rejects(store.createRun(sampleRun({ files: { [bad]: 'x' } })), 'InvalidCommitError', `createRun with ${JSON.stringify(bad)}`);
        await rejectedWhole(store, run.id, { ...baseCommit(run.id, 1, run.lastSeq), changes: [{ path: bad, content: 'x' }] }, `commit of ${JSON.stringify(bad)}`);
      }
      await rejectedWhole(store, run.id, { ...baseCommit(run.id, 1, run.lastSeq), changes: [{ path: 'big.txt', content: 'x'.repeat(1024 * 1024 + 1) }] }, 'a file over 1 MB');
    },
  },
];

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new ContractFailure(`${what}: the condition never held`);
}

/** Registers every case with a runner's `it`/`test`. */
export function registerStoreContract(make: StoreFactory, test: (name: string, body: () => Promise<void>) => void): void {
  for (const c of storeContractCases) test(c.name, () => c.run(make));
}
