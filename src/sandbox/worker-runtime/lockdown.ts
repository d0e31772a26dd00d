/**
 * The worker's lockdown, run before anything else in the worker (DESIGN.md §7): generated code gets no
 * network, no storage of any origin, no way to start other workers, and no channel to the page other than
 * the runtime's own.
 *
 * The worker already runs at an opaque origin (a `data:` URL worker): IndexedDB, Cache Storage, service
 * workers and the app's storage are out of reach by origin, and it inherits the page's CSP (no `eval`, no
 * scripts from other hosts). On top of that every network and storage entry point is deleted from the
 * global object, its prototype chain and the navigator; `postMessage`/`close` are taken private, so
 * generated code cannot forge results; `URL.createObjectURL` is taken private, so it cannot make modules.
 * If anything cannot be removed, the worker refuses to run (fail closed).
 */

const GLOBALS_TO_REMOVE = [
  'fetch',
  'XMLHttpRequest',
  'XMLHttpRequestEventTarget',
  'XMLHttpRequestUpload',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'WebTransport',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'indexedDB',
  'caches',
  'cookieStore',
  'FontFace',
  'fonts',
  'postMessage',
  'close',
  'onmessage',
  'onmessageerror',
];

const NAVIGATOR_PROPERTIES = ['serviceWorker', 'storage', 'locks', 'permissions', 'sendBeacon', 'connection', 'usb', 'serial', 'hid', 'bluetooth'];

export interface SealedCapabilities {
  post(message: unknown): void;
  createObjectURL(blob: Blob): string;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** Deletes `name` wherever `object` or its prototypes define it. */
function removeEverywhere(object: object, name: string): void {
  for (let current: object | null = object; current; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.prototype.hasOwnProperty.call(current, name)) {
      if (!Reflect.deleteProperty(current, name)) {
        Object.defineProperty(current, name, { value: undefined, writable: false, configurable: false });
      }
    }
  }
}

export function lockdown(scope: typeof globalThis = globalThis): SealedCapabilities {
  const worker = scope as unknown as { postMessage(message: unknown): void };
  const post = worker.postMessage.bind(scope);
  const createObjectURL = URL.createObjectURL.bind(URL);
  const setTimeout = scope.setTimeout.bind(scope) as (callback: () => void, ms: number) => number;
  const clearTimeout = scope.clearTimeout.bind(scope) as (id: number) => void;

  for (const name of GLOBALS_TO_REMOVE) removeEverywhere(scope, name);
  const navigator = (scope as { navigator?: object }).navigator;
  if (navigator) for (const name of NAVIGATOR_PROPERTIES) removeEverywhere(navigator, name);
  removeEverywhere(URL, 'createObjectURL');

  const left = GLOBALS_TO_REMOVE.filter((name) => (scope as unknown as Record<string, unknown>)[name] !== undefined);
  if (left.length > 0 || typeof (URL as { createObjectURL?: unknown }).createObjectURL === 'function') {
    throw new Error(`The worker sandbox could not remove ${left.join(', ') || 'URL.createObjectURL'}; it will not run generated code.`);
  }
  return { post, createObjectURL, setTimeout, clearTimeout };
}
