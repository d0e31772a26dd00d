import { describe, expect, test } from 'vitest';
import { bundleWorkerRuntime, WORKER_RUNTIME_ID, workerRuntimePlugin } from '../../../build/worker-runtime-plugin.ts';
import runtimeSource from 'virtual:l2mac-worker-runtime';

describe('the worker runtime bundle', () => {
  test('is one self-contained module that locks the worker down before anything else', async () => {
    const { code, files } = await bundleWorkerRuntime();
    expect(files.some((file) => file.endsWith('src/sandbox/worker-runtime/main.ts'))).toBe(true);
    expect(files.some((file) => file.includes('node_modules/assert/'))).toBe(true);
    // No static import: the worker has nothing to fetch. The only import() is of the modules it makes.
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code.match(/\bimport\(/g)).toHaveLength(2);
    // Names survive minification (they show in stack traces).
    expect(code).toContain('TestContext');
    // lockdown() runs before the npm ports' code (their module bodies come later in the bundle).
    const lockdownAt = code.indexOf('could not remove');
    expect(lockdownAt).toBeGreaterThan(-1);
    expect(lockdownAt).toBeLessThan(code.indexOf('AssertionError'));
  }, 60_000);

  test('is served as the default export of the virtual module (the same source the app posts to workers)', async () => {
    const plugin = workerRuntimePlugin();
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const resolved = resolveId(WORKER_RUNTIME_ID);
    expect(resolved).toBe(`\0${WORKER_RUNTIME_ID}`);
    expect(resolveId('something-else')).toBeUndefined();
    const watched: string[] = [];
    const load = plugin.load as (this: { addWatchFile(file: string): void }, id: string) => Promise<string | undefined>;
    const module = await load.call({ addWatchFile: (file) => watched.push(file) }, resolved!);
    expect(module).toMatch(/^export default "/);
    expect(watched.some((file) => file.endsWith('worker-runtime/runtime.ts'))).toBe(true);
    expect(typeof runtimeSource).toBe('string');
    expect(runtimeSource.length).toBeGreaterThan(10_000);
  }, 60_000);
});
