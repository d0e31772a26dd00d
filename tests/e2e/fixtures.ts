/**
 * Shared Playwright fixtures for specs that drive the built app by the accessible names of DESIGN.md §9.
 *
 *   import { test, expect, fillSettings, startRun } from './fixtures.ts';
 *   test.use({ scenario: 'three-step-fix' });          // tests/support/scenarios/<name>.json
 *   test('…', async ({ page, mock, app }) => {
 *     await app.open();
 *     await fillSettings(page, { baseURL: mock.url });
 *     await startRun(page, app.scenario!.task);
 *     await expectRunStatus(page, 'completed');
 *   });
 *
 * - `mock`: the mock OpenAI-compatible server (`tests/support/mock-server.ts`) started in the Playwright
 *   process, playing the spec's `scenario` (option), closed after the test. Its `chatRequests` are every
 *   request the app sent.
 * - `webContainer`: set the option `fakeWebContainer: true` to install the fake WebContainer
 *   (`globalThis.__L2MAC_WEBCONTAINER__`, real Node on this machine) before the page loads.
 * - `app.open()`: goes to the app (with `?wcBootMs=` short unless the spec sets `wcBootMs`), waits until
 *   it shows the Task box, and records page errors in `app.errors`.
 */
import { readFileSync } from 'node:fs';
import { expect, test as base, type Page } from '@playwright/test';
import { parseScenario, type Scenario } from '../../src/llm/scenario.ts';
import type { RunStatus } from '../../src/l2mac/run-state.ts';
import { createMockServer, type MockServer, type MockServerOptions } from '../support/mock-server.ts';
import { installFakeWebContainer, type FakeWebContainerBridge } from '../support/fake-webcontainer-bridge.ts';

export { expect };

/** A model not in the model table, so the settings must give its context window. */
export const MOCK_MODEL = 'mock-coder-1';
export const MOCK_CONTEXT_WINDOW = 128_000;
export const MOCK_API_KEY = 'sk-test-e2e-0123456789abcdef';

export function loadScenario(name: string): Scenario {
  const url = new URL(`../support/scenarios/${name}.json`, import.meta.url);
  return parseScenario(JSON.parse(readFileSync(url, 'utf8')));
}

export interface AppPage {
  /** The scenario the mock server plays, if any. */
  scenario: Scenario | null;
  /** Page errors and console errors seen since `open()`. */
  errors: string[];
  open(path?: string): Promise<void>;
}

interface Options {
  /** Name of a scenario under `tests/support/scenarios/` for the mock server (none: echo mode). */
  scenario: string | null;
  mockOptions: Omit<MockServerOptions, 'scenario'>;
  fakeWebContainer: boolean;
  /** The page's WebContainer boot limit (`?wcBootMs=`); short by default so "Automatic" falls back fast. */
  wcBootMs: number;
}

interface Fixtures {
  mock: MockServer;
  webContainer: FakeWebContainerBridge | null;
  app: AppPage;
}

export const test = base.extend<Options & Fixtures>({
  scenario: [null, { option: true }],
  mockOptions: [{}, { option: true }],
  fakeWebContainer: [false, { option: true }],
  wcBootMs: [1_500, { option: true }],

  mock: async ({ scenario, mockOptions }, use) => {
    const server = await createMockServer({ ...mockOptions, ...(scenario ? { scenario: loadScenario(scenario) } : {}) });
    await use(server);
    await server.close();
  },

  webContainer: async ({ page, fakeWebContainer }, use) => {
    if (!fakeWebContainer) {
      await use(null);
      return;
    }
    const bridge = await installFakeWebContainer(page);
    await use(bridge);
    await bridge.dispose();
  },

  app: async ({ page, scenario, wcBootMs, webContainer }, use) => {
    void webContainer;
    const errors: string[] = [];
    const app: AppPage = {
      scenario: scenario ? loadScenario(scenario) : null,
      errors,
      async open(path = '/') {
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        const separator = path.includes('?') ? '&' : '?';
        await page.goto(`${path}${separator}wcBootMs=${wcBootMs}`);
        await expect(page.getByRole('textbox', { name: 'Task', exact: true }).or(page.getByTestId('run-status'))).toBeVisible();
      },
    };
    await use(app);
  },
});

export interface SettingsInput {
  baseURL: string;
  apiKey?: string;
  model?: string;
  /** Tokens; filled when given (required for a model the table does not know). */
  contextWindow?: number | null;
  /** "remember on this device" (default) or "this tab only". */
  keepKey?: 'device' | 'tab';
  defaultSandbox?: 'Automatic' | 'Worker only' | 'WebContainer only';
}

/** Opens Settings, fills it by the accessible names of DESIGN.md §9, saves, and waits for it to close. */
export async function fillSettings(page: Page, input: SettingsInput): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(input.baseURL);
  await dialog.getByLabel('API key', { exact: true }).fill(input.apiKey ?? MOCK_API_KEY);
  await dialog.getByRole('radio', { name: input.keepKey === 'tab' ? 'This tab only' : 'Remember on this device' }).check();
  await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill(input.model ?? MOCK_MODEL);
  const context = input.contextWindow === undefined ? MOCK_CONTEXT_WINDOW : input.contextWindow;
  if (context !== null) await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill(String(context));
  if (input.defaultSandbox) await dialog.getByRole('radio', { name: new RegExp(`^${input.defaultSandbox}`) }).check();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
}

export interface RunInput {
  sandbox?: 'Automatic' | 'Worker only' | 'WebContainer only';
  stepCap?: number;
  /** Click "Plan first" instead of "Run". */
  planFirst?: boolean;
}

/** Types the task on the New run form and starts it; waits until the run view shows a status. */
export async function startRun(page: Page, task: string, input: RunInput = {}): Promise<void> {
  const taskBox = page.getByRole('textbox', { name: 'Task', exact: true });
  if (!(await taskBox.isVisible())) await page.getByRole('button', { name: 'New run', exact: true }).click();
  await taskBox.fill(task);
  if (input.sandbox) await page.getByRole('combobox', { name: 'Sandbox', exact: true }).selectOption({ label: input.sandbox });
  if (input.stepCap) await page.getByRole('spinbutton', { name: 'Step cap', exact: true }).fill(String(input.stepCap));
  await page.getByRole('button', { name: input.planFirst ? 'Plan first' : 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toBeVisible();
}

/** Waits for `[data-testid="run-status"]` to read exactly `status`. */
export async function expectRunStatus(page: Page, status: RunStatus, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveText(status, { timeout });
}

/** The list "Steps" and its items. */
export function stepItems(page: Page) {
  return page.getByRole('list', { name: 'Steps', exact: true }).getByRole('listitem');
}

/** The tree "Files" and the treeitem of one path. */
export function fileItem(page: Page, path: string) {
  return page.getByRole('tree', { name: 'Files', exact: true }).getByRole('treeitem', { name: path, exact: true });
}

/** Settings that point the app at the mock server, and a run of the spec's scenario, up to `status`. */
export async function runScenario(page: Page, mock: MockServer, app: AppPage, input: RunInput & { status?: RunStatus } = {}): Promise<void> {
  if (!app.scenario) throw new Error('runScenario needs test.use({ scenario })');
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, app.scenario.task, { stepCap: app.scenario.settings?.maxSteps ?? 10, ...input });
  if (input.status) await expectRunStatus(page, input.status);
}

/** The fixed names of DESIGN.md §9 that must each name at most one visible control of their role. */
const FIXED_NAMES: [Parameters<Page['getByRole']>[0], string][] = [
  ['textbox', 'Task'],
  ['button', 'Run'],
  ['button', 'Settings'],
  ['textbox', 'Base URL'],
  ['textbox', 'Model'],
  ['spinbutton', 'Context window'],
  ['button', 'Save'],
  ['list', 'Steps'],
  ['tree', 'Files'],
  ['button', 'Download zip'],
  ['button', 'Resume'],
  ['button', 'Cancel'],
];

/** Checks the uniqueness rule of DESIGN.md §9 on whatever is visible now; returns the names seen. */
export async function expectUniqueFixedNames(page: Page): Promise<string[]> {
  const seen: string[] = [];
  for (const [role, name] of FIXED_NAMES) {
    const visible = await page.getByRole(role, { name, exact: true }).filter({ visible: true }).count();
    expect(visible, `${role} "${name}" is visible ${visible} times`).toBeLessThanOrEqual(1);
    if (visible) seen.push(`${role} ${name}`);
  }
  return seen;
}
