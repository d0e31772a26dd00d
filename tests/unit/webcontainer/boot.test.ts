/**
 * The page-wide boot lock: one boot per page, a timeout for the boot that never settles (WebContainer
 * offline), and no second boot after a failure.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SandboxUnavailableError } from '../../../src/errors.ts';
import type { WcClass } from '../../../src/sandbox/webcontainer-api.ts';
import { WebContainerBootLock, WebContainerUnavailableError } from '../../../src/sandbox/webcontainer-boot.ts';
import { FakeWebContainer } from '../../support/fake-webcontainer.ts';

const fakes: FakeWebContainer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.dispose()));
});

function fakeClass(faults = {}): FakeWebContainer {
  const fake = new FakeWebContainer(faults);
  fakes.push(fake);
  return fake;
}

const owner = {};

describe('boot lock', () => {
  test('boots once and hands the same instance to every owner', async () => {
    const fake = fakeClass();
    const lock = new WebContainerBootLock();
    const params = { coep: 'require-corp' as const, timeoutMs: 10_000, loadClass: async () => fake };
    const [a, b] = await Promise.all([lock.acquire(owner, params), lock.acquire({}, params)]);
    expect(a.instance).toBe(b.instance);
    expect(lock.attempts).toBe(1);
    expect(fake.boots).toEqual([{ coep: 'require-corp' }]);
  });

  test('tells an owner whether its files are still there', async () => {
    const fake = fakeClass();
    const lock = new WebContainerBootLock();
    const params = { coep: 'require-corp' as const, timeoutMs: 10_000, loadClass: async () => fake };
    const first = await lock.acquire(owner, params);
    expect(first).toMatchObject({ continuing: false, fresh: true });
    expect(await lock.acquire(owner, params)).toMatchObject({ continuing: true, fresh: false });
    const other = {};
    expect(await lock.acquire(other, params)).toMatchObject({ continuing: false, fresh: false });
    expect(await lock.acquire(owner, params)).toMatchObject({ continuing: false, fresh: false });
  });

  test('a boot that never settles times out: unavailable with the hosts, and no second boot in the page', async () => {
    const fake = fakeClass({ bootNeverSettles: true });
    const lock = new WebContainerBootLock();
    const params = { coep: 'require-corp' as const, timeoutMs: 50, loadClass: async () => fake };
    const error = await lock.acquire(owner, params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxUnavailableError);
    expect(error).toBeInstanceOf(WebContainerUnavailableError);
    expect((error as WebContainerUnavailableError).reason).toBe('boot-timeout');
    expect((error as Error).message).toMatch(/did not start within 0\.1 s/);
    expect((error as Error).message).toContain('stackblitz.com');

    fake.faults = {};
    const again = await lock.acquire({}, { ...params, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(again).toBe(error);
    expect(lock.attempts).toBe(1);
    expect(fake.boots).toHaveLength(1);
  });

  test('a boot that rejects makes the page unavailable too', async () => {
    const broken: WcClass = { boot: async () => Promise.reject(new Error('Unable to create more instances')) };
    const lock = new WebContainerBootLock();
    const params = { coep: 'require-corp' as const, timeoutMs: 10_000, loadClass: async () => broken };
    const error = await lock.acquire(owner, params).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'boot-failed' });
    expect((error as Error).message).toMatch(/Unable to create more instances/);
    await expect(lock.acquire(owner, params)).rejects.toBe(error);
    expect(lock.attempts).toBe(1);
  });

  test('a module that cannot load (offline, not cached) is unavailable without a boot', async () => {
    const lock = new WebContainerBootLock();
    const params = {
      coep: 'require-corp' as const,
      timeoutMs: 10_000,
      loadClass: async (): Promise<WcClass> => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
    };
    await expect(lock.acquire(owner, params)).rejects.toMatchObject({ reason: 'load-failed' });
    expect(lock.attempts).toBe(0);
  });

  test('after a teardown (the watchdog) the next acquire boots a new instance', async () => {
    const fake = fakeClass();
    const lock = new WebContainerBootLock();
    const params = { coep: 'require-corp' as const, timeoutMs: 10_000, loadClass: async () => fake };
    const first = await lock.acquire(owner, params);
    lock.teardown(first.instance);
    const second = await lock.acquire(owner, params);
    expect(second.instance).not.toBe(first.instance);
    expect(second).toMatchObject({ continuing: false, fresh: true });
    expect(lock.attempts).toBe(2);
  });
});
