/**
 * `runFile` in the worker sandbox, as `node <file> <args>` would run it: console output captured in order,
 * `process.argv`, exit codes (`process.exit`, `process.exitCode`, an uncaught error is 1 with its stack at
 * the file's own line), TypeScript after stripping, timers awaited, and "needs the full sandbox" for `fs`.
 */
import { expect, test } from '@playwright/test';
import type { RunFileResult } from '../../src/sandbox/types.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };
interface Harness {
  create(): number;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome<void>>;
  runFile(id: number, path: string, args: string[]): Promise<Outcome<RunFileResult>>;
}

const files: Record<string, string> = {
  'package.json': '{ "type": "module" }\n',
  'src/greet.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n',
  'src/main.ts': "import { greet } from './greet.ts';\nconsole.log(greet(process.argv[2] ?? 'nobody'));\nconsole.error('args', process.argv.slice(2).length);\nsetTimeout(() => console.log('later'), 20);\n",
  'src/throws.js': "import { helper } from './helper.js';\nconsole.log('before');\nhelper();\n",
  'src/helper.js': "export function helper() {\n  throw new Error('boom in helper');\n}\n",
  'src/rejects.js': "console.log('start');\nPromise.reject(new TypeError('nobody handles me'));\n",
  'src/exit-code.js': "process.exitCode = 5;\nconsole.log('set the code');\n",
  'src/exit.js': "process.on('exit', (code) => console.log('exiting with', code));\nprocess.exit(7);\nconsole.log('never printed');\n",
  'src/fs.js': "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('package.json', 'utf8'));\n",
};

async function runFile(page: import('@playwright/test').Page, path: string, args: string[] = []): Promise<RunFileResult> {
  const result = await page.evaluate(
    async ({ files, path, args }) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create();
      await harness.sync(id, Object.entries(files).map(([p, content]) => ({ path: p, content })));
      return harness.runFile(id, path, args);
    },
    { files, path, args },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test.describe('worker sandbox: runFile', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tests/harness/index.html');
    await page.evaluate(() => window.harnessReady);
  });

  test('a TypeScript program with arguments; output in order; timers awaited', async ({ page }) => {
    const run = await runFile(page, 'src/main.ts', ['world', '--x']);
    expect(run).toMatchObject({ exitCode: 0, timedOut: false });
    expect(run.output).toBe('hello world\nargs 2\nlater\n');
  });

  test('an uncaught error exits 1 with its stack at the file’s own line', async ({ page }) => {
    const run = await runFile(page, 'src/throws.js');
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(/^before\nError: boom in helper\n\s+at helper \(file:\/\/\/project\/src\/helper\.js:2:9\)\n\s+at file:\/\/\/project\/src\/throws\.js:3:1/);
    expect(run.output).not.toMatch(/blob:|data:/);
  });

  test('an unhandled rejection exits 1', async ({ page }) => {
    const run = await runFile(page, 'src/rejects.js');
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(/start\nTypeError: nobody handles me/);
  });

  test('process.exitCode and process.exit', async ({ page }) => {
    expect(await runFile(page, 'src/exit-code.js')).toMatchObject({ exitCode: 5, output: 'set the code\n' });
    expect(await runFile(page, 'src/exit.js')).toMatchObject({ exitCode: 7, output: 'exiting with 7\n' });
  });

  test('a program using node:fs needs the full sandbox; a missing file exits 1', async ({ page }) => {
    const run = await runFile(page, 'src/fs.js');
    expect(run).toMatchObject({ exitCode: null, output: '' });
    expect(run.unsupported).toMatch(/needs the full sandbox.*node:fs \(the file system\)/);
    const missing = await runFile(page, 'src/nope.js');
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toMatch(/Cannot find module '\/project\/src\/nope\.js'/);
  });
});
