/**
 * Builds for the browser figures and `vite preview` to serve them: the app alone (`dist-bench/app`, with a
 * Vite manifest, for the load figures) and the app with the test harness (`dist-bench/harness`, for
 * everything measured in the page). Two builds, because a second entry changes how Rollup splits chunks,
 * and the load figures must be the app's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const VITE = join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');

export const DIST = { app: 'dist-bench/app', harness: 'dist-bench/harness' } as const;

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`))));
  });
}

export async function buildApp(): Promise<void> {
  await run(['build', '--manifest', '--logLevel', 'warn'], { DIST_DIR: DIST.app, L2MAC_HARNESS: '0' });
}

export async function buildHarness(): Promise<void> {
  await run(['build', '--logLevel', 'warn'], { DIST_DIR: DIST.harness, L2MAC_HARNESS: '1' });
}

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms`);
}

/** `vite preview` of `dist` on `port` (the project's COOP/COEP headers included). */
export async function startPreview(dist: string, port: number): Promise<PreviewServer> {
  const child = spawn(process.execPath, [VITE, 'preview', '--port', String(port), '--strictPort'], {
    env: { ...process.env, DIST_DIR: dist, PREVIEW_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/`, child, 30_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${String(error)}\n${output.slice(-2000)}`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
