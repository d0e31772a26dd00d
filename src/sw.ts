/**
 * The app's one service worker (DESIGN.md §2, §7), built by vite-plugin-pwa in injectManifest mode.
 *
 * 1. Offline: at install it precaches the build (app shell, lazy chunks incl. the slim Monaco and its
 *    editor worker, the worker sandbox's runtime, the demo scenarios, icons, manifest), so after one visit
 *    the app opens and runs its demos with the network off.
 * 2. Static hosts that cannot send headers (GitHub Pages): every response it serves carries
 *    `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, so the page
 *    is cross-origin isolated once this worker controls it (`src/pwa/register.ts` reloads once for that).
 *
 * It handles ONLY same-origin GET requests. Everything else — every LLM request (another origin, POST, with
 * its Authorization header), WebContainer's frames — never reaches a handler here and goes to the network
 * untouched.
 */
import { cleanupOutdatedCaches, matchPrecache, precache } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { ISOLATION_HEADERS, SKIP_WAITING_MESSAGE } from './pwa/protocol.ts';

// The service worker's globals, typed here because the project compiles against the DOM library (the
// webworker library cannot be loaded next to it).
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
}
/** A static routing rule (the Service Worker Static Routing API, Chromium 123+). */
interface RouterRule {
  condition: Record<string, unknown>;
  source: 'network';
}
interface InstallEventLike extends ExtendableEventLike {
  addRoutes?: (rules: RouterRule | RouterRule[]) => Promise<void>;
}
interface ServiceWorkerScope {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install', listener: (event: InstallEventLike) => void): void;
  addEventListener(type: 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  __WB_MANIFEST: Array<PrecacheEntry | string>;
}
declare const self: ServiceWorkerScope;

precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Where the browser supports static routes, requests this worker does not handle (other origins, other
// methods) go to the network without even waking it: an LLM request and its Authorization header never
// reach a fetch event. Elsewhere the fetch handler below lets them pass untouched. One rule per call, so
// a browser that lacks one kind of condition still gets the other.
self.addEventListener('install', (event) => {
  const addRoutes = event.addRoutes?.bind(event);
  if (!addRoutes) return;
  const rules: RouterRule[] = [
    { condition: { not: { urlPattern: new URLPattern({ protocol: self.location.protocol.slice(0, -1), hostname: self.location.hostname, port: self.location.port }) } }, source: 'network' },
    { condition: { not: { requestMethod: 'GET' } }, source: 'network' },
  ];
  event.waitUntil(Promise.all(rules.map((rule) => Promise.resolve().then(() => addRoutes(rule)).catch(() => undefined))));
});

// The first version takes control of the open page at once, so the page can reload into isolation and
// work offline without a second visit. A later version waits until the page asks (see SKIP_WAITING_MESSAGE):
// replacing the cache under an open page would remove the chunks it may still load.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data === SKIP_WAITING_MESSAGE) event.waitUntil(self.skipWaiting());
});

function withIsolation(response: Response): Response {
  // Opaque and redirect responses cannot be rebuilt (and must reach a navigation as they are).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The precached document for a navigation: the exact page, its folder's index.html, else the app's. */
async function precachedDocument(url: URL): Promise<Response | undefined> {
  const path = `${url.origin}${url.pathname}`;
  return (
    (await matchPrecache(path)) ??
    (url.pathname.endsWith('/') ? await matchPrecache(`${path}index.html`) : undefined) ??
    // A path without a file extension inside the app is the single-page app itself.
    (/\/[^/.]*$/.test(url.pathname) ? await matchPrecache(new URL('index.html', self.registration.scope).href) : undefined)
  );
}

async function respond(request: Request, url: URL): Promise<Response> {
  const cached = request.mode === 'navigate' ? await precachedDocument(url) : await matchPrecache(url.href);
  if (cached) return withIsolation(cached);
  return withIsolation(await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Chrome throws on this combination when it is fetched again from a worker.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(request, url));
});
