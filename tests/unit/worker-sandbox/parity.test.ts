/**
 * The same test files under real `node --test` (the Node sandbox) and under the worker sandbox's runtime
 * (in this process): the reports must agree on counts, failing names (in order), their locations and
 * time-outs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findTestFiles } from '../../../src/sandbox/test-files.ts';
import type { TestReport } from '../../../src/sandbox/types.ts';
import { NodeSandbox } from '../../support/node-sandbox.ts';
import { parityProjects } from './parity-projects.ts';
import { runTestsInNode } from './run-in-node.ts';

/** What must agree between the two runners. */
export function comparable(report: TestReport) {
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

describe('worker runtime vs real node --test', () => {
  let node: NodeSandbox;
  beforeAll(async () => {
    node = await NodeSandbox.create();
  });
  afterAll(async () => {
    await node.dispose();
  });

  for (const project of parityProjects.filter((p) => !p.nodeOnlyUnsafe)) {
    test(project.name, async () => {
      const paths = findTestFiles(Object.keys(project.files));
      await node.sync(Object.entries(project.files).map(([path, content]) => ({ path, content })));
      const expected = await node.runTests(paths, { perFileTimeoutMs: 20_000, timeoutMs: 60_000 });
      const actual = await runTestsInNode(project.files, paths);
      if (process.env.SHOW_PARITY) console.log(expected.output, '\n----\n', actual.output);
      expect(comparable(actual)).toEqual(comparable(expected));
      await node.sync(Object.keys(project.files).map((path) => ({ path, content: null })));
    });
  }
});
