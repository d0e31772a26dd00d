/**
 * Generated code in the worker sandbox gets nothing of the app and no network (DESIGN.md §7, issue 12):
 * not the app's IndexedDB, Cache Storage, localStorage or key; no request to the app's origin or to a
 * CORS-open host (a server here counts every request); no remote `import()`; no way to spoof results.
 *
 * Two layers are shown apart: a bare opaque-origin worker (the sandbox's `data:` bootstrap, without the
 * runtime) already has no storage and no remote `import()` (origin `null`, the page's CSP inherited), but
 * CAN fetch a CORS-open host; the sandbox's lockdown takes that away too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { RunFileResult, TestReport } from '../../src/sandbox/types.ts';
import { attackProgram as sharedAttackProgram, plantSecrets } from '../support/worker-attack.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

interface Harness {
  create(): number;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome<void>>;
  runFile(id: number, path: string, args: string[]): Promise<Outcome<RunFileResult>>;
  runTests(id: number, paths: string[]): Promise<Outcome<TestReport>>;
  probe(source: string): Promise<Record<string, unknown>>;
}

const SECRET_KEY = 'sk-SECRET-KEY-0123456789';
const SECRET_RECORD = 'SECRET-IDB-RECORD';
const SECRET_CACHE = 'SECRET-CACHE-ENTRY';

let server: Server;
let corsOrigin: string;
const requests: string[] = [];

test.beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Type': 'text/javascript',
    });
    response.end('export const secret = "FROM-THE-CORS-HOST";');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  corsOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Attempts beyond the shared ones: more APIs, remote and app imports, eval, and spoofing a result. */
function attackProgram(appOrigin: string, cors: string): string {
  const c = JSON.stringify(cors);
  return sharedAttackProgram(`${appOrigin}/tests/harness/index.html`, cors, [
    "await attempt('storage manager', () => navigator[name('stor', 'age')].estimate());",
    `await attempt('FontFace', () => new g[name('Font', 'Face')]('x', 'url(' + ${c} + '/font)').load());`,
    `await attempt('import remote', () => import(${c} + '/import.js').then((m) => m.secret));`,
    `await attempt('import app origin', () => import(${JSON.stringify(appOrigin)} + '/tests/harness/index.html'));`,
    "await attempt('blob module', () => URL.createObjectURL(new Blob(['export default 1'])));",
    "await attempt('eval', () => g[name('ev', 'al')]('1 + 1'));",
    "await attempt('Function', () => new g.Function('return 1')());",
    "await attempt('spoof a result', () => g[name('post', 'Message')]({ type: 'done', exitCode: 0 }));",
  ]);
}

test.describe('worker sandbox: generated code reaches nothing', () => {
  test.beforeEach(async ({ page }) => {
    requests.length = 0;
    await page.goto('/tests/harness/index.html');
    await page.evaluate(() => window.harnessReady);
    await plantSecrets(page, { storedKey: SECRET_KEY, record: SECRET_RECORD, cached: SECRET_CACHE });
  });

  test('storage, key, network, workers, imports and result spoofing all fail', async ({ page, baseURL }) => {
    const program = attackProgram(baseURL!, corsOrigin);
    const run = await page.evaluate(async (source) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create();
      await harness.sync(id, [{ path: 'package.json', content: '{"type":"module"}' }, { path: 'attack.js', content: source }]);
      return harness.runFile(id, 'attack.js', []);
    }, program);
    if (!run.ok) throw new Error(run.error.message);
    // The remote import() was refused; the report says the program needs the full sandbox.
    expect(run.value.unsupported).toMatch(/needs the full sandbox.*the network \(import of http/);
    expect(run.value.exitCode).toBe(0);
    const results = JSON.parse(run.value.output.trim().split('\n').pop() ?? '{}') as Record<string, { value?: unknown; error?: string }>;

    if (process.env.SHOW_ATTACK) console.log(JSON.stringify(results, null, 1));
    expect(results.origin?.value).toBe('null');
    for (const label of Object.keys(results).filter((l) => l !== 'origin')) {
      expect(results[label], `${label} must fail: ${JSON.stringify(results[label])}`).toHaveProperty('error');
    }
    expect(results['import remote']?.error).toMatch(/needs the full sandbox/);
    expect(results.eval?.error).toMatch(/not a function|unsafe-eval|Content Security Policy/);
    expect(run.value.output).not.toContain(SECRET_KEY);
    expect(run.value.output).not.toContain(SECRET_RECORD);
    expect(run.value.output).not.toContain(SECRET_CACHE);
    expect(run.value.output).not.toContain('FROM-THE-CORS-HOST');
    expect(requests, 'the CORS-open host received nothing').toEqual([]);
    // The app's own secrets are intact and still readable by the app.
    expect(await page.evaluate(() => localStorage.getItem('l2mac.apiKey'))).toBe(SECRET_KEY);
  });

  test('a direct use of fetch or a remote import is refused before running, as needing the full sandbox', async ({ page }) => {
    const report = await page.evaluate(async (cors) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create();
      await harness.sync(id, [
        { path: 'package.json', content: '{"type":"module"}' },
        { path: 'net.test.js', content: `import { test } from 'node:test';\ntest('fetches', async () => { await fetch('${cors}/direct'); });\n` },
        { path: 'remote.test.js', content: `import { test } from 'node:test';\nimport { secret } from '${cors}/static.js';\ntest('imports', () => secret);\n` },
      ]);
      return harness.runTests(id, ['net.test.js', 'remote.test.js']);
    }, corsOrigin);
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.unsupported).toMatch(/needs the full sandbox/);
    expect(report.value.unsupported).toMatch(/net\.test\.js.*fetch/);
    expect(report.value.unsupported).toMatch(/remote\.test\.js.*network/);
    expect(report.value.passed + report.value.failed).toBe(0);
    expect(requests).toEqual([]);
  });

  test('the layers: an opaque origin with the inherited CSP blocks storage, eval and remote import(), not fetch', async ({ page }) => {
    const probe = await page.evaluate(async (cors) => {
      const source = `
const out = { origin: self.origin, isolated: self.crossOriginIsolated };
try { await import('${cors}/probe-import.js'); out.importRemote = 'loaded'; } catch (e) { out.importRemote = String(e); }
try { out.fetchCors = await (await fetch('${cors}/probe-fetch')).text(); } catch (e) { out.fetchCors = String(e); }
try { await new Promise((res, rej) => { const r = indexedDB.open('l2mac-secrets'); r.onsuccess = res; r.onerror = () => rej(r.error); }); out.indexedDB = 'opened'; } catch (e) { out.indexedDB = String(e); }
try { await caches.keys(); out.caches = 'read'; } catch (e) { out.caches = String(e); }
try { out.eval = eval('1 + 1'); } catch (e) { out.eval = String(e); }
try { out.blobImport = (await import(URL.createObjectURL(new Blob(['export default 42'], { type: 'text/javascript' })))).default; } catch (e) { out.blobImport = String(e); }
postMessage(out);`;
      return (window.harness.workerSandbox as Harness).probe(source);
    }, corsOrigin);
    expect(probe.origin).toBe('null');
    expect(String(probe.importRemote)).toMatch(/Failed to fetch dynamically imported module/);
    expect(requests.filter((r) => r.includes('probe-import'))).toEqual([]);
    expect(probe.fetchCors).toBe('export const secret = "FROM-THE-CORS-HOST";');
    expect(String(probe.indexedDB)).toMatch(/SecurityError/);
    expect(String(probe.caches)).toMatch(/SecurityError/);
    expect(String(probe.eval)).toMatch(/EvalError/);
    expect(probe.blobImport).toBe(42);
  });
});
