/**
 * Where the API key lives (DESIGN.md §6): only in `localStorage` ("remember on this device") or
 * `sessionStorage` ("this tab only"); both survive a reload of the tab. The key is stored with the origin
 * of the base URL it was given for, and is cleared as soon as the app is pointed at another origin, so a
 * changed base URL (settings, a preset link, a config import) can never receive it. Nothing here logs.
 */

export type KeyPersistence = 'device' | 'tab';

export const KEY_STORAGE_ITEM = 'l2mac.apiKey';

interface StoredKey {
  v: 1;
  key: string;
  origin: string;
}

export interface KeyLookup {
  /** The key for the asked origin, or null (none stored, or cleared now). */
  key: string | null;
  persistence: KeyPersistence | null;
  /** A stored key was removed because it belonged to another origin (or was unreadable): ask again. */
  cleared: boolean;
}

export interface KeyStatus {
  stored: boolean;
  persistence: KeyPersistence | null;
  origin: string | null;
}

/** Thrown when the browser refuses to keep the key (storage disabled or full). */
export class KeyStorageError extends Error {
  override name = 'KeyStorageError';
}

/** The origin of an absolute http(s) URL, or null for anything else (a base URL must be absolute). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

function browserStorage(name: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return (globalThis as unknown as Record<string, Storage | undefined>)[name] ?? null;
  } catch {
    // Reading the property throws where storage is disabled (e.g. blocked site data).
    return null;
  }
}

export interface KeyStorageOptions {
  local?: Storage | null;
  session?: Storage | null;
}

export class KeyStorage {
  private readonly stores: Record<KeyPersistence, Storage | null>;

  constructor(options: KeyStorageOptions = {}) {
    this.stores = {
      device: options.local !== undefined ? options.local : browserStorage('localStorage'),
      tab: options.session !== undefined ? options.session : browserStorage('sessionStorage'),
    };
  }

  /** Keeps the key for the base URL's origin in the chosen place only. */
  save(key: string, baseUrl: string, persistence: KeyPersistence): void {
    const origin = originOf(baseUrl);
    if (origin === null) throw new KeyStorageError('The base URL is not a valid http(s) address, so the key was not saved.');
    if (key === '') throw new KeyStorageError('The key is empty.');
    const target = this.stores[persistence];
    if (!target) throw new KeyStorageError('This browser does not let the app store the key here.');
    const value: StoredKey = { v: 1, key, origin };
    try {
      target.setItem(KEY_STORAGE_ITEM, JSON.stringify(value));
    } catch {
      throw new KeyStorageError('This browser refused to store the key (storage is disabled or full).');
    }
    this.remove(persistence === 'device' ? 'tab' : 'device');
  }

  /** The key for requests to `baseUrl`; a key stored for another origin is cleared, never returned. */
  read(baseUrl: string): KeyLookup {
    const found = this.find();
    if (!found) return { key: null, persistence: null, cleared: false };
    const origin = originOf(baseUrl);
    if (found.value === null || origin === null || found.value.origin !== origin) {
      this.clear();
      return { key: null, persistence: null, cleared: true };
    }
    return { key: found.value.key, persistence: found.persistence, cleared: false };
  }

  /** The base URL is now `url`: a key stored for another origin is cleared. */
  setBaseUrl(url: string): { cleared: boolean } {
    return { cleared: this.read(url).cleared };
  }

  /** Where a key is kept, without the key (for the settings view). */
  status(): KeyStatus {
    const found = this.find();
    if (!found || found.value === null) return { stored: false, persistence: null, origin: null };
    return { stored: true, persistence: found.persistence, origin: found.value.origin };
  }

  clear(): void {
    this.remove('device');
    this.remove('tab');
  }

  /** The stored entry; `value` null when it cannot be read as one of ours. The tab's choice wins. */
  private find(): { persistence: KeyPersistence; value: StoredKey | null } | null {
    for (const persistence of ['tab', 'device'] as const) {
      let raw: string | null = null;
      try {
        raw = this.stores[persistence]?.getItem(KEY_STORAGE_ITEM) ?? null;
      } catch {
        raw = null;
      }
      if (raw === null) continue;
      return { persistence, value: parse(raw) };
    }
    return null;
  }

  private remove(persistence: KeyPersistence): void {
    try {
      this.stores[persistence]?.removeItem(KEY_STORAGE_ITEM);
    } catch {
      // Storage that cannot be read holds nothing of ours.
    }
  }
}

function parse(raw: string): StoredKey | null {
  try {
    const value = JSON.parse(raw) as Partial<StoredKey> | null;
    if (value && value.v === 1 && typeof value.key === 'string' && value.key !== '' && typeof value.origin === 'string') {
      return { v: 1, key: value.key, origin: value.origin };
    }
  } catch {
    // Not ours or damaged: treated as no key (and cleared by the caller).
  }
  return null;
}
