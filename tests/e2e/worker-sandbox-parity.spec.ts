/**
 * The same test files under real `node --test` (the Node sandbox, in this Playwright process) and in the
 * worker sandbox in Chromium: counts, failing names (in order), their locations and time-outs must be equal. Includes the
 * projects the in-process unit run cannot contain (errors nobody catches, exit codes).
 */
import { expect, test } from '@playwright/test';
import { findTestFiles } from '../../src/sandbox/test-files.ts';
import type { TestReport } from '../../src/sandbox/types.ts';
import { NodeSandbox } from '../support/node-sandbox.ts';
import { parityProjects } from '../unit/worker-sandbox/parity-projects.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

interface WorkerSandboxHarness {
  create(): number;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome<void>>;
  runTests(id: number, paths: string[], options: { perFileTimeoutMs: number; timeoutMs: number }): Promise<Outcome<TestReport>>;
  dispose(id: number): Promise<void>;
}

function comparable(report: TestReport) {
  return {
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    todo: report.todo,
    failing: report.failures.map((failure) => failure.name),
    locations: report.failures.map((failure) => failure.location),
    timedOut: report.timedOut,
    unsupported: report.unsupported,
  };
}

test.describe('worker sandbox vs real node --test', () => {
  let node: NodeSandbox;
  test.beforeAll(async () => {
    node = await NodeSandbox.create();
  });
  test.afterAll(async () => {
    await node.dispose();
  });

  for (const project of parityProjects) {
    test(project.name, async ({ page }) => {
      const paths = findTestFiles(Object.keys(project.files));
      const changes = Object.entries(project.files).map(([path, content]) => ({ path, content }));
      const limits = { perFileTimeoutMs: 20_000, timeoutMs: 60_000 };
      await node.sync(changes);
      const expected = await node.runTests(paths, limits);
      await node.sync(changes.map(({ path }) => ({ path, content: null })));

      await page.goto('/tests/harness/index.html');
      await page.evaluate(() => window.harnessReady);
      const actual = await page.evaluate(
        async ({ changes, paths, limits }) => {
          const harness = window.harness.workerSandbox as WorkerSandboxHarness;
          const id = harness.create();
          await harness.sync(id, changes);
          const result = await harness.runTests(id, paths, limits);
          await harness.dispose(id);
          return result;
        },
        { changes, paths, limits },
      );
      if (process.env.SHOW_PARITY) console.log(project.name, JSON.stringify(comparable(expected)));
      if (!actual.ok) throw new Error(`${actual.error.name}: ${actual.error.message}`);
      expect(comparable(actual.value), `worker output:\n${actual.value.output}\n\nnode output:\n${expected.output}`).toEqual(comparable(expected));
    });
  }
});
