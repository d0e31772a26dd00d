/**
 * The shared sandbox contract (`tests/support/sandbox-contract.ts`) against the worker sandbox in Chromium:
 * each case runs in the page (a fresh WorkerSandbox), its `check` runs here in Node. Cases that need the
 * full sandbox (fs, packages) must come back `unsupported`. While a case runs, the page's main thread keeps
 * ticking (a busy loop in generated code never blocks it).
 */
import { expect, test } from '@playwright/test';
import { sandboxContractCases, type ContractCaseData, type ContractResult } from '../support/sandbox-contract.ts';

interface CaseRun {
  ok: boolean;
  value?: ContractResult;
  error?: { name: string; message: string };
  ticks: number;
  longestGapMs: number;
}

test.describe('worker sandbox: the sandbox contract', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tests/harness/index.html');
    await page.evaluate(() => window.harnessReady);
  });

  for (const contractCase of sandboxContractCases) {
    test(contractCase.name, async ({ page }) => {
      test.setTimeout((contractCase.timeoutMs ?? 60_000) + 30_000);
      const { check, ...data } = contractCase;
      const run = (await page.evaluate(
        (caseData) => (window.harness.workerSandbox as { runCase(d: ContractCaseData): Promise<CaseRun> }).runCase(caseData),
        data as ContractCaseData,
      )) as CaseRun;
      expect(run.error, JSON.stringify(run.error)).toBeUndefined();
      check(run.value as ContractResult, { kind: 'worker' });
      if (contractCase.needs?.some((need) => need === 'fs' || need === 'packages')) {
        const report = run.value?.kind === 'runTests' ? run.value.report : undefined;
        expect(report?.unsupported).toMatch(/needs the full sandbox/);
      }
      // Liveness, not speed: generated code never runs on the page's thread, so a busy loop (stopped at
      // 1-2 s) cannot hold it. The bound is loose because a loaded CI machine stalls pages too.
      expect(run.longestGapMs, 'the page was never held for the length of a case').toBeLessThan(5000);
    });
  }
});
