/**
 * `checkSyntax` in the worker: files are parsed by the browser's engine (V8, as in Node), and never run.
 *
 * A file becomes a blob: module whose FIRST import is a module that throws: the engine parses the whole
 * module (a syntax error rejects the import there), then resolves its imports, then evaluates them in order,
 * and the throwing one stops everything before the file's own code. A CommonJS file is parsed as the body
 * of a function, as Node wraps it; as a module that body is strict, so errors only strict mode has are not
 * held against it. A `.js` file Node would detect is accepted when it parses either way.
 */
import type { SourceKind, WorkerMessage } from './protocol.ts';

const STRICT_ONLY = /strict mode|Unexpected eval or arguments|Unexpected strict mode reserved word/i;
const NOT_RUN = 'l2mac: parsed, not run';

export async function checkSources(
  files: { path: string; code: string; kind: SourceKind }[],
  makeUrl: (code: string) => string,
  post: (message: WorkerMessage) => void,
): Promise<void> {
  const thrower = makeUrl(`throw new Error(${JSON.stringify(NOT_RUN)});`);
  const parse = async (code: string, kind: 'module' | 'script'): Promise<string | undefined> => {
    const wrapped =
      kind === 'module'
        ? `import ${JSON.stringify(thrower)};${code}`
        : `import ${JSON.stringify(thrower)};export default function (exports, require, module, __filename, __dirname) {${code}\n}`;
    try {
      await import(/* @vite-ignore */ makeUrl(wrapped));
      return undefined;
    } catch (error) {
      if (!(error instanceof SyntaxError)) return undefined;
      if (kind === 'script' && STRICT_ONLY.test(error.message)) return undefined;
      return error.message;
    }
  };
  for (const file of files) {
    let error: string | undefined;
    if (file.kind === 'detect') {
      error = await parse(file.code, 'module');
      if (error !== undefined && (await parse(file.code, 'script')) === undefined) error = undefined;
    } else {
      error = await parse(file.code, file.kind);
    }
    post(error === undefined ? { type: 'syntax', path: file.path } : { type: 'syntax', path: file.path, error });
  }
}
