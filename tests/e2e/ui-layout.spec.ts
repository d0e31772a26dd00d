/**
 * Layout and themes of the run workspace (issue 9): at 1024 and 1440 pixels wide, in the light and the
 * dark colour scheme (following `prefers-color-scheme`), the New run form, Settings, a completed run's
 * transcript, report, output and file view fit the window: nothing scrolls sideways, no control is cut off or
 * lies on top of another. Screenshots of each go to `test-results/ui-screens/` for a person to look at.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectRunStatus, fileItem, runScenario, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

const SHOTS = 'test-results/ui-screens';

/** The page does not scroll sideways, and every visible button and tab lies inside the window. */
async function expectFits(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  const width = page.viewportSize()!.width;
  const boxes = await page.locator('button:visible, [role="tab"]:visible, summary:visible').evaluateAll((elements) =>
    elements
      .filter((element) => !element.closest('dialog:not([open])') && !element.closest('.monaco-editor'))
      .map((element) => {
        const box = element.getBoundingClientRect();
        return { name: (element.textContent ?? '').trim().slice(0, 40), left: box.left, right: box.right, top: box.top, bottom: box.bottom };
      }),
  );
  for (const box of boxes) {
    expect(box.left, `${where}: "${box.name}" starts left of the window`).toBeGreaterThanOrEqual(0);
    expect(box.right, `${where}: "${box.name}" ends right of the window`).toBeLessThanOrEqual(width + 0.5);
  }
}

/** No two of these controls overlap. */
async function expectNoOverlap(controls: Locator, where: string): Promise<void> {
  const boxes = await controls.evaluateAll((elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      return { name: (element.textContent ?? '').trim(), left: box.left, right: box.right, top: box.top, bottom: box.bottom };
    }),
  );
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      expect(overlap, `${where}: "${a.name}" overlaps "${b.name}"`).toBe(false);
    }
  }
}

async function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g)!.map(Number) as [number, number, number];
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
}

test('New run, Settings and a completed run fit at 1024 and 1440 wide, light and dark', async ({ page, mock, app }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const luminance = await backgroundLuminance(page);
    if (scheme === 'light') expect(luminance).toBeGreaterThan(0.8);
    else expect(luminance).toBeLessThan(0.2);

    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
      const tag = `${width}-${scheme}`;
      // A fresh load at this width (the run history starts hidden below 1200 pixels); the run reopens.
      await page.reload();
      await expectRunStatus(page, 'completed');
      const toggle = page.getByRole('button', { name: /^(Show|Hide) runs$/ });
      await expect(toggle).toHaveText(width > 1200 ? 'Hide runs' : 'Show runs');

      // The completed run: report, transcript, a file in Monaco.
      await page.getByRole('tab', { name: 'Report' }).click();
      await expectFits(page, `report ${tag}`);
      await expectNoOverlap(page.locator('.run-header .controls > *'), `run controls ${tag}`);
      await page.screenshot({ path: `${SHOTS}/report-${tag}.png` });

      await page.getByRole('tab', { name: 'Output' }).click();
      await expectFits(page, `output ${tag}`);
      await page.screenshot({ path: `${SHOTS}/output-${tag}.png` });

      await page.getByRole('tab', { name: 'Transcript' }).click();
      await expectFits(page, `transcript ${tag}`);
      await page.screenshot({ path: `${SHOTS}/transcript-${tag}.png` });

      await fileItem(page, 'src/freq.js').click();
      const viewer = page.getByTestId('file-viewer');
      await expect(viewer.locator('.monaco-editor').first()).toBeVisible();
      await expect(viewer.locator('.view-lines')).toContainText('toLowerCase');
      const editorBackground = await viewer.locator('.monaco-editor').first().evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(editorBackground).toBe(scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(22, 25, 32)');
      await expectFits(page, `file ${tag}`);
      await page.screenshot({ path: `${SHOTS}/file-${tag}.png` });

      // Settings over the run.
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await expect(dialog).toBeVisible();
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${SHOTS}/settings-${tag}.png` });
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();

      // The run history opened beside the run still fits.
      if (width <= 1200) {
        await toggle.click();
        await expect(page.locator('#sidebar')).toBeVisible();
        await expectFits(page, `file with runs ${tag}`);
        await expectNoOverlap(page.locator('.run-header .controls > *'), `run controls with runs ${tag}`);
        await page.screenshot({ path: `${SHOTS}/file-with-runs-${tag}.png` });
      }

      // New run, with the history at the side.
      await page.getByRole('button', { name: 'New run', exact: true }).first().click();
      await expect(page.getByRole('textbox', { name: 'Task', exact: true })).toBeVisible();
      await expectFits(page, `new run ${tag}`);
      await expectNoOverlap(page.locator('form footer .buttons > *'), `New run buttons ${tag}`);
      await page.screenshot({ path: `${SHOTS}/new-run-${tag}.png` });
      await page.locator('nav.history button.item').first().click();
      await expect(page.getByTestId('run-status')).toBeVisible();
    }
  }
  expect(app.errors).toEqual([]);
});
