import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, SandboxUnavailableError } from '../../../src/errors.ts';
import type { SandboxStatus } from '../../../src/sandbox/types.ts';
import { NodeSandbox } from '../../support/node-sandbox.ts';

const esm = { path: 'package.json', content: '{"type":"module"}' };

/** Polls a condition (no fixed sleeps); fails after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('NodeSandbox', () => {
  let sandbox: NodeSandbox | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });

  it('writes, strips TS after the in-app check, deletes, and keeps broken TS as written', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([
      esm,
      { path: 'src/a.ts', content: 'export const a: number = 1;\n' },
      { path: 'src/broken.ts', content: 'export const b: = 2;\n' },
      { path: 'src/gone.js', content: 'x' },
    ]);
    expect(await readFile(join(sandbox.root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(await readFile(join(sandbox.root, 'src/broken.ts'), 'utf8')).toBe('export const b: = 2;\n');
    expect(await readFile(join(sandbox.root, 'package.json'), 'utf8')).toBe('{"type":"module"}');
    await sandbox.sync([{ path: 'src/gone.js', content: null }]);
    expect(existsSync(join(sandbox.root, 'src/gone.js'))).toBe(false);
  });

  it('refuses paths that leave the project, also through a link made by generated code', async () => {
    sandbox = await NodeSandbox.create();
    for (const path of ['../escape.js', '/etc/passwd', 'a/../../b.js', 'a\\b.js', '', 'a//b.js']) {
      await expect(sandbox.sync([{ path, content: 'x' }]), path).rejects.toThrow(/refused path/);
    }
    await symlink(sandbox.base, join(sandbox.root, 'link'));
    await expect(sandbox.sync([{ path: 'link/escape.js', content: 'x' }])).rejects.toThrow(/through a link/);
    await expect(sandbox.runFile('../x.js', [])).rejects.toThrow(/refused path/);
  });

  it('reports busy while working and ready after, and disposes its folder', async () => {
    sandbox = await NodeSandbox.create();
    const seen: SandboxStatus['state'][] = [];
    const stop = sandbox.onStatus((status) => seen.push(status.state));
    await sandbox.sync([esm, { path: 'a.test.js', content: "import { test } from 'node:test'; test('t', () => {});" }]);
    await sandbox.runTests(['a.test.js']);
    stop();
    expect(seen).toEqual(['busy', 'ready', 'busy', 'ready']);
    await sandbox.dispose();
    expect(sandbox.status.state).toBe('disposed');
    expect(existsSync(sandbox.base)).toBe(false);
    await expect(sandbox.runTests(['a.test.js'])).rejects.toBeInstanceOf(SandboxUnavailableError);
    sandbox = undefined;
  });

  it('streams output while the tests run', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([esm, { path: 'a.test.js', content: "import { test } from 'node:test'; test('streamed', () => {});" }]);
    const chunks: string[] = [];
    const report = await sandbox.runTests(['a.test.js'], { onOutput: (chunk) => chunks.push(chunk) });
    expect(chunks.join('')).toContain('ok 1 - streamed');
    expect(report.output).toContain('ok 1 - streamed');
    expect(report.durationMs).toBeGreaterThan(0);
  });

  it('kills the run and every test process on abort', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([
      esm,
      {
        path: 'spin.test.js',
        content: "import { writeFileSync } from 'node:fs';\nwriteFileSync('pid.txt', String(process.pid));\nwhile (true) {}\n",
      },
    ]);
    const controller = new AbortController();
    const run = sandbox.runTests(['spin.test.js'], { signal: controller.signal, perFileTimeoutMs: 60_000, timeoutMs: 60_000 });
    const pidFile = join(sandbox.root, 'pid.txt');
    await until(() => existsSync(pidFile));
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    await until(() => !isAlive(pid));
  });

  it('stops the whole run at its overall limit and says so', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([esm, { path: 'slow.test.js', content: "import { test } from 'node:test';\ntest('slow', () => { while (true) {} });\n" }]);
    const report = await sandbox.runTests(['slow.test.js'], { perFileTimeoutMs: 60_000, timeoutMs: 1000 });
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(report.timedOut).toContain('node --test');
    expect(report.failures.map((f) => f.message).join('\n')).toContain('time limit of 1000 ms');
  });

  it('checks only .js/.mjs/.cjs files with Node', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([esm, { path: 'a.js', content: 'const = 1;' }, { path: 'b.ts', content: 'const = 1;' }]);
    const report = await sandbox.checkSyntax(['a.js', 'b.ts']);
    expect(report.issues).toEqual([{ file: 'a.js', line: 1, column: 7, message: "Unexpected token '='" }]);
    expect(await sandbox.checkSyntax(['b.ts'])).toEqual({ issues: [] });
  });

  it('returns a run file output cut to the limit', async () => {
    sandbox = await NodeSandbox.create();
    await sandbox.sync([esm, { path: 'loud.js', content: "for (let i = 0; i < 5000; i++) console.log('line', i);\n" }]);
    const result = await sandbox.runFile('loud.js', []);
    expect(result.exitCode).toBe(0);
    expect(result.output.length).toBeLessThanOrEqual(8000);
    expect(result.output).toContain('line 4999');
  });
});
