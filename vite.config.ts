/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { pwaPlugins } from './src/pwa/vite-plugin.ts';
import { workerRuntimePlugin } from './build/worker-runtime-plugin.ts';

/**
 * Cross-origin isolation (DESIGN.md §2, §7): COOP same-origin + COEP require-corp on the dev server and on
 * `vite preview`. One COEP everywhere: Safari needs require-corp, and WebContainer fixes its `coep` at
 * first boot. `COEP=none` turns the headers off, to test a static host that cannot send them.
 */
const coep = process.env.COEP ?? 'require-corp';
export const isolationHeaders: Record<string, string> =
  coep === 'none' ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': coep };

/**
 * The browser test harness (`tests/harness/`) is built only for the end-to-end tests (`L2MAC_HARNESS=1`):
 * it lets a spec drive one module (a sandbox, the store, the LLM adapter) in real Chromium. The app a user
 * gets never contains it.
 */
const withHarness = process.env.L2MAC_HARNESS === '1';

export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  plugins: [svelte(), workerRuntimePlugin(), ...pwaPlugins()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: Number(process.env.PREVIEW_PORT ?? 4173), strictPort: true, headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    outDir: process.env.DIST_DIR ?? 'dist',
    rollupOptions: {
      input: withHarness ? { main: 'index.html', harness: 'tests/harness/index.html' } : { main: 'index.html' },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
