/**
 * The book demo end to end in Chromium: it runs to completed through the real control unit and IndexedDB
 * store (the book gate, no sandbox), then exports as ONE Markdown file holding the outline and every chapter
 * in order, and as ONE self-contained HTML file with no script or remote resource — real downloads.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

interface DemoResult {
  runId: string;
  status: string;
  statusReason: string | null;
  files: Record<string, string>;
  expectedFiles: Record<string, string> | null;
}

const CHAPTERS = ['chapters/01-getting-started.md', 'chapters/02-finding-your-way.md', 'chapters/03-a-year-of-sights.md'];

async function download(page: Page, dbName: string, runId: string, format: 'markdown' | 'html') {
  const [file, meta] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(
      ({ dbName, runId, format }) => (window.harness.offline as { downloadStoredBook: (d: string, r: string, f: string) => Promise<{ fileName: string; chapters: string[]; missing: string[] }> }).downloadStoredBook(dbName, runId, format),
      { dbName, runId, format },
    ),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), content: readFileSync(path, 'utf8'), meta };
}

test('the book demo runs to completed and exports one Markdown file with every chapter, and one safe HTML file', async ({ page }) => {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  const dbName = `book-demo-${Date.now()}`;
  const run = await page.evaluate(
    (dbName) => (window.harness.offline as { runDemo: (id: string, o: object) => Promise<DemoResult> }).runDemo('stargazing-book', { sandbox: 'none', dbName }),
    dbName,
  );
  expect(run.status, run.statusReason ?? '').toBe('completed');
  expect(run.files).toEqual(run.expectedFiles);

  const markdown = await download(page, dbName, run.runId, 'markdown');
  expect(markdown.name).toBe('looking-up-a-beginner-s-guide-to-the-night-sky.md');
  expect(markdown.meta).toEqual({ fileName: markdown.name, chapters: CHAPTERS, missing: [] });
  const positions = CHAPTERS.map((path) => markdown.content.indexOf(run.files[path]!.trim()));
  for (const position of positions) expect(position).toBeGreaterThan(0);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(markdown.content.startsWith("# Looking Up: A Beginner's Guide to the Night Sky")).toBe(true);

  const html = await download(page, dbName, run.runId, 'html');
  expect(html.name).toBe('looking-up-a-beginner-s-guide-to-the-night-sky.html');
  expect(html.content).not.toMatch(/<script|<img|<iframe|<link|src=/i);
  for (const [i] of CHAPTERS.entries()) expect(html.content).toContain(`id="chapter-0${i + 1}"`);

  // The exported page renders on its own, with its inline style, and its outline links to its chapters.
  await page.setContent(html.content);
  await expect(page.getByRole('heading', { level: 1, name: 'Chapter 3: A Year of Sights' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'A Year of Sights' })).toHaveAttribute('href', '#chapter-03');
});
