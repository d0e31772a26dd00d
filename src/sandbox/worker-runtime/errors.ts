/**
 * Errors raised by the worker's module loader and shims, shaped like Node's (a `code`, Node's message), and
 * the one error that means "needs the full sandbox".
 */

let unsupportedListener: ((reason: string) => void) | null = null;

/**
 * Who hears of every "needs the full sandbox" (the runtime posts it to the page), even when generated code
 * catches the error: what it tried to do would have behaved differently under Node.
 */
export function setUnsupportedListener(listener: ((reason: string) => void) | null): void {
  unsupportedListener = listener;
}

export class UnsupportedError extends Error {
  readonly unsupported: string;
  constructor(reason: string) {
    super(`This needs the full sandbox (Node.js in a WebContainer): ${reason} is not available in the worker sandbox.`);
    this.name = 'Error';
    this.unsupported = reason;
    unsupportedListener?.(reason);
  }
}

/** `Error [CODE]: message` like Node's internal errors. */
export function nodeError(code: string, message: string, Kind: ErrorConstructor = Error): Error {
  const error = new Kind(message) as Error & { code: string };
  error.code = code;
  Object.defineProperty(error, 'name', { value: `${Kind.name} [${code}]`, configurable: true, writable: true });
  // Node shows `Error [CODE]: message` in stacks but `error.name` is the plain kind afterwards.
  void error.stack;
  Object.defineProperty(error, 'name', { value: Kind.name, configurable: true, writable: true });
  return error;
}

export function isUnsupportedError(error: unknown): error is UnsupportedError {
  return typeof error === 'object' && error !== null && typeof (error as { unsupported?: unknown }).unsupported === 'string';
}
