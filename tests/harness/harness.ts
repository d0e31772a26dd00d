/**
 * The browser test harness: each `expose-*.ts` file beside this one adds one area's entry points to
 * `window.harness` (e.g. `harness.workerSandbox`), loaded lazily so that one area's failure does not hide
 * another's. Specs open `/tests/harness/index.html` and call them with `page.evaluate`.
 */
const modules = import.meta.glob('./expose-*.ts');

declare global {
  interface Window {
    harness: Record<string, unknown>;
    harnessReady: Promise<void>;
  }
}

window.harness = {};
window.harnessReady = (async () => {
  for (const load of Object.values(modules)) await load();
  const status = document.getElementById('harness-status');
  if (status) status.textContent = 'ready';
})();
