/**
 * The ONE sandbox contract suite (`tests/support/sandbox-contract.ts`) against the WebContainer adapter over
 * the fake WebContainer: a fresh sandbox per case, all of them sharing one boot (as in a page), so every
 * case also proves that a new sandbox takes the working directory over cleanly.
 */
import { afterAll, afterEach, describe, it } from 'vitest';
import { WebContainerBootLock } from '../../../src/sandbox/webcontainer-boot.ts';
import { WebContainerSandbox } from '../../../src/sandbox/webcontainer.ts';
import { FakeWebContainer } from '../../support/fake-webcontainer.ts';
import { runContractCase, sandboxContractCases } from '../../support/sandbox-contract.ts';
import { isolatedBrowser } from './helpers.ts';

describe('sandbox contract: WebContainer adapter over the fake WebContainer', () => {
  const fake = new FakeWebContainer();
  const lock = new WebContainerBootLock();
  let sandbox: WebContainerSandbox | undefined;

  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });
  afterAll(async () => {
    await fake.dispose();
  });

  for (const contractCase of sandboxContractCases) {
    it(contractCase.name, async () => {
      sandbox = new WebContainerSandbox({
        bootLock: lock,
        loadClass: async () => fake,
        environment: isolatedBrowser,
        coep: 'require-corp',
      });
      const result = await runContractCase(sandbox, contractCase);
      contractCase.check(result, { kind: sandbox.kind });
    });
  }
});
