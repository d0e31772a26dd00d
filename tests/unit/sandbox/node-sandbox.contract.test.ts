import { afterEach, describe, it } from 'vitest';
import { runContractCase, sandboxContractCases } from '../../support/sandbox-contract.ts';
import { NodeSandbox } from '../../support/node-sandbox.ts';

describe('sandbox contract: Node sandbox', () => {
  let sandbox: NodeSandbox | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });

  for (const contractCase of sandboxContractCases) {
    it(contractCase.name, async () => {
      sandbox = await NodeSandbox.create();
      const result = await runContractCase(sandbox, contractCase);
      contractCase.check(result, { kind: sandbox.kind });
    });
  }
});
