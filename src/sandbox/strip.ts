/**
 * Turns TypeScript and JSX into plain JavaScript for the sandboxes that run it (Node 20 can do neither):
 * sucrase, only after `checkSyntaxInApp` passed the file (sucrase is a fast transformer, not a checker, and
 * accepts some code the parser rejects).
 *
 * - Types are erased; ES `import`/`export` are kept (the sandboxes load `.ts/.mts/.tsx/.jsx` as ES modules),
 *   except in `.cts`, which is CommonJS: there TypeScript's `import` becomes `require`, as `tsc` would emit.
 * - Modern syntax is left alone (`disableESTransforms`): Node 20 and the browsers run it natively, and the
 *   line numbers of failures stay close to the source.
 * - JSX uses the automatic runtime (`react/jsx-runtime`, production form): it is what React 17+, Vite and
 *   `tsc`'s `react-jsx` emit, so generated components that do not import React still work once `react` is
 *   installed; the classic `React.createElement` pragma would fail at run time in every such file. Without
 *   `react` in node_modules the import fails clearly ("Cannot find package 'react'"), and the worker
 *   sandbox reports that bare import as needing the full sandbox.
 */
import { transform, type Transform } from 'sucrase';

function transformsFor(path: string): Transform[] | null {
  const extension = /\.[^./]+$/.exec(path)?.[0] ?? '';
  switch (extension) {
    case '.ts':
    case '.mts':
      return ['typescript'];
    case '.cts':
      return ['typescript', 'imports'];
    case '.tsx':
      return ['typescript', 'jsx'];
    case '.jsx':
      return ['jsx'];
    default:
      return null;
  }
}

/** Whether `stripTypes` changes files of this kind (TS/JSX), i.e. whether a sandbox must strip it. */
export function needsStripping(path: string): boolean {
  return transformsFor(path) !== null;
}

/** Plain JavaScript for a `.ts/.mts/.cts/.tsx/.jsx` file; any other file is returned unchanged. */
export function stripTypes(path: string, content: string): string {
  const transforms = transformsFor(path);
  if (transforms === null) return content;
  return transform(content, {
    transforms,
    disableESTransforms: true,
    jsxRuntime: 'automatic',
    production: true,
    filePath: path,
  }).code;
}
