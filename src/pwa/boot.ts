/**
 * The page's one service-worker controller, started when this module is first imported (by the page's
 * entry, before the app mounts, so that the isolation reload of a first visit happens early). Like the one
 * WebContainer of a page, the registration is page-wide by nature.
 */
import { startServiceWorker, type PwaController } from './register.ts';

let pwa: PwaController | null = null;

/** Starts the registration once per page and returns its controller. */
export function bootServiceWorker(): PwaController {
  pwa ??= startServiceWorker();
  return pwa;
}

/** The controller, for status displays and for holding the isolation reload during a run. */
export function pwaController(): PwaController {
  return bootServiceWorker();
}

bootServiceWorker();
