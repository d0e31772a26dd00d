/**
 * The page's entry: starts the service worker (offline, and COOP/COEP on static hosts), opens the app's
 * services (the composition root) and mounts the app.
 */
import './pwa/boot.ts';
import './ui/styles/app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { createAppServices } from './app/compose.ts';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

function showFatal(message: string): void {
  const box = document.createElement('div');
  box.setAttribute('role', 'alert');
  box.className = 'fatal';
  const title = document.createElement('h1');
  title.textContent = 'L2MAC Web could not start';
  const detail = document.createElement('p');
  detail.textContent = message;
  box.append(title, detail);
  target!.replaceChildren(box);
}

createAppServices({ onStoreClosed: () => showFatal('A newer version of the app was opened in another tab. Reload this page to continue.') })
  .then((services) => mount(App, { target, props: { services } }))
  .catch((error: unknown) => showFatal(`This browser refused the app its storage (IndexedDB): ${error instanceof Error ? error.message : String(error)}`));
