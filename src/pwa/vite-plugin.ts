/**
 * Build-time PWA set-up (used by `vite.config.ts`, runs in Node): vite-plugin-pwa in injectManifest mode
 * compiles `src/sw.ts` to `sw.js` with the precache list of the build, writes the web app manifest, and a
 * small plugin loads `src/pwa/boot.ts` first in every page, so that the registration (and the one-time
 * isolation reload of a first visit) starts before the app itself.
 */
import type { Plugin, PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const BOOT_MODULE = '/src/pwa/boot.ts';

function bootEntry(): Plugin {
  return {
    name: 'l2mac-pwa-boot',
    transformIndexHtml: {
      // Before Vite's own HTML processing, so that the script is bundled like any other entry script.
      order: 'pre',
      handler: () => [{ tag: 'script', attrs: { type: 'module', src: BOOT_MODULE }, injectTo: 'head-prepend' }],
    },
  };
}

/** Everything the build needs for the service worker and the manifest. */
export function pwaPlugins(): PluginOption[] {
  return [
    bootEntry(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // Registration is ours (src/pwa/register.ts): it also makes static hosts cross-origin isolated.
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'L2MAC Web',
        short_name: 'L2MAC',
        description: 'Turn one prompt into a whole, tested codebase or book, in your browser, with your own LLM key.',
        theme_color: '#1f2937',
        background_color: '#111827',
        display: 'standalone',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        // The app shell, every lazy chunk (the slim Monaco and its editor worker, the worker sandbox's
        // runtime, the openai SDK), the demo scenarios, icons and the manifest. Source maps stay out, and
        // so do gpt-tokenizer's encodings (3 MB): they only count tokens for a real provider, which needs
        // the network anyway, and load from it when first used.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,json,webmanifest,ttf,woff,woff2,wasm}'],
        globIgnores: ['**/*.map', 'sw.js', '**/cl100k_base-*.js', '**/o200k_base-*.js', '**/p50k_*-*.js', '**/r50k_base-*.js'],
        // Monaco's editor chunk is a few MB; nothing bigger is expected.
        maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
        // A classic script: module service workers are not supported everywhere.
        rollupFormat: 'iife',
      },
      devOptions: { enabled: false },
    }),
  ];
}
