/**
 * On a static host without COOP/COEP headers the service worker reloads the page once into isolation
 * (see hosting.spec.ts). That reload must not wipe what a user already started: once they clicked or
 * typed, the page stays as it is (the next load is isolated). The worker's script is held back until the
 * user has acted, so the order is fixed without timing.
 */
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

const DIST = process.env.DIST_DIR ?? 'dist';

test.use({ serviceWorkers: 'allow' });

test('the first-visit isolation reload waits once the user has started typing', async ({ page, context }) => {
  const child = spawn(process.execPath, ['scripts/static-server.mjs', '--dir', DIST, '--port', '0', '--base', '/'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const found = /at (http:\/\/\S+)/.exec(chunk.toString())?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`The static server exited (${code}).`)));
  });
  try {
    let releaseWorker!: () => void;
    const workerAllowed = new Promise<void>((resolve) => (releaseWorker = resolve));
    await context.route('**/sw.js', async (route) => {
      await workerAllowed;
      await route.continue();
    });
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    await page.goto(url);
    const task = page.getByRole('textbox', { name: 'Task', exact: true });
    await task.click();
    await page.keyboard.type('A to-do app, typed before the service worker took control.');
    releaseWorker();

    // The worker installs and takes control of the page; the page does not reload under the user.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 45_000 }).toBe(true);
    await expect(task).toHaveValue('A to-do app, typed before the service worker took control.');
    expect(navigations).toHaveLength(1);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);

    // The next load is served by the worker, isolated.
    await page.reload();
    await expect.poll(() => page.evaluate(() => globalThis.crossOriginIsolated).catch(() => false), { timeout: 45_000 }).toBe(true);
  } finally {
    child.kill();
  }
});
