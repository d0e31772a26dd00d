/**
 * What generated code in the worker sandbox tries, for the specs that prove it reaches nothing
 * (`worker-sandbox-security.spec.ts` on `vite preview`, `worker-sandbox-hosting.spec.ts` on a static host
 * under the service worker): the app's secrets planted where a page could read them, and one program that
 * tries each way out, with names built at run time so that no static check refuses it before it runs. The
 * program prints one JSON line: `{label: {value} | {error}}`.
 */
import type { Page } from '@playwright/test';

export interface Secrets {
  /** What `l2mac.apiKey` holds in both web storages. */
  storedKey: string;
  record: string;
  cached: string;
}

/** Puts the app's secrets where generated code must not reach them. */
export async function plantSecrets(page: Page, secrets: Secrets): Promise<void> {
  await page.evaluate(async ({ storedKey, record, cached }) => {
    localStorage.setItem('l2mac.apiKey', storedKey);
    sessionStorage.setItem('l2mac.apiKey', storedKey);
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('l2mac-secrets', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('secrets');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('secrets', 'readwrite');
        tx.objectStore('secrets').put(record, 'secret');
        tx.oncomplete = () => resolve();
      };
    });
    const cache = await caches.open('l2mac-secrets');
    await cache.put('/secret', new Response(cached));
  }, secrets);
}

/**
 * The program: `appPage` is a URL of the app the code tries to fetch, `cors` a host that answers anyone;
 * `extra` are more `await attempt('label', () => …);` lines.
 */
export function attackProgram(appPage: string, cors: string, extra: readonly string[] = []): string {
  const c = JSON.stringify(cors);
  return `
const g = globalThis;
const name = (...parts) => parts.join('');
const results = {};
async function attempt(label, action) {
  try { results[label] = { value: await action() }; } catch (error) { results[label] = { error: String(error && error.message || error) }; }
}
await attempt('origin', () => g.origin);
await attempt('indexedDB', () => new Promise((resolve, reject) => {
  const open = g[name('indexed', 'DB')].open('l2mac-secrets');
  open.onsuccess = () => {
    const request = open.result.transaction('secrets').objectStore('secrets').get('secret');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  };
  open.onerror = () => reject(open.error);
}));
await attempt('caches', async () => { const cache = await g[name('cach', 'es')].open('l2mac-secrets'); const hit = await cache.match('/secret'); return hit && hit.text(); });
await attempt('localStorage', () => g[name('local', 'Storage')].getItem('l2mac.apiKey'));
await attempt('sessionStorage', () => g[name('session', 'Storage')].getItem('l2mac.apiKey'));
await attempt('fetch app', async () => (await g[name('fe', 'tch')](${JSON.stringify(appPage)})).text());
await attempt('fetch cors host', async () => (await g[name('fe', 'tch')](${c} + '/fetch')).text());
await attempt('fetch via prototype', async () => {
  for (let o = g; o; o = Object.getPrototypeOf(o)) if (Object.getOwnPropertyNames(o).includes('fetch')) return (await o.fetch.call(g, ${c} + '/proto')).text();
  throw new Error('no fetch anywhere on the prototype chain');
});
await attempt('XMLHttpRequest', () => { const x = new g[name('XMLHttp', 'Request')](); x.open('GET', ${c} + '/xhr'); x.send(); return 'sent'; });
await attempt('WebSocket', () => new g[name('Web', 'Socket')](${JSON.stringify(cors.replace('http', 'ws'))} + '/ws'));
await attempt('EventSource', () => new g[name('Event', 'Source')](${c} + '/sse'));
await attempt('nested Worker', () => new g[name('Wor', 'ker')]('data:text/javascript,fetch(' + JSON.stringify(${c} + '/nested') + ')', { type: 'module' }));
await attempt('service worker', () => navigator[name('service', 'Worker')].register('/sw.js'));
await attempt('import computed', () => import([${c}, 'computed.js'].join('/')).then((m) => m.secret));
${extra.join('\n')}
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify(results));
`;
}
