/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (DESIGN.md §2, §7): COOP same-origin + COEP require-corp on the dev server and on
 * `vite preview`. One COEP everywhere: Safari needs require-corp, and WebContainer fixes its `coep` at
 * first boot. `COEP=none` turns the headers off, to test a static host that cannot send them.
 */
const coep = process.env.COEP ?? 'require-corp';
export const isolationHeaders: Record<string, string> =
  coep === 'none' ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': coep };

export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  plugins: [svelte()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: Number(process.env.PREVIEW_PORT ?? 4173), strictPort: true, headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
