/**
 * WorkerSandbox on its own (no Worker in Node): what it decides without starting a worker, its status, and
 * its errors. Running in a worker is covered in Chromium (`tests/e2e/worker-sandbox*.spec.ts`).
 */
import { describe, expect, test } from 'vitest';
import { AbortError, SandboxUnavailableError } from '../../../src/errors.ts';
import type { SandboxStatus } from '../../../src/sandbox/types.ts';
import { NEEDS_FULL_SANDBOX, WorkerSandbox } from '../../../src/sandbox/worker-sandbox.ts';

const files = [
  { path: 'package.json', content: '{"type":"module"}' },
  { path: 'db.test.js', content: "import { test } from 'node:test';\nimport { readFileSync } from 'node:fs';\ntest('reads', () => readFileSync('x'));\n" },
  { path: 'pkg.test.js', content: "import { test } from 'node:test';\nimport _ from 'lodash';\ntest('uses lodash', () => _);\n" },
  { path: 'main.js', content: "import { exec } from 'node:child_process';\nexec('ls');\n" },
];

describe('WorkerSandbox without a worker', () => {
  test('test files that need the full sandbox are reported, not run', async () => {
    const sandbox = new WorkerSandbox();
    await sandbox.sync(files);
    const report = await sandbox.runTests(['db.test.js', 'pkg.test.js']);
    expect(report).toMatchObject({ passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '' });
    expect(report.unsupported).toBe(
      `${NEEDS_FULL_SANDBOX}: db.test.js was not run: it uses node:fs (the file system) (imported by db.test.js); pkg.test.js was not run: it uses the package 'lodash' (imported by pkg.test.js)`,
    );
  });

  test('a program that needs the full sandbox is reported, not run', async () => {
    const sandbox = new WorkerSandbox();
    await sandbox.sync(files);
    expect(await sandbox.runFile('main.js', [])).toEqual({
      output: '',
      exitCode: null,
      timedOut: false,
      unsupported: `${NEEDS_FULL_SANDBOX}: main.js uses node:child_process (processes) (imported by main.js)`,
    });
    expect(await sandbox.runFile('notes.txt', [])).toMatchObject({ exitCode: 1, output: expect.stringMatching(/Cannot find module/) });
  });

  test('sync deletes with null content; checkSyntax of no JavaScript file needs no worker', async () => {
    const sandbox = new WorkerSandbox();
    await sandbox.sync(files);
    await sandbox.sync([{ path: 'main.js', content: null }]);
    expect(await sandbox.runFile('main.js', [])).toMatchObject({ exitCode: 1, output: expect.stringMatching(/Cannot find module '\/project\/main\.js'/) });
    expect(await sandbox.checkSyntax(['src/a.ts', 'README.md'])).toEqual({ issues: [] });
  });

  test('status: ready, then disposed; a disposed sandbox refuses work; an aborted signal is an AbortError', async () => {
    const sandbox = new WorkerSandbox();
    const seen: SandboxStatus[] = [];
    sandbox.onStatus((status) => seen.push(status));
    expect(sandbox.kind).toBe('worker');
    expect(sandbox.status).toEqual({ kind: 'worker', state: 'ready' });
    const controller = new AbortController();
    controller.abort();
    await expect(sandbox.runTests([], { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await sandbox.dispose();
    expect(seen.at(-1)).toEqual({ kind: 'worker', state: 'disposed' });
    await expect(sandbox.runTests([])).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(sandbox.sync([])).rejects.toBeInstanceOf(SandboxUnavailableError);
  });
});
