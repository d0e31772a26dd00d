/**
 * DESIGN.md §9 security: script, `onerror` and image payloads in LLM text, a plan, a file name, tool
 * arguments and test output run nothing and load nothing. The mock server plays a scenario full of them,
 * every image URL points back at the mock server, and the test checks that no request for one ever
 * arrives, that no dialog opens, that no payload set its global, and that the payloads show as text.
 */
import type { Scenario } from '../../src/llm/scenario.ts';
import { expect, expectRunStatus, fileItem, fillSettings, startRun, test } from './fixtures.ts';

function xssScenario(origin: string): Scenario {
  const img = (tag: string) => `${origin}/exfil-${tag}`;
  // A path holds no "//", so this image URL is relative: it would load from the app's own origin.
  const fileName = 'notes/<img src=exfil-filename onerror=window.__xss=4>.md';
  const testName = `<img src=${img('testname')} onerror=window.__xss=5>`;
  const testFile = (assertion: string) =>
    `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest(${JSON.stringify(testName)}, () => {\n  ${assertion}\n});\n`;
  return {
    format: 'l2mac-scenario/1',
    name: 'xss',
    title: 'XSS payloads',
    domain: 'codebase',
    task: 'Write a module with a test (a security test of the UI).',
    settings: { maxSteps: 1, requirePassingTests: true },
    turns: [
      {
        key: { kind: 'plan', step: 0, turn: 0 },
        reply: {
          toolCalls: [
            {
              name: 'provide_detailed_sub_task_steps_for_sub_agents',
              arguments: { steps: [`Write the notes <img src=${img('plan')} onerror=window.__xss=7> and a test <script>window.__xss=8</script>.`] },
            },
          ],
        },
      },
      {
        key: { kind: 'step', step: 1, turn: 0 },
        reply: {
          content: [
            'Here is my plan. <script>window.__xss=1</script>',
            `<img src="${img('html')}" onerror="window.__xss=2">`,
            `![secret](${img('markdown')}?key=sk-secret)`,
            `[click me](javascript:window.__xss=3) and <iframe src="${img('iframe')}"></iframe>`,
            `<a href="${img('link')}" onclick="window.__xss=9">link</a> <svg onload="window.__xss=10"></svg>`,
          ].join('\n\n'),
          toolCalls: [
            {
              name: 'write_files',
              arguments: {
                list_of_file_objects: [
                  { file_path: fileName, file_contents: `# Notes\n\n<img src=${img('content')} onerror=window.__xss=11>\n` },
                  { file_path: 'xss.test.js', file_contents: testFile("assert.equal('<script>window.__xss=6</script>', 'fixed');") },
                ],
              },
            },
          ],
        },
      },
      {
        key: { kind: 'step', step: 1, turn: 1 },
        reply: {
          content: 'Fixing the test.',
          toolCalls: [{ name: 'write_files', arguments: { list_of_file_objects: [{ file_path: 'xss.test.js', file_contents: testFile('assert.ok(true);') }] } }],
        },
      },
      { key: { kind: 'step', step: 1, turn: 2 }, reply: { toolCalls: [{ name: 'sub_task_step_complete', arguments: {} }] } },
      { key: { kind: 'summary', step: 1, turn: 3 }, reply: { content: `Done <img src=${img('summary')} onerror=window.__xss=12>.` } },
      { key: { kind: 'report', step: 0, turn: 0 }, reply: { content: `All done. ![x](${img('report')})` } },
    ],
  };
}

test('payloads in LLM text, a plan, a file name and test output run nothing and load nothing', async ({ page, mock, app }) => {
  const scenario = xssScenario(mock.origin);
  mock.setScenario(scenario);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const pageRequests: string[] = [];
  page.on('request', (request) => pageRequests.push(request.url()));

  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, scenario.task, { sandbox: 'Worker only', stepCap: 1 });
  await expectRunStatus(page, 'completed');

  // Open everything that could render a payload: every tool card and check, the file, the output, the report.
  const transcript = page.getByRole('region', { name: 'Transcript' });
  for (const summary of await transcript.locator('details > summary:visible').all()) await summary.click();
  await fileItem(page, 'notes/<img src=exfil-filename onerror=window.__xss=4>.md').click();
  await expect(page.getByTestId('file-viewer').locator('.view-lines')).toContainText('# Notes');
  await page.getByRole('tab', { name: 'Output' }).click();
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByRole('tab', { name: 'Transcript' }).click();

  // The payloads are there, as text.
  await expect(page.getByText('<script>window.__xss=1</script>', { exact: false }).first()).toBeVisible();
  await expect(page.getByText(`[image: secret — ${mock.origin}/exfil-markdown?key=sk-secret]`)).toBeVisible();
  await expect(page.getByText('window.__xss=6').first()).toBeAttached();
  await expect(page.getByRole('list', { name: 'Steps' })).toContainText('<script>window.__xss=8</script>');
  await expect(page.getByRole('region', { name: 'Transcript' }).getByText('xss.test.js').first()).toBeVisible();

  // Nothing ran, nothing loaded.
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
  const found = await page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    frames: document.querySelectorAll('iframe, object, embed, svg[onload]').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__xss')).length,
    jsLinks: [...document.querySelectorAll('a')].filter((a) => a.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:')).length,
  }));
  expect(found).toEqual({ images: 0, frames: 0, handlers: 0, scripts: 0, jsLinks: 0 });
  expect(pageRequests.filter((url) => url.includes('exfil'))).toEqual([]);
  expect(mock.requests.filter((r) => r.path.includes('exfil'))).toEqual([]);
  expect(app.errors).toEqual([]);
});
