/**
 * Browser services around a run (DESIGN.md §9): notification permission is asked only on a user action
 * (the click on Run), never on load; a notification says when a run pauses and when it finishes (while the
 * user looks elsewhere); a screen Wake Lock is held while the run works and released when it stops; the
 * "keep this tab open" notice shows while this tab drives the run. The browser APIs are replaced by
 * recording fakes before the page loads.
 */
import type { Page } from '@playwright/test';
import { expect, expectRunStatus, fillSettings, startRun, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

interface Recorded {
  permissionAsks: { userActive: boolean }[];
  notifications: { title: string; body: string }[];
  locksRequested: number;
  locksHeld: number;
}

async function installFakes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const recorded: Recorded = { permissionAsks: [], notifications: [], locksRequested: 0, locksHeld: 0 };
    (window as unknown as { __recorded: Recorded }).__recorded = recorded;
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static async requestPermission(): Promise<NotificationPermission> {
        recorded.permissionAsks.push({ userActive: navigator.userActivation.isActive });
        FakeNotification.permission = 'granted';
        return 'granted';
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        recorded.notifications.push({ title, body: options?.body ?? '' });
      }
      close(): void {}
    }
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true });
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: {
        async request() {
          recorded.locksRequested += 1;
          recorded.locksHeld += 1;
          const sentinel = {
            released: false,
            async release() {
              if (sentinel.released) return;
              sentinel.released = true;
              recorded.locksHeld -= 1;
            },
            addEventListener() {},
          };
          return sentinel;
        },
      },
    });
    // The user is in another window: a notification is what tells them.
    document.hasFocus = () => false;
  });
}

function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => (window as unknown as { __recorded: Recorded }).__recorded);
}

test('permission is asked on Run only; pause and finish notify; the wake lock is held only while the run works', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: 5 });
  await installFakes(page);
  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  expect((await recorded(page)).permissionAsks).toEqual([]);

  await startRun(page, app.scenario!.task, { sandbox: 'Worker only' });
  await hold.arrived;
  await expectRunStatus(page, 'running');
  expect((await recorded(page)).permissionAsks).toEqual([{ userActive: true }]);
  await expect(page.getByText('Keep this tab open while the run works: a hidden tab is slowed down.')).toBeVisible();
  await expect.poll(async () => (await recorded(page)).locksHeld).toBe(1);

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectRunStatus(page, 'paused');
  await expect.poll(async () => (await recorded(page)).notifications).toEqual([{ title: 'Run paused', body: expect.stringContaining('Paused by the user.') }]);
  await expect.poll(async () => (await recorded(page)).locksHeld).toBe(0);
  await expect(page.getByText('Keep this tab open while the run works: a hidden tab is slowed down.')).toHaveCount(0);
  hold.release();

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');
  await expect.poll(async () => (await recorded(page)).notifications.at(-1)).toEqual({ title: 'Run completed', body: expect.stringContaining('textstats') });
  await expect.poll(async () => (await recorded(page)).locksHeld).toBe(0);
  const final = await recorded(page);
  expect(final.locksRequested).toBe(2);
  expect(final.notifications).toHaveLength(2);
  // Asked once: the second run of the page does not ask again once the user answered.
  expect(final.permissionAsks).toHaveLength(1);
  expect(app.errors).toEqual([]);
});

test('no notification while the user is looking at the page', async ({ page, mock, app }) => {
  await installFakes(page);
  await page.addInitScript(() => {
    document.hasFocus = () => true;
  });
  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, app.scenario!.task, { sandbox: 'Worker only' });
  await expectRunStatus(page, 'completed');
  await expect.poll(async () => (await recorded(page)).locksHeld).toBe(0);
  expect((await recorded(page)).notifications).toEqual([]);
});
