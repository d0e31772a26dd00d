/**
 * Running code through the adapter: tests with TAP, the per-file and overall limits, huge output, a runner
 * that prints no TAP, cancellation, `runFile`, a server for the preview, and Node's own syntax check.
 */
import { describe, expect, test } from 'vitest';
import { AbortError } from '../../../src/errors.ts';
import { OUTPUT_LIMIT } from '../../../src/sandbox/output.ts';
import { MAX_LIVE_OUTPUT } from '../../../src/sandbox/webcontainer-process.ts';
import type { ServerPreview } from '../../../src/sandbox/webcontainer.ts';
import type { FakeWebContainerInstance } from '../../support/fake-webcontainer.ts';
import { files, setup, sumProject } from './helpers.ts';

const testFile = (body: string) => `import test from 'node:test';\nimport assert from 'node:assert/strict';\n${body}\n`;

describe('runTests', () => {
  test('runs the named test files with an explicit TAP reporter and flags, and reports failures with locations', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(
      files({
        ...sumProject,
        'test/broken.test.js': testFile("test('subtracts', () => {\n  assert.equal(5 - 3, 3);\n});"),
      }),
    );
    const output: string[] = [];
    const report = await sandbox.runTests(['test/broken.test.js', 'test/sum.test.js'], { onOutput: (chunk) => output.push(chunk) });
    expect(report).toMatchObject({ passed: 1, failed: 1, timedOut: [] });
    expect(report.failures[0]).toMatchObject({ name: 'subtracts', file: 'test/broken.test.js' });
    expect(report.failures[0]?.location).toMatch(/^test\/broken\.test\.js:\d+:\d+$/);
    const spawn = (fake.live as FakeWebContainerInstance).spawns.find((record) => record.args.includes('--test'));
    expect(spawn?.command).toBe('node');
    expect(spawn?.args).toEqual(
      expect.arrayContaining(['--test', '--test-reporter=tap', '--test-timeout=10000', './test/broken.test.js', './test/sum.test.js']),
    );
    expect(output.join('')).toContain('not ok');
  });

  test('a test that hangs is killed at its per-file limit and reported as timed out', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({
        ...sumProject,
        'test/hang.test.js': testFile("test('waits forever', async () => {\n  await new Promise(() => setInterval(() => {}, 1000));\n});"),
        'test/spin.test.js': testFile("test('spins', () => {\n  for (;;) {}\n});"),
      }),
    );
    const report = await sandbox.runTests(['test/hang.test.js', 'test/spin.test.js', 'test/sum.test.js'], { perFileTimeoutMs: 1000 });
    expect(report.passed).toBe(1);
    expect(report.failed).toBeGreaterThanOrEqual(2);
    expect(report.timedOut).toEqual(expect.arrayContaining(['test/hang.test.js', 'test/spin.test.js']));
  });

  test('a run past its overall limit is killed; the unfinished files are timed out and failed', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({ ...sumProject, 'test/slow.test.js': testFile("test('slow', async () => {\n  await new Promise((r) => setTimeout(r, 60_000));\n});") }),
    );
    const report = await sandbox.runTests(['test/slow.test.js', 'test/sum.test.js'], { timeoutMs: 1500, perFileTimeoutMs: 120_000 });
    expect(report.timedOut).toContain('test/slow.test.js');
    expect(report.failures.map((failure) => failure.name)).toContain('test/slow.test.js');
    expect(report.failures.find((failure) => failure.name === 'test/slow.test.js')?.message).toMatch(/time limit of the whole test run \(1\.5 s\)/);
    expect(sandbox.status.state).toBe('ready');
  });

  test('a test printing megabytes: the report output stays within the limit, live output is capped, the counts are right', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({
        ...sumProject,
        'test/loud.test.js': testFile("test('loud', () => {\n  for (let i = 0; i < 40; i++) console.log('x'.repeat(100_000));\n});"),
      }),
    );
    let live = 0;
    const report = await sandbox.runTests(['test/loud.test.js', 'test/sum.test.js'], { onOutput: (chunk) => (live += chunk.length) });
    expect(report).toMatchObject({ passed: 2, failed: 0 });
    expect(report.output.length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(live).toBeLessThan(MAX_LIVE_OUTPUT + 1000);
  });

  test('a runner that exits without printing TAP is a failure that carries its output', async () => {
    const { sandbox } = setup({ scripted: [{ match: '--test', output: 'node: bad option: --test-reporter=tap\n', exitCode: 9 }] });
    await sandbox.sync(files(sumProject));
    const report = await sandbox.runTests(['test/sum.test.js']);
    expect(report.passed).toBe(0);
    expect(report.failed).toBe(1);
    expect(report.failures[0]?.message).toMatch(/no test results/);
    expect(report.failures[0]?.message).toContain('bad option');
  });

  test('cancel kills the run and rejects with AbortError; the sandbox stays usable', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(
      files({ ...sumProject, 'test/slow.test.js': testFile("test('slow', async () => {\n  await new Promise((r) => setTimeout(r, 60_000));\n});") }),
    );
    const controller = new AbortController();
    const running = sandbox.runTests(['test/slow.test.js'], {
      signal: controller.signal,
      onOutput: (chunk) => {
        if (chunk.includes('--test')) controller.abort();
      },
    });
    await expect(running).rejects.toBeInstanceOf(AbortError);
    const instance = fake.live as FakeWebContainerInstance;
    await expect.poll(() => instance.liveProcesses).toBe(0);
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
  });
});

describe('runFile', () => {
  test('gives the output, the exit code, and stops a file at its limit', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({
        'package.json': '{ "type": "module" }',
        'cli.js': "console.log('args', process.argv.slice(2).join(','));\nconsole.error('to stderr');\nprocess.exitCode = 4;\n",
        'forever.js': 'setInterval(() => {}, 1000);\n',
      }),
    );
    const result = await sandbox.runFile('cli.js', ['a', 'b']);
    expect(result).toMatchObject({ exitCode: 4, timedOut: false });
    expect(result.output).toContain('args a,b');
    expect(result.output).toContain('to stderr');
    const stuck = await sandbox.runFile('forever.js', [], { timeoutMs: 500 });
    expect(stuck).toMatchObject({ timedOut: true, exitCode: null });
  });

  test('a server is kept running for the preview with its URL, and stopped by the next run', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({
        'package.json': '{ "type": "module" }',
        'server.js': "import http from 'node:http';\nhttp.createServer((q, s) => s.end('hello')).listen(0, () => console.log('up'));\n",
        'other.js': "console.log('other');\n",
      }),
    );
    const previews: (ServerPreview | null)[] = [];
    sandbox.onServerReady((preview) => previews.push(preview));
    const result = await sandbox.runFile('server.js', [], { timeoutMs: 20_000 });
    expect(result).toMatchObject({ timedOut: false, exitCode: null });
    expect(result.output).toMatch(/listening on port \d+/);
    expect(result.server).toEqual({ port: sandbox.preview?.port, url: sandbox.preview?.url });
    const preview = sandbox.preview as ServerPreview;
    expect(preview.url).toBe(`http://localhost:${preview.port}`);
    expect(await (await fetch(`http://127.0.0.1:${preview.port}/`)).text()).toBe('hello');
    await sandbox.runFile('other.js', []);
    expect(sandbox.preview).toBeNull();
    expect(previews).toEqual([preview, null]);
  });

  test('a test run stops the preview server first (it could hold the port a test needs)', async () => {
    const { sandbox } = setup();
    await sandbox.sync(
      files({
        ...sumProject,
        'server.js': "import http from 'node:http';\nhttp.createServer((q, s) => s.end('x')).listen(0);\n",
      }),
    );
    await sandbox.runFile('server.js', [], { timeoutMs: 20_000 });
    expect(sandbox.preview).not.toBeNull();
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
    expect(sandbox.preview).toBeNull();
  });
});

describe('checkSyntax', () => {
  test('Node checks every JS file in one process; TS is left to the in-app check; no JS means no boot', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(files({ 'only.ts': 'export const x: number = 1;\n' }));
    expect(await sandbox.checkSyntax(['only.ts'])).toEqual({ issues: [] });
    expect(fake.boots).toHaveLength(0);

    await sandbox.sync(
      files({
        'package.json': '{ "type": "module" }',
        'good.js': 'export const ok = 1;\n',
        'bad.mjs': 'export const broken = ;\n',
        'old.cjs': 'module.exports = { fine: true };\n',
      }),
    );
    const report = await sandbox.checkSyntax(['good.js', 'bad.mjs', 'old.cjs', 'only.ts']);
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]).toMatchObject({ file: 'bad.mjs', line: 1 });
    const checks = (fake.live as FakeWebContainerInstance).spawns.filter((record) => record.args.some((arg) => arg.includes('check-syntax')));
    expect(checks).toHaveLength(1);
  });
});
