import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkSyntaxInApp } from '../../../src/sandbox/syntax.ts';
import { needsStripping, stripTypes } from '../../../src/sandbox/strip.ts';

const run = promisify(execFile);

/** Runs JS with real Node as an ES module (or CommonJS for `.cjs`) and returns its stdout. */
async function runWithNode(name: string, code: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'l2mac-strip-'));
  try {
    await writeFile(join(dir, name), code);
    const { stdout } = await run(process.execPath, [join(dir, name)], { cwd: dir });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('stripTypes', () => {
  it('erases types and keeps ES imports and exports, so Node runs the result as a module', async () => {
    const source = [
      'import type { Unused } from "./types.ts";',
      'export interface Point { x: number; y: number }',
      'export enum Color { Red = 1, Green }',
      'export const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y });',
      'const p = add({ x: 1, y: 2 } as Point, { x: 3, y: 4 });',
      'console.log(JSON.stringify(p), Color.Green, p satisfies Point ? "ok" : "");',
    ].join('\n');
    const code = stripTypes('src/point.ts', source);
    expect(code).not.toMatch(/interface|: number|as Point|satisfies/);
    expect(code).toMatch(/export const add/);
    expect(checkSyntaxInApp('out.mjs', code)).toEqual([]);
    expect(await runWithNode('point.mjs', code)).toBe('{"x":4,"y":6} 2 ok\n');
  });

  it('keeps modern syntax untouched and line numbers unchanged', () => {
    const source = 'const a: number | undefined = undefined;\nclass A { #x = 1; y = a?.toString() ?? "none"; }\nexport { A };\n';
    const code = stripTypes('a.ts', source);
    expect(code).toContain('#x = 1');
    expect(code).toContain('a?.toString() ?? "none"');
    expect(code.split('\n')).toHaveLength(source.split('\n').length);
  });

  it('compiles JSX to the automatic runtime, for .jsx and .tsx', () => {
    for (const path of ['c.jsx', 'c.tsx']) {
      const code = stripTypes(path, 'export const C = () => <b title="t">hi</b>;');
      expect(code, path).toContain('from "react/jsx-runtime"');
      expect(code, path).not.toContain('<b');
    }
  });

  it('makes .cts CommonJS', async () => {
    const code = stripTypes('a.cts', 'import path from "node:path";\nexport const sep: string = path.sep;\nconsole.log(sep);\n');
    expect(code).toContain('require(');
    expect(await runWithNode('a.cjs', code)).toBe('/\n');
  });

  it('returns other files unchanged and says which files need stripping', () => {
    const js = 'const x = 1; // : number\n';
    expect(stripTypes('a.js', js)).toBe(js);
    expect(stripTypes('a.json', '{"a": 1}')).toBe('{"a": 1}');
    expect(['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.jsx', 'a.js', 'a.mjs', 'a.cjs', 'a.json'].map(needsStripping)).toEqual([
      true, true, true, true, true, false, false, false, false,
    ]);
  });
});
