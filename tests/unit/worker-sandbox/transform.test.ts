import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lineStarts, offsetOf, positionOf, sourceOffset } from '../../../src/sandbox/worker-runtime/prepare/positions.ts';
import { transformModule } from '../../../src/sandbox/worker-runtime/prepare/transform.ts';

/** The transformed body (the code after the header line, without the closing brace). */
function body(code: string): string {
  const module = transformModule(code);
  return module.code.slice(module.bodyOffset, -2);
}

describe('module transform', () => {
  test('imports are removed, keeping every line in place', () => {
    const code = "import {\n  a,\n  b,\n} from './x.js';\nconst c = a + b;\n";
    const out = body(code);
    expect(out.split('\n')).toHaveLength(code.split('\n').length);
    expect(out.split('\n')[4]).toBe('const c = __l2m$n0.a + __l2m$n0.b;');
  });

  test('references to imports become live reads; shadowing locals are left alone', () => {
    const out = body(`import { x, f } from './m.js';
import * as ns from './n.js';
function g(x) { const f = 1; return x + f; }
const h = () => { { let x = 2; return x; } };
try {} catch (x) { x; }
class C { x = x; f() { return f(); } }
const o = { x, f, [x]: 1, y: ns.y };
f\`tag\`;
label: for (const z of [x]) { break label; }
x.f = f?.();
`);
    expect(out).toContain('function g(x) { const f = 1; return x + f; }');
    expect(out).toContain('{ let x = 2; return x; }');
    expect(out).toContain('catch (x) { x; }');
    expect(out).toContain('class C { x = __l2m$n0.x; f() { return (0,__l2m$n0.f)(); } }');
    expect(out).toContain('const o = { x:__l2m$n0.x, f:__l2m$n0.f, [__l2m$n0.x]: 1, y: __l2m$n1.y };');
    expect(out).toContain('(0,__l2m$n0.f)`tag`;');
    expect(out).toContain('for (const z of [__l2m$n0.x]) { break label; }');
    // In `for (const x of [x])` the inner x is the loop's own (in its TDZ), as in JavaScript.
    expect(body("import { x } from './m.js';\nfor (const x of [x]) {}\n")).toContain('for (const x of [x]) {}');
    expect(out).toContain('__l2m$n0.x.f = (0,__l2m$n0.f)?.();');
  });

  test('var hoisting and function names shadow imports across the whole function', () => {
    const out = body("import { v } from './m.js';\nfunction k() { if (true) { v; } var v = 1; }\nconst e = function v() { return v; };\nv;\n");
    expect(out).toContain('function k() { if (true) { v; } var v = 1; }');
    expect(out).toContain('const e = function v() { return v; };');
    expect(out.trim().endsWith('__l2m$n0.v;')).toBe(true);
  });

  test('export forms are recorded; default exports get their names', () => {
    const module = transformModule(`export const a = 1, { b, c: [d] } = {};
export function f() {}
export class K {}
export default function () {}
export { a as alias, f as "string name" };
export * from './star.js';
export * as ns from './ns.js';
export { x as y } from './re.js';
`);
    expect(module.localExports).toEqual(['a', 'b', 'd', 'f', 'K', 'default', 'alias', 'string name']);
    expect(module.starExports).toEqual([0]);
    expect(module.indirectExports).toEqual([
      { name: 'ns', request: 1, imported: '*' },
      { name: 'y', request: 2, imported: 'x' },
    ]);
    expect(module.code).toContain('Object.defineProperty(__l2m$d,"name",{value:"default",configurable:true});');
    expect(transformModule('export default class {}\n').code).toContain('const __l2m$d=({default: class {}}).default;');
    expect(transformModule('export default (() => 1)\n').code).toContain('const __l2m$d=({default: (() => 1)}).default;');
    expect(transformModule('export default 41 + 1;\n').code).toContain('const __l2m$d= 41 + 1;');
  });

  test('requests in source order, one per specifier and type; imports checked by name', () => {
    const module = transformModule("import a from './a.js';\nimport { b, c as d } from './a.js';\nimport j from './j.json' with { type: 'json' };\nimport './side.js';\n");
    expect(module.requests).toEqual([{ specifier: './a.js' }, { specifier: './j.json', type: 'json' }, { specifier: './side.js' }]);
    expect(module.imports.map((i) => [i.request, i.name, i.line])).toEqual([
      [0, 'default', 1],
      [0, 'b', 2],
      [0, 'c', 2],
      [1, 'default', 3],
    ]);
  });

  test('import.meta and import() go through the loader; top-level await makes the module async', () => {
    const module = transformModule("const url = import.meta.url;\nconst m = await import('./x.js');\nconst n = import(name);\n");
    expect(module.async).toBe(true);
    expect(module.code.startsWith('export default async function*(')).toBe(true);
    expect(module.code).toContain('const url = __l2m$.m.url;');
    expect(module.code).toContain("const m = await __l2m$.i('./x.js');");
    expect(module.dynamicSpecifiers).toEqual(['./x.js']);
    expect(transformModule('async function f() { await 1; }\n').async).toBe(false);
    expect(transformModule('for await (const x of []) {}\n').async).toBe(true);
  });

  test('globals Node has and the worker lacks are noticed, except under typeof', () => {
    expect(transformModule("Buffer.from('x'); fetch('/');\n").missingGlobals.sort()).toEqual(['Buffer', 'fetch']);
    expect(transformModule("if (typeof Buffer !== 'undefined') {}\nconst fetch = 1; fetch;\n").missingGlobals).toEqual([]);
  });

  test('CommonJS is recognised only without module syntax', () => {
    expect(transformModule("const x = require('./x');\nmodule.exports = x;\n").looksCommonJs).toBe(true);
    expect(transformModule("import x from './x.js';\nconst r = require;\n").looksCommonJs).toBe(false);
    expect(transformModule("if (typeof module !== 'undefined') {}\n").looksCommonJs).toBe(false);
  });

  test('a hashbang is dropped and the body keeps its lines', () => {
    const module = transformModule('#!/usr/bin/env node\nconsole.log(1);\n');
    expect(body('#!/usr/bin/env node\nconsole.log(1);\n')).toBe('\nconsole.log(1);\n');
    expect(module.code.split('\n')[0]?.endsWith('yield;')).toBe(true);
  });

  test('syntax errors come from the parser', () => {
    expect(() => transformModule('export const = 1;')).toThrow(SyntaxError);
  });
});

describe('positions map back to the source', () => {
  test('every identifier of the source is found at its own position after the transform', () => {
    const names = fc.constantFrom('alpha', 'beta', 'gamma', 'delta');
    const statement = fc.oneof(
      names.map((n) => `${n}(${n});`),
      names.map((n) => `{ const local_${n} = { ${n} }; }`),
      names.map((n) => `{ const out_${n} = ${n} + 1; }`),
      fc.constant('\n'),
      fc.constant('// comment\n'),
    );
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 12 }), (statements) => {
        const source = `import { alpha, beta } from './a.js';\nimport gamma from './g.js';\nlet delta = 0;\n${statements.join(' ')}\nmarker;\n`;
        const module = transformModule(source);
        const codeStarts = lineStarts(module.code);
        const sourceStarts = lineStarts(source);
        // `marker` is never rewritten: its position must map back exactly.
        const outputOffset = module.code.lastIndexOf('marker');
        const at = positionOf(codeStarts, outputOffset);
        const back = sourceOffset(module.replacements, offsetOf(codeStarts, at.line, at.column) - module.bodyOffset);
        expect(positionOf(sourceStarts, back)).toEqual(positionOf(sourceStarts, source.lastIndexOf('marker')));
        // A rewritten reference maps to the start of the identifier it replaced.
        const rewritten = module.code.indexOf('__l2m$n0.alpha', module.bodyOffset);
        if (rewritten !== -1) {
          const mapped = sourceOffset(module.replacements, rewritten - module.bodyOffset);
          expect(source.slice(mapped, mapped + 5)).toBe('alpha');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a call of an imported function is located where Node locates it', () => {
  test('just after the rewritten callee maps to the callee’s start', () => {
    const source = "import { test } from 'node:test';\n  test('x', () => {});\n";
    const module = transformModule(source);
    const call = module.code.indexOf("('x'") - module.bodyOffset;
    const starts = lineStarts(source);
    expect(positionOf(starts, sourceOffset(module.replacements, call, module.callees))).toEqual({ line: 2, column: 3 });
    // Without the callee list, the same offset is the source position after `test`.
    expect(positionOf(starts, sourceOffset(module.replacements, call))).toEqual({ line: 2, column: 7 });
  });
});
