/**
 * The adapter's fault handling: npm install only on a dependency change and a failing install reported
 * clearly; the boot that never settles; the watchdog for a process that will not die.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AbortError, SandboxUnavailableError } from '../../../src/errors.ts';
import { createWebContainerSandbox, type WebContainerSandbox } from '../../../src/sandbox/webcontainer.ts';
import type { FakeWebContainerInstance } from '../../support/fake-webcontainer.ts';
import { files, isolatedBrowser, setup, sumProject } from './helpers.ts';

const madeDirs: string[] = [];
afterAll(async () => {
  for (const dir of madeDirs) await rm(dir, { recursive: true, force: true });
});

/** A local package outside the project, so that `npm install` needs no network. */
async function localPackage(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'l2mac-local-pkg-'));
  madeDirs.push(dir);
  await writeFile(join(dir, 'package.json'), '{ "name": "local-pad", "version": "1.0.0", "type": "module", "main": "index.js" }');
  await writeFile(join(dir, 'index.js'), "export const pad = (s) => '[' + s + ']';\n");
  return dir;
}

const padTest =
  "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { pad } from 'local-pad';\n\n" +
  "test('pads', () => {\n  assert.equal(pad('x'), '[x]');\n});\n";

const installs = (instance: FakeWebContainerInstance) => instance.spawns.filter((record) => record.command === 'npm').length;

describe('npm install', () => {
  test('runs only when dependencies change, with its output streamed and the status saying so', async () => {
    const dir = await localPackage();
    const { fake, sandbox, states } = setup();
    const packageJson = (extra: object) => JSON.stringify({ name: 'p', type: 'module', dependencies: { 'local-pad': `file:${dir}` }, ...extra });
    await sandbox.sync(files({ 'package.json': packageJson({}), 'test/pad.test.js': padTest }));
    const output: string[] = [];
    expect(await sandbox.runTests(['test/pad.test.js'], { onOutput: (chunk) => output.push(chunk) })).toMatchObject({ passed: 1, failed: 0 });
    const instance = fake.live as FakeWebContainerInstance;
    expect(installs(instance)).toBe(1);
    expect(output.join('')).toContain('$ npm install');
    expect(states).toContain('busy:npm install');

    await sandbox.sync(files({ 'package.json': packageJson({ scripts: { start: 'node index.js' } }) }));
    expect((await sandbox.runTests(['test/pad.test.js'])).passed).toBe(1);
    await sandbox.runFile('test/pad.test.js', []);
    expect(installs(instance)).toBe(1);

    await sandbox.sync(files({ 'package.json': packageJson({ devDependencies: { 'local-pad-dev': `file:${dir}` } }) }));
    expect((await sandbox.runTests(['test/pad.test.js'])).passed).toBe(1);
    expect(installs(instance)).toBe(2);
  });

  test('no dependencies, no install', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(files(sumProject));
    await sandbox.runTests(['test/sum.test.js']);
    expect(installs(fake.live as FakeWebContainerInstance)).toBe(0);
  });

  test('a failing install is one clear failure with npm’s words; no test runs; the next run tries again', async () => {
    const { fake, sandbox } = setup({ failInstall: true });
    await sandbox.sync(files({ ...sumProject, 'package.json': '{ "type": "module", "dependencies": { "left-padd": "^1.0.0" } }' }));
    const report = await sandbox.runTests(['test/sum.test.js']);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.failures[0]).toMatchObject({ name: 'npm install', file: 'package.json' });
    expect(report.failures[0]?.message).toMatch(/npm install failed \(exit code 1\)/);
    expect(report.failures[0]?.message).toMatch(/npm error 404/);
    const instance = fake.live as FakeWebContainerInstance;
    expect(instance.spawns.some((record) => record.args.includes('--test'))).toBe(false);

    const run = await sandbox.runFile('src/sum.js', []);
    expect(run.output).toMatch(/npm install failed/);
    expect(installs(instance)).toBe(2);

    fake.faults = {};
    await sandbox.sync(files({ 'package.json': '{ "type": "module" }' }));
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
  });

  test('a real npm install that fails (a missing local tarball) is reported, not hung', async () => {
    const { sandbox } = setup();
    const missing = join(tmpdir(), 'l2mac-no-such-package.tgz');
    await sandbox.sync(files({ ...sumProject, 'package.json': JSON.stringify({ type: 'module', dependencies: { gone: `file:${missing}` } }) }));
    const report = await sandbox.runTests(['test/sum.test.js']);
    expect(report.failures[0]).toMatchObject({ name: 'npm install' });
    expect(report.failures[0]?.message).toMatch(/npm install failed \(exit code 254\)/);
    expect(report.failures[0]?.message).toMatch(/ENOENT/);
  });
});

describe('boot faults', () => {
  test('a boot that never settles: unavailable at the timeout, and a second sandbox in the page does not boot again', async () => {
    const { fake, lock, sandbox, another } = setup({ bootNeverSettles: true }, { bootTimeoutMs: 100 });
    await sandbox.sync(files(sumProject));
    const error = await sandbox.runTests(['test/sum.test.js']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect(sandbox.status).toMatchObject({ state: 'unavailable' });
    expect(sandbox.status.detail).toMatch(/did not start within 0\.1 s/);
    expect(sandbox.unavailable).toMatchObject({ code: 'boot-timeout' });

    const second = another({ bootTimeoutMs: 30_000 });
    await expect(second.start()).rejects.toBeInstanceOf(SandboxUnavailableError);
    expect(second.status.state).toBe('unavailable');
    expect(fake.boots).toHaveLength(1);
    expect(lock.attempts).toBe(1);
  });
});

describe('createWebContainerSandbox (the factory for choose.ts)', () => {
  test('resolves a booted sandbox, or rejects as unavailable after showing the status it reached', async () => {
    const { fake, lock } = setup();
    const booted = await createWebContainerSandbox({ bootLock: lock, loadClass: async () => fake, environment: isolatedBrowser, coep: 'require-corp' });
    expect(booted.status.state).toBe('ready');
    await booted.dispose();

    const offline = setup({ bootNeverSettles: true });
    const states: string[] = [];
    let created: WebContainerSandbox | undefined;
    const failed = createWebContainerSandbox({
      bootLock: offline.lock,
      loadClass: async () => offline.fake,
      environment: isolatedBrowser,
      coep: 'require-corp',
      bootTimeoutMs: 100,
      onCreated: (sandbox) => {
        created = sandbox;
        sandbox.onStatus((status) => states.push(status.state));
      },
    });
    await expect(failed).rejects.toBeInstanceOf(SandboxUnavailableError);
    expect(states).toEqual(['booting', 'unavailable']);
    expect(created?.unavailable?.code).toBe('boot-timeout');
  });

  test('cancelled while booting: AbortError, back to idle, and the page boot is joined later', async () => {
    const { fake, sandbox } = setup();
    const controller = new AbortController();
    sandbox.onStatus((status) => {
      if (status.state === 'booting') controller.abort();
    });
    await expect(sandbox.start({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(sandbox.status.state).toBe('idle');
    await sandbox.start();
    expect(sandbox.status.state).toBe('ready');
    expect(fake.boots).toHaveLength(1);
  });
});

describe('watchdog', () => {
  test('a process that ignores kill: the container is torn down, the test reported timed out, a new one booted with the files', async () => {
    const { fake, sandbox, states } = setup({ ignoreKill: '--test' });
    await sandbox.sync(
      files({
        ...sumProject,
        'test/spin.test.js': "import test from 'node:test';\ntest('spins', () => {\n  for (;;) {}\n});\n",
      }),
    );
    const first = await sandbox.runFile('src/sum.js', []).then(() => fake.live as FakeWebContainerInstance);
    const report = await sandbox.runTests(['test/spin.test.js'], { timeoutMs: 1000, perFileTimeoutMs: 60_000 });
    expect(report.timedOut).toContain('test/spin.test.js');
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(first.tornDown).toBe(true);
    expect(states).toContain('booting:restarting after a process that would not stop');

    await sandbox.start();
    const second = fake.live as FakeWebContainerInstance;
    expect(second).not.toBe(first);
    expect(fake.boots).toHaveLength(2);
    expect(second.fsLog[0]).toMatchObject({ op: 'mount', paths: expect.arrayContaining(['src/sum.js', 'test/spin.test.js']) });
    expect(sandbox.status.state).toBe('ready');
    fake.faults = {};
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
  });
});
