/**
 * The npm ports of Node's `assert` and `util` (browserify's), imported by file so that these declarations
 * never meet @types/node's ambient `assert` and `util` modules.
 */
declare module 'assert/build/assert.js' {
  const assert: ((value: unknown, message?: unknown) => void) & Record<string, unknown> & { strict: Record<string, unknown> };
  export default assert;
}

declare module 'assert/build/internal/util/comparisons.js' {
  export function isDeepStrictEqual(a: unknown, b: unknown): boolean;
}

declare module 'util/util.js' {
  const util: Record<string, unknown> & {
    format(...args: unknown[]): string;
    inspect(value: unknown, options?: unknown): string;
    types: Record<string, unknown>;
  };
  export default util;
}
