import { describe, expect, it } from 'vitest';
import type { RunFileResult, Sandbox, SyntaxReport, TestReport } from '../../../src/sandbox/types.ts';
import { contractChanges, runContractCase, sandboxContractCases, type ContractResult } from '../../support/sandbox-contract.ts';

/** A sandbox that answers every operation with the same canned result: what a broken implementation does. */
function cannedSandbox(answers: { report: TestReport; run: RunFileResult; syntax: SyntaxReport }): Sandbox {
  return {
    kind: 'node',
    status: { kind: 'node', state: 'ready' },
    onStatus: () => () => {},
    sync: async () => {},
    checkSyntax: async () => answers.syntax,
    runTests: async () => answers.report,
    runFile: async () => answers.run,
    dispose: async () => {},
  };
}

const green: TestReport = { passed: 1, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: 'ok', durationMs: 1 };
const empty: TestReport = { ...green, passed: 0, output: '' };
const lies = {
  'everything passes': cannedSandbox({ report: green, run: { output: '', exitCode: 0, timedOut: false }, syntax: { issues: [] } }),
  'nothing runs': cannedSandbox({ report: empty, run: { output: '', exitCode: null, timedOut: false }, syntax: { issues: [] } }),
  'everything unsupported': cannedSandbox({
    report: { ...empty, unsupported: 'needs the full sandbox' },
    run: { output: '', exitCode: null, timedOut: false, unsupported: 'needs the full sandbox' },
    syntax: { issues: [], unsupported: 'needs the full sandbox' },
  }),
};

async function rejectedBy(name: keyof typeof lies, index: number): Promise<boolean> {
  const contractCase = sandboxContractCases[index];
  if (!contractCase) throw new Error('no case');
  const result: ContractResult = await runContractCase(lies[name], contractCase);
  try {
    contractCase.check(result, { kind: 'node' });
    return false;
  } catch {
    return true;
  }
}

describe('the sandbox contract suite', () => {
  it('has the cases the sandboxes must agree on', () => {
    expect(sandboxContractCases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(sandboxContractCases.map((c) => c.name)).size).toBe(sandboxContractCases.length);
  });

  it('rejects a full sandbox that says unsupported, for every case', async () => {
    for (let i = 0; i < sandboxContractCases.length; i++) {
      expect(await rejectedBy('everything unsupported', i), sandboxContractCases[i]?.name).toBe(true);
    }
  });

  it('rejects, in every case, a sandbox that answers with canned results', async () => {
    for (let i = 0; i < sandboxContractCases.length; i++) {
      const name = sandboxContractCases[i]?.name ?? '';
      const caught = (await rejectedBy('everything passes', i)) || (await rejectedBy('nothing runs', i));
      expect(caught, name).toBe(true);
    }
  });

  it('expects "needs the full sandbox" from the worker where the code needs Node', async () => {
    const needing = sandboxContractCases.filter((c) => c.needs?.some((need) => need === 'fs' || need === 'packages'));
    expect(needing.length).toBeGreaterThanOrEqual(2);
    for (const contractCase of needing) {
      const result = await runContractCase(lies['everything unsupported'], contractCase);
      expect(() => contractCase.check(result, { kind: 'worker' })).not.toThrow();
      const green = await runContractCase(lies['everything passes'], contractCase);
      expect(() => contractCase.check(green, { kind: 'worker' }), contractCase.name).toThrow();
    }
  });

  it('syncs every file of a case in a stable order', () => {
    const contractCase = sandboxContractCases[0];
    expect(contractCase && contractChanges(contractCase).map((c) => c.path)).toEqual(Object.keys(contractCase?.files ?? {}).sort());
  });
});
