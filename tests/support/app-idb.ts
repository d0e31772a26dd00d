/**
 * Every record of the app's IndexedDB (`l2mac-web`), read inside the page with the raw API rather than the
 * app's own store code, so the fault specs check what was really kept.
 */
import type { Page } from '@playwright/test';

export type AppRecords = Record<string, unknown[]>;

export function readAppRecords(page: Page): Promise<AppRecords> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('l2mac-web');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (name: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const records: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) records[name] = await all(name);
    db.close();
    return records;
  });
}
