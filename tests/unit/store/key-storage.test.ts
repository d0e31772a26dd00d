import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_STORAGE_ITEM, KeyStorage, KeyStorageError, originOf } from '../../../src/store/key-storage.ts';
import { MemoryStorage } from '../../support/memory-storage.ts';

const KEY = 'sk-test-0123456789abcdef';
const OPENAI = 'https://api.openai.com/v1';
let local: MemoryStorage;
let session: MemoryStorage;
const consoleSpies: ReturnType<typeof vi.spyOn>[] = [];

beforeEach(() => {
  local = new MemoryStorage();
  session = new MemoryStorage();
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) consoleSpies.push(vi.spyOn(console, method));
});

afterEach(() => {
  for (const spy of consoleSpies) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
  consoleSpies.length = 0;
});

const keys = () => new KeyStorage({ local, session });

describe('KeyStorage', () => {
  it('"remember on this device" keeps the key in localStorage only, and it survives a reload', () => {
    keys().save(KEY, OPENAI, 'device');
    expect(local.dump()).toContain(KEY);
    expect(session.length).toBe(0);
    expect(keys().read(OPENAI)).toEqual({ key: KEY, persistence: 'device', cleared: false });
  });

  it('"this tab only" keeps the key in sessionStorage only, and it survives a reload of the tab', () => {
    keys().save(KEY, OPENAI, 'tab');
    expect(session.dump()).toContain(KEY);
    expect(local.length).toBe(0);
    expect(keys().read(OPENAI)).toEqual({ key: KEY, persistence: 'tab', cleared: false });
  });

  it('switching where it is kept removes it from the other place', () => {
    keys().save(KEY, OPENAI, 'device');
    keys().save(KEY, OPENAI, 'tab');
    expect(local.length).toBe(0);
    keys().save(KEY, OPENAI, 'device');
    expect(session.length).toBe(0);
  });

  it('is stored with the origin of its base URL; another path on the same origin still gets it', () => {
    keys().save(KEY, 'https://api.openai.com/v1', 'device');
    expect(keys().status()).toEqual({ stored: true, persistence: 'device', origin: 'https://api.openai.com' });
    expect(keys().read('https://api.openai.com/v2/other').key).toBe(KEY);
  });

  it.each([
    ['another host', 'https://evil.example.com/v1'],
    ['another port', 'https://api.openai.com:8443/v1'],
    ['another scheme', 'http://api.openai.com/v1'],
    ['a sub-domain', 'https://x.api.openai.com/v1'],
    ['not a URL', 'not a url'],
  ])('setBaseUrl to %s clears the key and says so', (_label, url) => {
    keys().save(KEY, OPENAI, 'device');
    expect(keys().setBaseUrl(url)).toEqual({ cleared: true });
    expect(local.length + session.length).toBe(0);
    expect(keys().read(OPENAI)).toEqual({ key: null, persistence: null, cleared: false });
  });

  it('a read for another origin clears the key instead of returning it', () => {
    keys().save(KEY, OPENAI, 'tab');
    expect(keys().read('http://localhost:11434/v1')).toEqual({ key: null, persistence: null, cleared: true });
    expect(session.length).toBe(0);
  });

  it('setBaseUrl on the same origin keeps the key, and with no key there is nothing to clear', () => {
    expect(keys().setBaseUrl(OPENAI)).toEqual({ cleared: false });
    keys().save(KEY, OPENAI, 'device');
    expect(keys().setBaseUrl('https://api.openai.com/v1/')).toEqual({ cleared: false });
    expect(keys().read(OPENAI).key).toBe(KEY);
  });

  it('a damaged stored entry is cleared and reported', () => {
    local.setItem(KEY_STORAGE_ITEM, '{not json');
    expect(keys().read(OPENAI)).toEqual({ key: null, persistence: null, cleared: true });
    expect(local.length).toBe(0);
  });

  it('clear removes the key from both places', () => {
    keys().save(KEY, OPENAI, 'device');
    session.setItem(KEY_STORAGE_ITEM, local.getItem(KEY_STORAGE_ITEM)!);
    keys().clear();
    expect(local.length + session.length).toBe(0);
    expect(keys().status()).toEqual({ stored: false, persistence: null, origin: null });
  });

  it('refuses to save for an invalid base URL, an empty key, or where storage is missing or refuses', () => {
    expect(() => keys().save(KEY, 'nope', 'device')).toThrow(KeyStorageError);
    expect(() => keys().save('', OPENAI, 'device')).toThrow(KeyStorageError);
    expect(() => new KeyStorage({ local: null, session }).save(KEY, OPENAI, 'device')).toThrow(KeyStorageError);
    const full = new MemoryStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const error = (() => {
      try {
        new KeyStorage({ local: full, session }).save(KEY, OPENAI, 'device');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(KeyStorageError);
    expect(error?.message).not.toContain(KEY);
  });

  it('works without any storage at all (Node): nothing stored, nothing thrown on read', () => {
    const none = new KeyStorage({ local: null, session: null });
    expect(none.read(OPENAI)).toEqual({ key: null, persistence: null, cleared: false });
    expect(none.status().stored).toBe(false);
  });
});

describe('originOf', () => {
  it('gives the origin of http(s) URLs and null otherwise', () => {
    expect(originOf('http://localhost:1234/v1')).toBe('http://localhost:1234');
    expect(originOf('HTTPS://API.OpenAI.com:443/v1')).toBe('https://api.openai.com');
    expect(originOf('data:text/plain,x')).toBeNull();
    expect(originOf('')).toBeNull();
    expect(originOf('/v1')).toBeNull();
    expect(originOf('ftp://example.com/')).toBeNull();
  });
});
