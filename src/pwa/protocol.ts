/** What the service worker (`src/sw.ts`) and the page (`register.ts`) agree on. */

/** The headers that make a page cross-origin isolated (DESIGN.md §2: one COEP everywhere). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Posted by the page to let a waiting new version take over (after the user agreed to reload). */
export const SKIP_WAITING_MESSAGE = 'l2mac:skip-waiting';

/** The service worker's file name in the build (vite-plugin-pwa compiles `src/sw.ts` to it). */
export const SERVICE_WORKER_FILE = 'sw.js';
