/**
 * Evaluated first in the worker (main.ts imports it before anything else): locks the worker down, then
 * gives the npm ports of Node's modules, which read `process.env` as they load, a `process` to read. The
 * job replaces it with the full one (`builtins/process.ts`).
 */
import { lockdown } from './lockdown.ts';

export const sealed = lockdown();

Object.defineProperty(globalThis, 'process', { value: { env: {} }, writable: true, configurable: true });
