import { describe, expect, it } from 'vitest';
import { requestPersistentStorage, storageEstimate } from '../../../src/store/persist.ts';

function manager(options: { already?: boolean; grant?: boolean; throws?: boolean } = {}) {
  const calls = { persist: 0 };
  return {
    calls,
    persisted: async () => options.already ?? false,
    persist: async () => {
      calls.persist++;
      if (options.throws) throw new Error('refused');
      return options.grant ?? true;
    },
    estimate: async () => ({ usage: 1234, quota: 99_999 }),
  };
}

describe('requestPersistentStorage', () => {
  it('asks once and reports the answer and the estimate', async () => {
    const m = manager({ grant: true });
    expect(await requestPersistentStorage(m)).toEqual({ supported: true, persisted: true, usage: 1234, quota: 99_999 });
    await requestPersistentStorage(m);
    expect(m.calls.persist).toBe(1);
  });

  it('does not ask when already persisted, and reports a refusal or an error as not persisted', async () => {
    const already = manager({ already: true });
    expect((await requestPersistentStorage(already)).persisted).toBe(true);
    expect(already.calls.persist).toBe(0);
    expect((await requestPersistentStorage(manager({ grant: false }))).persisted).toBe(false);
    expect((await requestPersistentStorage(manager({ throws: true }))).persisted).toBe(false);
  });

  it('is safe where the API is missing', async () => {
    expect(await requestPersistentStorage(undefined)).toEqual({ supported: false, persisted: false });
    expect(await requestPersistentStorage({})).toEqual({ supported: false, persisted: false });
    expect(await storageEstimate({})).toEqual({});
  });
});
