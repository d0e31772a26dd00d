/**
 * The file tree of DESIGN.md §9: tree "Files" with one treeitem per file named by its full path and
 * folders ending with "/"; up to 200 files every row is in the DOM with folders expanded; past 200 only
 * the rows in view are (virtualised), and the keyboard still reaches every file.
 */
import { expect, test } from '@playwright/test';

type Ui = { mountTree(count: number): { paths: string[] }; opened(): string[] };

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
});

test('up to 200 files: every file and folder is a treeitem in the DOM, named by its full path', async ({ page }) => {
  const { paths } = await page.evaluate(() => (window.harness.ui as Ui).mountTree(200));
  const tree = page.getByRole('tree', { name: 'Files', exact: true });
  await expect(tree.locator('[role="treeitem"]:not([aria-expanded])')).toHaveCount(200);
  // 1 src/ + 8 module folders + 5 part folders in each.
  await expect(tree.locator('[role="treeitem"][aria-expanded="true"]')).toHaveCount(1 + 8 + 8 * 5);
  for (const path of [paths[0]!, paths[137]!, paths[199]!]) await expect(tree.getByRole('treeitem', { name: path, exact: true })).toBeAttached();
  const folder = tree.getByRole('treeitem', { name: 'src/module-3/', exact: true });
  await expect(folder).toHaveAttribute('aria-expanded', 'true');
  await expect(tree.getByRole('treeitem', { name: paths[0]!, exact: true })).toContainText('A');
});

test('past 200 files the tree renders a window of rows, and the keyboard reaches the last file', async ({ page }) => {
  const { paths } = await page.evaluate(() => (window.harness.ui as Ui).mountTree(1000));
  const tree = page.getByRole('tree', { name: 'Files', exact: true });
  const rendered = await tree.getByRole('treeitem').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(120);

  await tree.getByRole('treeitem').first().focus();
  await page.keyboard.press('End');
  const last = [...paths].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!;
  const lastItem = tree.getByRole('treeitem', { name: last, exact: true });
  await expect(lastItem).toBeFocused();
  await expect(lastItem).toBeInViewport();
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => (window.harness.ui as Ui).opened())).toEqual([last]);

  // Collapsing a folder with the keyboard hides its files.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowLeft');
  await expect(tree.getByRole('treeitem', { name: 'src/', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.getByRole('treeitem')).toHaveCount(1);
});
