/**
 * Registers the service worker (`src/sw.ts`) and makes a static host without COOP/COEP headers (GitHub
 * Pages) cross-origin isolated: the first visit is not isolated (the page came from the network), so when
 * the worker takes control the page reloads ONCE and is then served, with the headers, by the worker.
 *
 * No reload loop: a session flag records the reload; if the page is still not isolated after it (the
 * browser does not honour headers from a service worker, or the worker was bypassed by a hard reload), it
 * stays as it is and says so. Where service workers are unavailable (blocked, private modes, insecure
 * origins, the dev server) nothing is registered. A run in progress can hold the reload back.
 */
import { SERVICE_WORKER_FILE, SKIP_WAITING_MESSAGE } from './protocol.ts';

export type ServiceWorkerState =
  /** The browser has no service workers here (blocked, insecure origin, old browser). */
  | 'unsupported'
  /** Not registered on purpose (the dev server). */
  | 'disabled'
  | 'registering'
  /** Installed: downloading the app for offline use. */
  | 'installing'
  /** Active: the app is available offline. */
  | 'ready'
  | 'failed';

export interface PwaStatus {
  serviceWorker: ServiceWorkerState;
  /** The precache is complete: the app opens and its demos run without the network. */
  offlineReady: boolean;
  /** The page is cross-origin isolated now (WebContainer can boot). */
  isolated: boolean;
  /** The page will reload into isolation as soon as nothing holds it (see `holdReload`). */
  reloadPending: boolean;
  /** The page reloaded once for isolation and still is not isolated: it will not try again. */
  isolationFailed: boolean;
  /** A new version is installed and waits; `applyUpdate()` switches to it (the page reloads). */
  updateReady: boolean;
  online: boolean;
  /** Why the registration failed, in plain words. */
  detail?: string;
}

export interface PwaController {
  readonly status: PwaStatus;
  subscribe(listener: (status: PwaStatus) => void): () => void;
  /** Defers the isolation reload (e.g. while a run is driven); call the returned function to release. */
  holdReload(): () => void;
  /** Activates a waiting new version and reloads into it. */
  applyUpdate(): void;
}

/** The browser pieces the registration uses (injected in tests). */
export interface PwaEnvironment {
  serviceWorker: ServiceWorkerContainer | null;
  isSecureContext: boolean;
  crossOriginIsolated: () => boolean;
  online: () => boolean;
  onOnlineChange: (listener: () => void) => void;
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  reload: () => void;
  /** The app's base path (`import.meta.env.BASE_URL`), where `sw.js` lives and which it controls. */
  baseUrl: string;
  dev: boolean;
}

export const RELOAD_MARK = 'l2mac.isolationReload';

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled: without it a reload cannot be guarded, so none happens.
    return null;
  }
}

export function browserEnvironment(): PwaEnvironment {
  return {
    serviceWorker: 'serviceWorker' in navigator ? navigator.serviceWorker : null,
    isSecureContext: window.isSecureContext,
    crossOriginIsolated: () => window.crossOriginIsolated === true,
    online: () => navigator.onLine,
    onOnlineChange: (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
    },
    session: sessionStorageOrNull(),
    reload: () => window.location.reload(),
    baseUrl: import.meta.env.BASE_URL,
    dev: import.meta.env.DEV,
  };
}

function readMark(env: PwaEnvironment): boolean {
  try {
    return (env.session?.getItem(RELOAD_MARK) ?? null) !== null;
  } catch {
    return false;
  }
}

function writeMark(env: PwaEnvironment, on: boolean): boolean {
  try {
    if (!env.session) return false;
    if (on) env.session.setItem(RELOAD_MARK, String(Date.now()));
    else env.session.removeItem(RELOAD_MARK);
    return true;
  } catch {
    return false;
  }
}

export function startServiceWorker(env: PwaEnvironment = browserEnvironment()): PwaController {
  const listeners = new Set<(status: PwaStatus) => void>();
  let holds = 0;
  let updateRequested = false;
  let registration: ServiceWorkerRegistration | null = null;
  const alreadyReloaded = readMark(env);
  const status: PwaStatus = {
    serviceWorker: 'registering',
    offlineReady: false,
    isolated: env.crossOriginIsolated(),
    reloadPending: false,
    isolationFailed: false,
    updateReady: false,
    online: env.online(),
  };
  if (status.isolated) writeMark(env, false);
  else if (alreadyReloaded) status.isolationFailed = true;

  const publish = (patch: Partial<PwaStatus>) => {
    Object.assign(status, patch);
    for (const listener of listeners) listener({ ...status });
  };

  const reloadForIsolation = () => {
    // Only for our own worker: a failed registration leaves nothing that would add the headers.
    if (status.isolated || alreadyReloaded || updateRequested || registration === null) return;
    if (holds > 0) {
      publish({ reloadPending: true });
      return;
    }
    // The mark must be written before reloading, or the next load could not tell it already tried.
    if (writeMark(env, true)) env.reload();
  };

  const controller: PwaController = {
    status,
    subscribe(listener) {
      listeners.add(listener);
      listener({ ...status });
      return () => listeners.delete(listener);
    },
    holdReload() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        if (holds === 0 && status.reloadPending) {
          publish({ reloadPending: false });
          reloadForIsolation();
        }
      };
    },
    applyUpdate() {
      const waiting = registration?.waiting;
      if (!waiting) return;
      updateRequested = true;
      waiting.postMessage(SKIP_WAITING_MESSAGE);
    },
  };

  env.onOnlineChange(() => publish({ online: env.online() }));
  const container = env.serviceWorker;
  if (env.dev) {
    publish({ serviceWorker: 'disabled' });
    return controller;
  }
  if (!container || !env.isSecureContext) {
    publish({ serviceWorker: 'unsupported', detail: 'This browser does not allow service workers here, so the app needs the network and, on hosts without COOP/COEP headers, runs without WebContainer.' });
    return controller;
  }

  container.addEventListener('controllerchange', () => {
    if (updateRequested) env.reload();
    else reloadForIsolation();
  });

  const base = env.baseUrl.endsWith('/') ? env.baseUrl : `${env.baseUrl}/`;
  const track = (reg: ServiceWorkerRegistration) => {
    const refresh = () =>
      publish({
        serviceWorker: reg.active ? 'ready' : 'installing',
        offlineReady: reg.active !== null,
        // A waiting worker while another is active is a new version of the app.
        updateReady: reg.waiting !== null && reg.active !== null,
      });
    const watch = (worker: ServiceWorker | null) => worker?.addEventListener('statechange', refresh);
    watch(reg.installing);
    watch(reg.waiting);
    reg.addEventListener('updatefound', () => {
      watch(reg.installing);
      refresh();
    });
    refresh();
  };

  container
    .register(`${base}${SERVICE_WORKER_FILE}`, { scope: base, updateViaCache: 'none' })
    .then((reg: ServiceWorkerRegistration | undefined) => {
      // Some automation and policy set-ups answer with nothing instead of refusing.
      if (!reg) {
        publish({ serviceWorker: 'unsupported', detail: 'Service workers are blocked in this browser.' });
        return;
      }
      registration = reg;
      track(reg);
      // Controlled already (a later visit) but not isolated: the controlling worker may be an older one.
      if (container.controller && !status.isolated) reloadForIsolation();
    })
    .catch((error: unknown) => {
      publish({ serviceWorker: 'failed', detail: `The service worker could not be registered: ${error instanceof Error ? error.message : String(error)}` });
    });
  return controller;
}
