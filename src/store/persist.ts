/**
 * Asks the browser once to keep this site's data (DESIGN.md §6): without it, IndexedDB may be evicted under
 * storage pressure. Reports the answer and the usage estimate; where the API is missing (Node, old
 * browsers, some private modes) it reports that instead of failing.
 */

export interface PersistenceReport {
  /** `navigator.storage.persist` exists. */
  supported: boolean;
  /** The browser agreed (or had already agreed) to keep the data. */
  persisted: boolean;
  /** Bytes used and available to this site, when the browser tells. */
  usage?: number;
  quota?: number;
}

type Manager = Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>;

function defaultManager(): Partial<Manager> | undefined {
  return (globalThis.navigator as Navigator | undefined)?.storage;
}

const asked = new WeakMap<object, Promise<PersistenceReport>>();

/** Requests persistence once per storage manager (later calls get the first answer). */
export function requestPersistentStorage(manager: Partial<Manager> | undefined = defaultManager()): Promise<PersistenceReport> {
  if (!manager) return Promise.resolve({ supported: false, persisted: false });
  let report = asked.get(manager);
  if (!report) {
    report = ask(manager);
    asked.set(manager, report);
  }
  return report;
}

async function ask(manager: Partial<Manager>): Promise<PersistenceReport> {
  const supported = typeof manager.persist === 'function';
  let persisted = false;
  try {
    persisted = (await manager.persisted?.()) ?? false;
    if (!persisted && supported) persisted = await manager.persist!();
  } catch {
    persisted = false;
  }
  return { supported, persisted, ...(await storageEstimate(manager)) };
}

/** Usage and quota now, or nothing where the browser does not tell. */
export async function storageEstimate(manager: Partial<Manager> | undefined = defaultManager()): Promise<{ usage?: number; quota?: number }> {
  try {
    const estimate = await manager?.estimate?.();
    const out: { usage?: number; quota?: number } = {};
    if (typeof estimate?.usage === 'number') out.usage = estimate.usage;
    if (typeof estimate?.quota === 'number') out.quota = estimate.quota;
    return out;
  } catch {
    return {};
  }
}
