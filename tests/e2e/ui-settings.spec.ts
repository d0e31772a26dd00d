/**
 * Settings (DESIGN.md §6–§8) in the built app: an unknown model needs its context window, a table model
 * does not; the key is kept where the user chose and is dropped when the base URL moves to another origin;
 * "Test connection" runs only on the click and shows its result; the fixed names stay unique.
 */
import { expect, expectUniqueFixedNames, fillSettings, MOCK_API_KEY, test } from './fixtures.ts';

const KEY_ITEM = 'l2mac.apiKey';

async function storedKeys(page: import('@playwright/test').Page) {
  return page.evaluate((item) => ({ local: localStorage.getItem(item), session: sessionStorage.getItem(item) }), KEY_ITEM);
}

test('an unknown model needs its context window; a model of the table does not', async ({ page, mock, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  expect(await expectUniqueFixedNames(page)).toEqual(expect.arrayContaining(['textbox Base URL', 'textbox Model', 'button Save']));
  await expect(dialog.getByRole('textbox', { name: 'Model', exact: true })).not.toHaveAttribute('list');

  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(mock.url);
  await dialog.getByLabel('API key', { exact: true }).fill(MOCK_API_KEY);
  await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill('mock-coder-1');
  await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill('');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('This model is not in the table: enter its context window in tokens.')).toBeVisible();

  await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill('32768');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(dialog.getByRole('spinbutton', { name: 'Context window', exact: true })).toHaveValue('32768');
  await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill('gpt-5.4-mini');
  await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill('');
  await expect(dialog.getByText(/In the model table: [\d,]+-token window/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/Estimated cost \$/)).toBeVisible();
});

test('the key stays where it was put, and a base URL on another origin drops it', async ({ page, mock, app }) => {
  await app.open();
  await fillSettings(page, { baseURL: mock.url, keepKey: 'tab' });
  expect(await storedKeys(page)).toEqual({ local: null, session: expect.stringContaining(MOCK_API_KEY) });

  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue(MOCK_API_KEY);
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('type', 'password');

  // Same origin, other path: the key stays.
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(`${mock.origin}/other/v1`);
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue(MOCK_API_KEY);
  // Another origin: the key is dropped and asked for again.
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill('http://127.0.0.2:9/v1');
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
  await expect(dialog.getByText(`The key you had was for ${mock.origin}. Enter the key for http://127.0.0.2:9.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(await storedKeys(page)).toEqual({ local: null, session: null });
  // No run can start without a key now, and nothing was sent anywhere.
  await page.getByRole('textbox', { name: 'Task', exact: true }).fill('Anything');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText('Open Settings to enter your API key first.')).toBeVisible();
  expect(mock.chatRequests).toHaveLength(0);
});

test('Test connection asks only when clicked, and shows each check', async ({ page, mock, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(mock.url);
  await dialog.getByLabel('API key', { exact: true }).fill(MOCK_API_KEY);
  await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill('mock-coder-1');
  await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill('65536');
  expect(mock.requests.filter((r) => r.method !== 'OPTIONS')).toHaveLength(0);

  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('status', { name: 'Connection test result' });
  await expect(result).toContainText('The connection works.');
  await expect(result).toContainText('Reachable');
  await expect(result).toContainText('Tool calling');
  for (const request of mock.requests.filter((r) => r.method === 'POST')) expect(request.headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
  expect(app.errors).toEqual([]);
});
