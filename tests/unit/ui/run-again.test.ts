import { describe, expect, it } from 'vitest';
import type { AppServices, RunStart } from '../../../src/app/types.ts';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { RunSettings } from '../../../src/store/types.ts';
import { runAgain, runAgainInput } from '../../../src/ui/state/run-again.ts';

const settings: RunSettings = {
  llm: { provider: 'custom', baseURL: 'http://mock.test/v1', model: 'mock-coder-1', modelOverrides: { contextWindow: 64_000 } },
  model: { id: 'mock-coder-1', contextWindow: 64_000 } as RunSettings['model'],
  limits: { ...DEFAULT_LIMITS, maxSteps: 4, spendPerRun: 0.5 },
  requirePassingTests: false,
  sandbox: 'webcontainer',
  planFirst: true,
  promptProgram: ['Write a.js', 'Test a.js'],
};

const STARTING = { 'src/a.js': 'export const a = 1;\n', 'src/a.test.js': 'import "./a.js";\n' };

/** A driver whose `startWith` stores the run as the real one does, and remembers what it was given. */
function services(store: MemoryStore) {
  const started: { settings: RunSettings; start: RunStart }[] = [];
  const driver = {
    async startWith(runSettings: RunSettings, start: RunStart) {
      started.push({ settings: runSettings, start });
      const run = await store.createRun({ ...start, settings: runSettings });
      return run.id;
    },
  };
  return { started, services: { store, driver } as unknown as Pick<AppServices, 'store' | 'driver'> };
}

describe('run again with the same settings', () => {
  it('takes the task, domain and every setting of the old run, as a copy, and nothing of its outcome', async () => {
    const store = new MemoryStore();
    const old = await store.createRun({ task: 'Build a thing', domain: 'codebase', settings, title: 'My thing' });
    await store.updateRun(old.id, { status: 'completed' });
    const record = (await store.getRun(old.id))!;

    const input = runAgainInput(record, {});
    expect(input.start).toEqual({ task: 'Build a thing', domain: 'codebase' });
    expect(input.settings).toEqual(settings);
    expect(input.settings).not.toBe(record.settings);
    expect(input.settings.limits).not.toBe(record.settings.limits);
    expect(input.settings.promptProgram).not.toBe(record.settings.promptProgram);

    const { started, services: s } = services(store);
    const id = await runAgain(s, old.id);
    expect(id).not.toBe(old.id);
    expect(started).toEqual([{ settings, start: { task: 'Build a thing', domain: 'codebase' } }]);
    const fresh = (await store.getRun(id))!;
    expect(fresh.status).not.toBe('completed');
    expect(fresh.title).toBe('Build a thing');
    expect(fresh.plan).toBeNull();
    expect(fresh.settings).toEqual(settings);
    expect(await store.listFiles(id)).toEqual([]);
  });

  it('a run on imported files starts again from the same files, not from what the run made of them', async () => {
    const store = new MemoryStore();
    const origin = { kind: 'import' as const, label: 'Imported from folder thermo', files: 2 };
    const old = await store.createRun({ task: 'Change a', domain: 'codebase', settings, files: STARTING, origin });
    await store.commitTurn(old.id, {
      step: 1,
      turn: 1,
      changes: [{ path: 'src/a.js', content: 'export const a = 2;\n' }, { path: 'src/b.js', content: 'b\n' }],
      events: [],
      checkpoint: initialCheckpoint(),
    });
    expect((await store.readAllFiles(old.id))['src/a.js']).toBe('export const a = 2;\n');

    const { started, services: s } = services(store);
    const id = await runAgain(s, old.id);
    expect(started[0]!.start).toEqual({ task: 'Change a', domain: 'codebase', files: STARTING, origin });
    expect(await store.readAllFiles(id)).toEqual(STARTING);
    expect((await store.getRun(id))!.origin).toEqual(origin);
    // The old run is as it was.
    expect((await store.readAllFiles(old.id))['src/b.js']).toBe('b\n');
  });

  it('a follow-up starts again from its own starting files, even when the run it followed is gone', async () => {
    const store = new MemoryStore();
    const parent = await store.createRun({ task: 'First', domain: 'codebase', settings, files: STARTING });
    const follow = await store.createRun({
      task: 'Second', domain: 'codebase', settings, filesFromRun: parent.id, parentRunId: parent.id,
      origin: { kind: 'follow-up', label: `Follow-up of run ${parent.id}`, files: 2 },
    });
    await store.deleteRun(parent.id);

    const { started, services: s } = services(store);
    const id = await runAgain(s, follow.id);
    expect(started[0]!.start.files).toEqual(STARTING);
    expect(started[0]!.start.origin).toEqual({ kind: 'follow-up', label: `Follow-up of run ${parent.id}`, files: 2 });
    expect(await store.readAllFiles(id)).toEqual(STARTING);
  });

  it('an empty project stays empty, and a run that is gone is refused', async () => {
    const store = new MemoryStore();
    const old = await store.createRun({ task: 'Empty', domain: 'book', settings, origin: { kind: 'empty', label: 'Empty project', files: 0 } });
    const record = (await store.getRun(old.id))!;
    expect(runAgainInput(record, STARTING).start).toEqual({ task: 'Empty', domain: 'book' });
    const { services: s } = services(store);
    await expect(runAgain(s, 'no-such-run')).rejects.toThrow('no longer stored');
  });
});
