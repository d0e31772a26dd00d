/**
 * The run workspace by keyboard alone (issue 9): Tab reaches Settings, the settings fields and Save, the
 * Task and Run; Escape closes Settings and gives focus back; Ctrl+Enter in the task starts the run; the
 * view tabs move with the arrow keys; the file tree opens a file with Enter; every focused control shows
 * a visible focus ring.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectRunStatus, MOCK_API_KEY, MOCK_CONTEXT_WINDOW, MOCK_MODEL, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

/** Presses Tab (or Shift+Tab) until `target` has focus, at most `limit` times; fails if it never does. */
async function tabTo(page: Page, target: Locator, { back = false, limit = 60 } = {}): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

async function expectFocusRing(target: Locator): Promise<void> {
  const outline = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(1);
}

test('settings, a run, its views and its files, by keyboard only', async ({ page, mock, app }) => {
  await app.open();
  await page.locator('body').focus();

  // Settings: open with the keyboard, close with Escape (focus returns), open again and fill it.
  const settingsButton = page.getByRole('button', { name: 'Settings', exact: true });
  await tabTo(page, settingsButton);
  await expectFocusRing(settingsButton);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(settingsButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();

  const fields: [Locator, string][] = [
    [dialog.getByRole('textbox', { name: 'Base URL', exact: true }), mock.url],
    [dialog.getByLabel('API key', { exact: true }), MOCK_API_KEY],
    [dialog.getByRole('textbox', { name: 'Model', exact: true }), MOCK_MODEL],
    [dialog.getByRole('spinbutton', { name: 'Context window', exact: true }), String(MOCK_CONTEXT_WINDOW)],
  ];
  for (const [field, value] of fields) {
    await tabTo(page, field);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
  }
  const save = dialog.getByRole('button', { name: 'Save', exact: true });
  await tabTo(page, save);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  // The task, the worker sandbox, then Ctrl+Enter.
  const task = page.getByRole('textbox', { name: 'Task', exact: true });
  await tabTo(page, task);
  await expectFocusRing(task);
  await page.keyboard.type(app.scenario!.task);
  await page.keyboard.press('Enter');
  await expect(task).toHaveValue(`${app.scenario!.task}\n`);
  const sandbox = page.getByRole('combobox', { name: 'Sandbox', exact: true });
  await tabTo(page, sandbox);
  await sandbox.selectOption({ label: 'Worker only' });
  await tabTo(page, task, { back: true });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expectRunStatus(page, 'completed');

  // The view tabs: arrow keys move the selection and the focus.
  const transcriptTab = page.getByRole('tab', { name: 'Transcript' });
  await transcriptTab.click();
  await expect(transcriptTab).toBeFocused();
  await page.keyboard.press('ArrowRight');
  const selected = page.getByRole('tab', { selected: true });
  await expect(selected).toBeFocused();
  await expect(selected).not.toHaveText('Transcript');
  await page.keyboard.press('Home');
  await expect(transcriptTab).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveAttribute('aria-selected', 'true');

  // The file tree: Tab into it, arrows down to a file, Enter opens it in the viewer.
  const tree = page.getByRole('tree', { name: 'Files', exact: true });
  await tabTo(page, tree.getByRole('treeitem').and(page.locator('[tabindex="0"]')));
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) {
    if (await tree.getByRole('treeitem', { name: 'src/freq.js', exact: true }).evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(tree.getByRole('treeitem', { name: 'src/freq.js', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-viewer').locator('.view-lines')).toContainText('toLowerCase');
  await expect(page.getByRole('tab', { name: 'freq.js' })).toHaveAttribute('aria-selected', 'true');
  expect(app.errors).toEqual([]);
});
