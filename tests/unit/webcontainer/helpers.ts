/** Shared set-up of the adapter tests: a WebContainerSandbox on a fresh boot lock and a fake WebContainer. */
import { afterEach } from 'vitest';
import type { FileChange, SandboxStatus } from '../../../src/sandbox/types.ts';
import { WebContainerBootLock } from '../../../src/sandbox/webcontainer-boot.ts';
import type { SupportEnvironment } from '../../../src/sandbox/webcontainer-support.ts';
import { WebContainerSandbox, type WebContainerSandboxOptions } from '../../../src/sandbox/webcontainer.ts';
import { FakeWebContainer, type FakeWebContainerFaults } from '../../support/fake-webcontainer.ts';

export const isolatedBrowser: SupportEnvironment = {
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
  platform: 'Linux x86_64',
  maxTouchPoints: 0,
};

export interface Setup {
  fake: FakeWebContainer;
  lock: WebContainerBootLock;
  sandbox: WebContainerSandbox;
  states: string[];
  /** A second sandbox of the same page (same lock, same fake). */
  another(options?: WebContainerSandboxOptions): WebContainerSandbox;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function setup(faults: FakeWebContainerFaults = {}, options: WebContainerSandboxOptions = {}): Setup {
  const fake = new FakeWebContainer(faults);
  const lock = new WebContainerBootLock();
  const make = (extra: WebContainerSandboxOptions = {}) => {
    const sandbox = new WebContainerSandbox({
      bootLock: lock,
      loadClass: async () => fake,
      environment: isolatedBrowser,
      coep: 'require-corp',
      bootTimeoutMs: 15_000,
      killGraceMs: 300,
      ...options,
      ...extra,
    });
    cleanups.push(() => sandbox.dispose());
    return sandbox;
  };
  const sandbox = make();
  const states: string[] = [];
  sandbox.onStatus((status: SandboxStatus) => states.push(status.detail ? `${status.state}:${status.detail}` : status.state));
  cleanups.unshift(() => fake.dispose());
  return { fake, lock, sandbox, states, another: make };
}

export function files(record: Record<string, string>): FileChange[] {
  return Object.entries(record).map(([path, content]) => ({ path, content }));
}

export const sumProject = {
  'package.json': '{ "name": "sum", "type": "module" }',
  'src/sum.js': 'export function sum(a, b) {\n  return a + b;\n}\n',
  'test/sum.test.js':
    "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n\n" +
    "test('adds two numbers', () => {\n  assert.equal(sum(1, 2), 3);\n});\n",
};
