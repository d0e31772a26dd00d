#!/usr/bin/env node
/**
 * A plain static file server, like GitHub Pages: it serves a build folder and sends NO
 * Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy headers. The hosting test uses it to prove that
 * the app's service worker makes the page cross-origin isolated on such a host. Also handy to try a build
 * under a sub-path, as a project site on GitHub Pages is served.
 *
 *   node scripts/static-server.mjs [--dir dist] [--port 4300] [--host 127.0.0.1] [--base /l2mac-web/]
 *
 * Environment variables STATIC_DIR, STATIC_PORT, STATIC_HOST and STATIC_BASE work too. A request for a
 * folder serves its index.html; anything missing is a 404 (no single-page fallback, as on GitHub Pages).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function option(name, envName, fallback) {
  const flag = process.argv.indexOf(`--${name}`);
  if (flag >= 0 && process.argv[flag + 1]) return process.argv[flag + 1];
  return process.env[envName] ?? fallback;
}

export function createStaticServer({ dir, base = '/' }) {
  const root = resolve(dir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'Bad Request');
    }
    if (pathname === prefix.slice(0, -1)) return send(301, '', { Location: prefix });
    if (!pathname.startsWith(prefix)) return send(404, 'Not Found');
    let file = join(root, pathname.slice(prefix.length));
    if (file !== root && !file.startsWith(root + sep)) return send(404, 'Not Found');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, '', { Location: `${pathname}/` });
        file = join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
        // Like GitHub Pages: short caching, no isolation headers.
        'Cache-Control': 'max-age=600',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      send(404, 'Not Found');
    }
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const dir = option('dir', 'STATIC_DIR', 'dist');
  const port = Number(option('port', 'STATIC_PORT', '4300'));
  const host = option('host', 'STATIC_HOST', '127.0.0.1');
  const base = option('base', 'STATIC_BASE', '/');
  const server = createStaticServer({ dir, base });
  server.listen(port, host, () => {
    // Port 0 picks a free port: the line below says which (the hosting test reads it).
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    console.log(`Serving ${resolve(dir)} at http://${host}:${actual}${base.endsWith('/') ? base : `${base}/`} (no COOP/COEP headers)`);
  });
}
