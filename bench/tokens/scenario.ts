/**
 * The fixed scripted scenario of figure 3: a plan of 5 steps building a small inventory library, with the
 * kinds of turns a real agent takes (looking at files, whole-file writes, small edits, a failing test
 * fixed, a gate that fails once), and a sandbox whose answers depend only on the files, so every request
 * of the run is the same on every machine.
 */
import type { ScenarioTurn } from '../../src/llm/scenario.ts';
import type { ExecOptions, FileChange, RunFileResult, Sandbox, SandboxStatus, SyntaxReport, TestReport } from '../../src/sandbox/types.ts';
import { moduleSource, testSource } from '../core/project.ts';
import { call, scenarioOf, turnAt } from '../core/scripted-run.ts';

export const TOKEN_TASK =
  'Build a small JavaScript inventory library: items with quantities (inventory), prices with discounts and taxes (pricing), ' +
  'orders that reserve stock and compute totals (orders), and reports of stock value and best sellers (reports), ' +
  'exported from one index module, with node:test tests for every module and a README.';

export const TOKEN_PLAN = [
  'Create src/inventory.js holding items (id, name, quantity) in a Map, with addItem, removeItem, adjustQuantity and listItems. Write src/inventory.test.js with node:test covering each function, and run the tests until they pass.',
  'Create src/pricing.js with priceOf(item), applyDiscount(price, percent) and addTax(price, rate), rounding to cents, using the items of src/inventory.js. Write src/pricing.test.js covering rounding and edge cases, and run the tests until they pass.',
  'Create src/orders.js: createOrder(lines) reserving stock from the inventory, cancelOrder restoring it, and orderTotal using pricing. Write src/orders.test.js, including an order that exceeds the stock, and run the tests until they pass.',
  'Create src/reports.js: stockValue() over all items and bestSellers(orders, n). Add a lowStock(threshold) helper to src/inventory.js. Write src/reports.test.js and run every test until they pass.',
  'Create src/index.js re-exporting the public functions of every module, src/index.test.js importing them all from it, and README.md describing the library, its functions and how to run the tests. Run the tests until they pass.',
];

/** Marks a module whose tests fail in the judging sandbox, until the line is removed. */
export const BUG_LINE = 'export const roundingBug = true; // BUG';

const M = {
  inventory: { path: 'src/inventory.js', index: 1, lines: 60 },
  pricing: { path: 'src/pricing.js', index: 2, lines: 50 },
  orders: { path: 'src/orders.js', index: 3, lines: 120 },
  reports: { path: 'src/reports.js', index: 4, lines: 70 },
  index: { path: 'src/index.js', index: 5, lines: 20 },
};

function module(m: (typeof M)[keyof typeof M], variant = 0): string {
  return moduleSource(m.index, m.lines, variant);
}

function testOf(m: (typeof M)[keyof typeof M]): string {
  return testSource(m.index, `./${m.path.split('/').pop() as string}`, 6);
}

const README = [
  '# inventory',
  '',
  'A small inventory library: items, prices, orders and reports, as ES modules.',
  '',
  '## Use',
  '',
  "    import { addItem, createOrder, orderTotal } from './src/index.js';",
  '',
  '## Tests',
  '',
  '    node --test',
  '',
].join('\n');

export function tokenScenario() {
  const withBug = (text: string) => text.replace('\n', `\n${BUG_LINE}\n`);
  const countLine = (m: (typeof M)[keyof typeof M], variant = 0) => module(m, variant).split('\n').at(-2) as string;
  const turns: ScenarioTurn[] = [
    turnAt('plan', 0, 0, { toolCalls: [call.plan(TOKEN_PLAN)] }),
    // Step 1: write the module and its test, then the gate.
    turnAt('step', 1, 0, { content: 'I will write the inventory module and its tests.', toolCalls: [call.write({ [M.inventory.path]: module(M.inventory), 'src/inventory.test.js': testOf(M.inventory) })] }),
    turnAt('step', 1, 1, { toolCalls: [call.gate()] }),
    turnAt('summary', 1, 2, { content: 'src/inventory.js keeps items in a Map with addItem, removeItem, adjustQuantity and listItems; its tests pass.' }),
    // Step 2: look, write with a bug (the checks fail), fix it with an edit, then the gate.
    turnAt('step', 2, 0, { toolCalls: [call.view([M.inventory.path])] }),
    turnAt('step', 2, 1, { toolCalls: [call.write({ [M.pricing.path]: withBug(module(M.pricing)), 'src/pricing.test.js': testOf(M.pricing) })] }),
    turnAt('step', 2, 2, { content: 'The rounding test fails; I will remove the faulty line.', toolCalls: [call.edit(M.pricing.path, `${BUG_LINE}\n`, '')] }),
    turnAt('step', 2, 3, { toolCalls: [call.gate()] }),
    turnAt('summary', 2, 4, { content: 'src/pricing.js adds priceOf, applyDiscount and addTax (rounded to cents); its tests pass.' }),
    // Step 3: list, write a larger module, then the gate.
    turnAt('step', 3, 0, { toolCalls: [call.list()] }),
    turnAt('step', 3, 1, { toolCalls: [call.view([M.pricing.path])] }),
    turnAt('step', 3, 2, { toolCalls: [call.write({ [M.orders.path]: module(M.orders), 'src/orders.test.js': testOf(M.orders) })] }),
    turnAt('step', 3, 3, { toolCalls: [call.gate()] }),
    turnAt('summary', 3, 4, { content: 'src/orders.js adds createOrder, cancelOrder and orderTotal, reserving and restoring stock; its tests pass.' }),
    // Step 4: look at two files, edit one, write a module with a bug, the gate fails, rewrite, the gate passes.
    turnAt('step', 4, 0, { toolCalls: [call.view([M.orders.path, M.pricing.path])] }),
    turnAt('step', 4, 1, { toolCalls: [call.edit(M.inventory.path, countLine(M.inventory), `${countLine(M.inventory)}\nexport function lowStock(threshold) {\n  return threshold;\n}`)] }),
    turnAt('step', 4, 2, { toolCalls: [call.write({ [M.reports.path]: withBug(module(M.reports)), 'src/reports.test.js': testOf(M.reports) })] }),
    turnAt('step', 4, 3, { toolCalls: [call.gate()] }),
    turnAt('step', 4, 4, { content: 'One report test fails; here is the corrected module.', toolCalls: [call.write({ [M.reports.path]: module(M.reports, 1) })] }),
    turnAt('step', 4, 5, { toolCalls: [call.gate()] }),
    turnAt('summary', 4, 6, { content: 'src/reports.js adds stockValue and bestSellers; inventory has lowStock; every test passes.' }),
    // Step 5: the index, its test and the README in one write, then the gate.
    turnAt('step', 5, 0, { toolCalls: [call.write({ [M.index.path]: module(M.index), 'src/index.test.js': testOf(M.index), 'README.md': README })] }),
    turnAt('step', 5, 1, { toolCalls: [call.gate()] }),
    turnAt('summary', 5, 2, { content: 'src/index.js re-exports every module; README.md explains use and tests; all tests pass.' }),
    turnAt('report', 0, 0, { content: '- inventory: done\n- pricing: done\n- orders: done\n- reports: done\n- index and README: done\nEvery requirement is built and tested.' }),
  ];
  return scenarioOf('tokens-5-steps', TOKEN_TASK, turns);
}

/**
 * A sandbox whose answers depend only on the files: each test file has as many passing tests as it
 * calls `test(`, except that every test file fails one test while any file holds `BUG_LINE`.
 */
export class JudgingSandbox implements Sandbox {
  readonly kind = 'node' as const;
  readonly status: SandboxStatus = { kind: 'node', state: 'ready' };
  private readonly files = new Map<string, string>();

  onStatus(): () => void {
    return () => undefined;
  }

  async sync(changes: FileChange[]): Promise<void> {
    for (const c of changes) {
      if (c.content === null) this.files.delete(c.path);
      else this.files.set(c.path, c.content);
    }
  }

  async checkSyntax(): Promise<SyntaxReport> {
    return { issues: [] };
  }

  async runTests(paths: string[], _options?: ExecOptions): Promise<TestReport> {
    const buggy = [...this.files.entries()].find(([, content]) => content.includes(BUG_LINE))?.[0];
    let passed = 0;
    const failures: TestReport['failures'] = [];
    for (const path of paths) {
      const count = (this.files.get(path) ?? '').split('test(').length - 1;
      if (buggy && path.replace('.test.js', '.js') === buggy) {
        passed += count - 1;
        failures.push({ name: `${path} rounding`, file: path, message: 'Expected values to be strictly equal:\n\n41.99 !== 42\n', location: `${path}:6:3` });
      } else passed += count;
    }
    const output = `# tests ${passed + failures.length}\n# pass ${passed}\n# fail ${failures.length}\n`;
    return { passed, failed: failures.length, skipped: 0, todo: 0, failures, timedOut: [], output, durationMs: 0 };
  }

  async runFile(): Promise<RunFileResult> {
    return { output: '', exitCode: 0, timedOut: false };
  }

  async dispose(): Promise<void> {}
}
