/**
 * The dev server (`npm run dev`) sends the cross-origin isolation headers WebContainer needs (DESIGN §2, §7),
 * as `vite preview` does (the end-to-end tests cover preview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

let server: ViteDevServer;

beforeAll(async () => {
  server = await createServer({ configFile: 'vite.config.ts', logLevel: 'silent', server: { port: 0, strictPort: false, hmr: false } });
  await server.listen();
});

afterAll(async () => {
  await server?.close();
});

describe('npm run dev', () => {
  it('serves the page with COOP same-origin and COEP require-corp', async () => {
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('the dev server has no port');
    const response = await fetch(`http://127.0.0.1:${address.port}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await response.text()).toContain('<div id="app">');
  });
});
