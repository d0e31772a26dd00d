import { describe, expect, it } from 'vitest';
import { BrowserRunDriver } from '../../../src/app/run-driver.ts';
import { offlineAwareSleep } from '../../../src/app/compose.ts';
import { defaultSettings } from '../../../src/app/settings-repository.ts';
import { NetworkError } from '../../../src/errors.ts';
import type { RunEvent } from '../../../src/l2mac/events.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { SCRIPTED_MODEL, ScriptedLlm } from '../../../src/llm/scripted.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { loadScenario } from '../l2mac/harness.ts';

const scenario = loadScenario('three-step-fix');

function freqFails(files: ReadonlyMap<string, string>) {
  const freq = files.get('src/freq.js');
  if (freq === undefined || freq.includes('toLowerCase')) return {};
  return { passed: 1, failed: 1, failures: [{ name: 'counts case-insensitively', file: 'src/freq.test.js', message: 'expected 2, got 1' }] };
}

function setup() {
  const store = new MemoryStore();
  const sandboxes: FakeSandbox[] = [];
  const driver = new BrowserRunDriver({
    store,
    createLlm: async () => new ScriptedLlm(scenario),
    sandboxFactory: () => async () => {
      const sandbox = new FakeSandbox(freqFails);
      sandboxes.push(sandbox);
      return sandbox;
    },
    settings: async () => defaultSettings(),
    resolveModel: () => ({ ...SCRIPTED_MODEL }),
    isOnline: () => true,
  });
  const ended: string[] = [];
  driver.onDriveEnd((runId) => ended.push(runId));
  return { store, driver, ended, sandboxes };
}

function input(planFirst: boolean) {
  return { task: scenario.task, domain: 'codebase' as const, limits: { ...DEFAULT_LIMITS, maxSteps: 3 }, requirePassingTests: true, sandbox: 'worker' as const, planFirst };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}

describe('BrowserRunDriver', () => {
  it('starts a run, relays its events to subscribers of that run, and says when the drive ends', async () => {
    const { store, driver, ended } = setup();
    const events: RunEvent[] = [];
    const runId = await driver.start(input(true));
    driver.subscribe(runId, (event) => events.push(event));
    driver.subscribe('another-run', () => {
      throw new Error('an event of another run reached this listener');
    });
    expect(driver.isDriving(runId)).toBe(true);
    await until(() => ended.includes(runId));
    expect(driver.isDriving(runId)).toBe(false);
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'plan-review' });
    expect(run!.settings.sandbox).toBe('worker');
    expect(events.map((e) => e.type)).toContain('plan');
  });

  it('continues an approved plan to completion, through a failing and fixed step', async () => {
    const { store, driver, ended } = setup();
    const runId = await driver.start(input(true));
    await until(() => ended.length === 1);
    await driver.approvePlan(runId, (await store.getRun(runId))!.plan!.map((s) => s.instruction));
    await until(() => ended.length === 2);
    expect((await store.getRun(runId))!.status).toBe('completed');
    expect(await store.readAllFiles(runId)).toEqual(scenario.expectedFiles);
  });

  it('cancels a run no tab drives with a durable status event', async () => {
    const { store, driver, ended } = setup();
    const runId = await driver.start(input(true));
    await until(() => ended.length === 1);
    const seen: RunEvent[] = [];
    driver.subscribe(runId, (event) => seen.push(event));
    await driver.cancel(runId);
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: 'cancelled', statusReason: 'Cancelled by the user.' });
    const log = await store.listEvents(runId);
    expect(log.at(-1)).toMatchObject({ type: 'status', status: 'cancelled', seq: run!.lastSeq });
    expect(seen.map((e) => e.type)).toEqual(['status']);
    expect(ended).toEqual([runId, runId]);
    await expect(driver.resume(runId)).rejects.toThrow(/cancelled/);
  });
});

describe('offlineAwareSleep', () => {
  it('fails at once with a network error while offline, and waits while online', async () => {
    await expect(offlineAwareSleep(60_000, undefined, () => false)).rejects.toBeInstanceOf(NetworkError);
    await expect(offlineAwareSleep(1, undefined, () => true)).resolves.toBeUndefined();
  });
});
