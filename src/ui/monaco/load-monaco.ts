/** Loads Monaco once, on first use (it is most of the app's weight, so never on page load). */
import type { Monaco } from './monaco.ts';

let loading: Promise<Monaco> | null = null;

export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./monaco.ts').then((module) => module.monaco).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

const LANGUAGES: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  json: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescript',
  md: 'markdown',
  markdown: 'markdown',
  css: 'css',
  html: 'html',
  htm: 'html',
  yml: 'yaml',
  yaml: 'yaml',
  sh: 'shell',
  bash: 'shell',
};

/** Monaco's language id for a path (plain text when unknown). */
export function languageOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? (LANGUAGES[name.slice(dot + 1).toLowerCase()] ?? 'plaintext') : 'plaintext';
}

/** The theme matching the system's colour scheme. */
export function systemTheme(): 'l2mac-light' | 'l2mac-dark' {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'l2mac-dark' : 'l2mac-light';
}
