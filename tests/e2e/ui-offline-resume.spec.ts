/**
 * DESIGN.md §4/§9: a run that loses the network pauses with the reason `offline` (no long retry waits
 * while the browser knows it is offline), and resumes by itself when the browser is back online.
 */
import { expect, expectRunStatus, runScenario, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

test('a run paused offline resumes by itself when the network returns, and completes', async ({ page, context, mock, app }) => {
  const hold = mock.faults.hold({ at: 5 });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;

  await context.setOffline(true);
  hold.release();
  await expectRunStatus(page, 'paused');
  await expect(page.getByText('The network is unavailable. The run resumes when the browser is back online.').first()).toBeVisible();

  await context.setOffline(false);
  await expectRunStatus(page, 'completed');
  expect(app.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});
