/**
 * The WebContainer adapter in Chromium over the fake WebContainer (real Node on this machine, reached
 * through `fake-webcontainer-bridge.ts`): the ONE sandbox contract suite, case by case in the page, checked
 * here in Node; then what a user of a run sees: status, a failing test fixed by a later sync, a server URL
 * for the preview, the watchdog after a process that ignores kill, and a failing npm install.
 */
import { expect, test, type Page } from '@playwright/test';
import { installFakeWebContainer, type FakeWebContainerBridge } from '../support/fake-webcontainer-bridge.ts';
import { sandboxContractCases, type ContractCaseData, type ContractResult } from '../support/sandbox-contract.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; reason?: string } };

interface Api {
  create(options?: { bootTimeoutMs?: number }): number;
  start(id: number): Promise<Outcome<void>>;
  sync(id: number, changes: { path: string; content: string | null }[]): Promise<Outcome<void>>;
  runTests(id: number, paths: string[], options?: { timeoutMs?: number; perFileTimeoutMs?: number }): Promise<Outcome<TestReportLike>>;
  runFile(id: number, path: string, args: string[], options?: { timeoutMs?: number }): Promise<Outcome<RunFileLike>>;
  info(id: number): { status: { state: string; detail?: string }; states: string[]; preview: { port: number; url: string } | null; output: string };
  page(): { attempts: number; lastBootOptions: { coep: string } | null; seamInstalled: boolean };
  runContractCase(data: ContractCaseData): Promise<Outcome<ContractResult>>;
}
interface TestReportLike {
  passed: number;
  failed: number;
  failures: { name: string; file: string; message: string }[];
  timedOut: string[];
}
interface RunFileLike {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
}

let bridge: FakeWebContainerBridge;

async function openHarness(page: Page, faults = {}): Promise<void> {
  bridge = await installFakeWebContainer(page, faults);
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
}

test.afterEach(async () => {
  await bridge?.dispose();
});

test('the sandbox contract suite passes through the adapter over the fake WebContainer', async ({ page }) => {
  test.setTimeout(240_000);
  await openHarness(page);
  expect(await page.evaluate(() => (window.harness.webcontainer as Api).page().seamInstalled)).toBe(true);
  for (const contractCase of sandboxContractCases) {
    const { check, ...data } = contractCase;
    const outcome = await page.evaluate((caseData) => (window.harness.webcontainer as Api).runContractCase(caseData), data);
    if (!outcome.ok) throw new Error(`${contractCase.name}: ${outcome.error.name}: ${outcome.error.message}`);
    try {
      check(outcome.value, { kind: 'webcontainer' });
    } catch (error) {
      throw new Error(`contract case "${contractCase.name}" failed: ${(error as Error).message}`);
    }
  }
  const pageInfo = await page.evaluate(() => (window.harness.webcontainer as Api).page());
  expect(pageInfo).toMatchObject({ attempts: 1, lastBootOptions: { coep: 'require-corp' } });
  expect(bridge.fake.boots).toEqual([{ coep: 'require-corp', workdirName: 'project' }]);
});

test('a failing test is fixed by a sync; status and live output are visible; a server gives a preview URL', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async () => {
    const api = window.harness.webcontainer as Api;
    const id = api.create();
    const test_ = (expected: number) =>
      `import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n` +
      `test('adds', () => assert.equal(sum(2, 2), ${expected}));\n`;
    await api.sync(id, [
      { path: 'package.json', content: '{ "type": "module" }' },
      { path: 'src/sum.js', content: 'export const sum = (a, b) => a - b;\n' },
      { path: 'test/sum.test.js', content: test_(4) },
      {
        path: 'server.js',
        content: "import http from 'node:http';\nhttp.createServer((q, s) => s.end('preview!')).listen(0, () => console.log('up'));\n",
      },
    ]);
    const failing = await api.runTests(id, ['test/sum.test.js']);
    await api.sync(id, [{ path: 'src/sum.js', content: 'export const sum = (a, b) => a + b;\n' }]);
    const passing = await api.runTests(id, ['test/sum.test.js']);
    const server = await api.runFile(id, 'server.js', [], { timeoutMs: 20_000 });
    return { failing, passing, server, info: api.info(id) };
  });
  expect(result.failing).toMatchObject({ ok: true, value: { passed: 0, failed: 1 } });
  expect(result.failing.ok && result.failing.value.failures[0]).toMatchObject({ name: 'adds', file: 'test/sum.test.js' });
  expect(result.passing).toMatchObject({ ok: true, value: { passed: 1, failed: 0 } });
  expect(result.info.states.slice(0, 3)).toEqual(['booting', 'ready', 'busy']);
  expect(result.info.status.state).toBe('ready');
  expect(result.info.output).toContain('--test-reporter=tap');
  expect(result.info.output).toContain('not ok');

  expect(result.server).toMatchObject({ ok: true, value: { exitCode: null, timedOut: false } });
  const preview = result.info.preview;
  expect(preview?.url).toMatch(/^http:\/\/localhost:\d+$/);
  const response = await page.request.get(`http://127.0.0.1:${preview?.port}/`);
  expect(await response.text()).toBe('preview!');
});

test('watchdog: a test process that ignores kill is torn down and the next run works in a new container', async ({ page }) => {
  await openHarness(page, { ignoreKill: '--test' });
  const result = await page.evaluate(async () => {
    const api = window.harness.webcontainer as Api;
    const id = api.create();
    await api.sync(id, [
      { path: 'package.json', content: '{ "type": "module" }' },
      { path: 'test/spin.test.js', content: "import test from 'node:test';\ntest('spins', () => { for (;;) {} });\n" },
      { path: 'test/ok.test.js', content: "import test from 'node:test';\ntest('ok', () => {});\n" },
    ]);
    const stuck = await api.runTests(id, ['test/spin.test.js'], { timeoutMs: 1500, perFileTimeoutMs: 60_000 });
    return { stuck, states: api.info(id).states, id };
  });
  expect(result.stuck).toMatchObject({ ok: true, value: { timedOut: ['test/spin.test.js'] } });
  expect(result.states).toContain('booting');
  bridge.setFaults({});
  const after = await page.evaluate(async (id) => (window.harness.webcontainer as Api).runTests(id, ['test/ok.test.js']), result.id);
  expect(after).toMatchObject({ ok: true, value: { passed: 1, failed: 0 } });
  expect(bridge.fake.boots).toHaveLength(2);
  expect(bridge.fake.instances[0]?.tornDown).toBe(true);
});

test('a failing npm install is one clear failure and no test runs', async ({ page }) => {
  await openHarness(page, { failInstall: true });
  const result = await page.evaluate(async () => {
    const api = window.harness.webcontainer as Api;
    const id = api.create();
    await api.sync(id, [
      { path: 'package.json', content: '{ "type": "module", "dependencies": { "left-padd": "^1.0.0" } }' },
      { path: 'test/a.test.js', content: "import test from 'node:test';\ntest('a', () => {});\n" },
    ]);
    return { report: await api.runTests(id, ['test/a.test.js']), info: api.info(id) };
  });
  expect(result.report).toMatchObject({ ok: true, value: { passed: 0, failed: 1 } });
  expect(result.report.ok && result.report.value.failures[0]).toMatchObject({ name: 'npm install', file: 'package.json' });
  expect(result.report.ok && result.report.value.failures[0]?.message).toMatch(/npm install failed \(exit code 1\)[\s\S]*npm error 404/);
  expect(result.info.output).toContain('$ npm install');
  expect(bridge.fake.instances[0]?.spawns.some((record) => record.args.includes('--test'))).toBe(false);
});
