import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSyntaxInApp, formatSyntaxIssue, isCheckedBySyntax, jsonErrorOffset, MAX_ISSUES_PER_FILE } from '../../../src/sandbox/syntax.ts';

describe('checkSyntaxInApp', () => {
  it('accepts valid files of every checked kind', () => {
    const valid: Record<string, string> = {
      'a.js': 'import { b } from "./b.js";\nexport const a = b?.c ?? 1;\nawait Promise.resolve();\n',
      'a.mjs': 'export default class A { #x = 1; get x() { return this.#x; } }\n',
      'a.cjs': 'const fs = require("node:fs");\nif (!fs) return;\nmodule.exports = { fs };\n',
      'a.jsx': 'export const A = () => <div className="a">{[1].map((n) => <b key={n}>{n}</b>)}</div>;\n',
      'a.ts': 'export interface P { n: number }\nexport enum E { A = 1 }\nexport const f = <T,>(x: T): T => x;\n',
      'a.mts': 'export type T = { a: string };\nexport const t: T = { a: "" };\n',
      'a.cts': 'import fs from "node:fs";\nexport const x: typeof fs | null = null;\n',
      'a.tsx': 'export const C = (p: { n: number }) => <b>{p.n as number}</b>;\n',
      'package.json': '{ "type": "module", "scripts": { "test": "node --test" } }',
    };
    for (const [path, content] of Object.entries(valid)) expect(checkSyntaxInApp(path, content), path).toEqual([]);
  });

  it('reports file, 1-based line and column, and the reason', () => {
    expect(checkSyntaxInApp('src/a.js', 'const a = 1;\nconst b = ;\n')).toEqual([
      { file: 'src/a.js', line: 2, column: 11, message: 'Unexpected token' },
    ]);
  });

  it('parses by extension: JSX only where allowed, CommonJS only in .cjs, TS only in TS files', () => {
    expect(checkSyntaxInApp('a.js', 'const x = <div/>;')).toHaveLength(1);
    expect(checkSyntaxInApp('a.jsx', 'const x = <div/>;')).toEqual([]);
    expect(checkSyntaxInApp('a.ts', 'const x = <div/>;')).toHaveLength(1);
    expect(checkSyntaxInApp('a.js', 'const x: number = 1;')).toHaveLength(1);
    expect(checkSyntaxInApp('a.js', 'return 1;')).toHaveLength(1);
    expect(checkSyntaxInApp('a.cjs', 'return 1;')).toEqual([]);
    expect(checkSyntaxInApp('a.cjs', 'import x from "y";')).toHaveLength(1);
    expect(checkSyntaxInApp('a.cjs', 'await x;')).toHaveLength(1);
    expect(checkSyntaxInApp('a.mjs', 'with (a) {}')).toHaveLength(1);
  });

  it('reports the early errors Node rejects, several per file, capped', () => {
    const issues = checkSyntaxInApp('a.js', 'let a; let a;\nexport default 1; export default 2;\n');
    expect(issues.map((i) => i.line)).toEqual([1, 2]);
    const many = Array.from({ length: 30 }, (_, i) => `let v${i}; let v${i};`).join('\n');
    expect(checkSyntaxInApp('a.js', many)).toHaveLength(MAX_ISSUES_PER_FILE);
  });

  it('checks JSON with a line and column from the error position', () => {
    expect(checkSyntaxInApp('data.json', '{\n  "a": 1,\n}\n')).toEqual([
      { file: 'data.json', line: 3, column: 1, message: 'Invalid JSON: Expected double-quoted property name' },
    ]);
    expect(checkSyntaxInApp('data.json', '{"a": 1')[0]).toMatchObject({ line: 1, column: 8 });
    expect(checkSyntaxInApp('data.json', '')[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('leaves other files alone', () => {
    expect(isCheckedBySyntax('README.md')).toBe(false);
    expect(checkSyntaxInApp('README.md', '{{{ not code')).toEqual([]);
    expect(checkSyntaxInApp('src/app.css', 'a { color: }')).toEqual([]);
  });

  it('formats issues as file:line:column: message', () => {
    const [issue] = checkSyntaxInApp('a.js', 'const a = ;');
    expect(issue && formatSyntaxIssue(issue)).toBe('a.js:1:11: Unexpected token');
    expect(formatSyntaxIssue({ file: 'x.json', message: 'bad' })).toBe('x.json: bad');
  });

  it('never throws on arbitrary input, and every position lies inside the file', () => {
    fc.assert(
      fc.property(fc.constantFrom('a.js', 'a.cjs', 'a.jsx', 'a.ts', 'a.tsx', 'a.json'), fc.string({ maxLength: 80 }), (path, content) => {
        for (const issue of checkSyntaxInApp(path, content)) {
          expect(issue.file).toBe(path);
          if (issue.line !== undefined) expect(issue.line).toBeLessThanOrEqual(content.split('\n').length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('jsonErrorOffset', () => {
  const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9a-z.eE+\-\\]{0,24}$/);
  const valid = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('finds an error exactly when JSON.parse rejects, at a position inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 20 }), fc.json().map((j) => j.slice(0, -1))), (text) => {
        const found = jsonErrorOffset(text);
        expect(found === null).toBe(valid(text));
        if (found) expect(found.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts everything JSON.stringify produces', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonErrorOffset(JSON.stringify(value, null, 2)) === null));
  });

  it('survives deep nesting without overflowing the stack', () => {
    expect(jsonErrorOffset('['.repeat(200_000))).toMatchObject({ offset: 200_000 });
  });
});
