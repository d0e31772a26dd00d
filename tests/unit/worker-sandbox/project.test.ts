import { describe, expect, test } from 'vitest';
import { SHIMMED_EXPORTS } from '../../../src/sandbox/worker-runtime/builtins/catalog.ts';
import { blockersOf, ProjectPreparer } from '../../../src/sandbox/worker-runtime/host/project.ts';

const prepare = (files: Record<string, string>) => new ProjectPreparer().prepare(new Map(Object.entries(files)));
const blockers = (files: Record<string, string>, entry = 'a.test.js') => blockersOf(prepare(files), entry);
const esm = { 'package.json': '{"type":"module"}' };

describe('which test files need the full sandbox, decided before running', () => {
  test('pure modules and shimmed built-ins run', () => {
    expect(blockers({ ...esm, 'a.test.js': "import { test } from 'node:test';\nimport path from 'path';\nimport { x } from './x.ts';\n", 'x.ts': 'export const x: number = 1;\n' })).toEqual([]);
  });

  test('packages, fs, child_process and the network anywhere in the static graph', () => {
    const found = blockers({
      ...esm,
      'a.test.js': "import './lib/db.js';\nimport 'lodash';\n",
      'lib/db.js': "import { readFileSync } from 'node:fs';\nimport { exec } from 'child_process';\nimport http from 'node:http';\n",
    });
    expect(found).toEqual([
      'node:fs (the file system) (imported by lib/db.js)',
      'node:child_process (processes) (imported by lib/db.js)',
      'node:http (the network) (imported by lib/db.js)',
      "the package 'lodash' (imported by a.test.js)",
    ]);
  });

  test('string-literal import() counts too; computed ones are decided when they run', () => {
    expect(blockers({ ...esm, 'a.test.js': "const m = () => import('node:fs');\n" })).toEqual(['node:fs (the file system) (imported by a.test.js)']);
    expect(blockers({ ...esm, 'a.test.js': "const m = (n) => import('node:' + n);\n" })).toEqual([]);
  });

  test('globals the worker lacks, outside typeof', () => {
    expect(blockers({ ...esm, 'a.test.js': "Buffer.from('x');\nawait fetch('/x');\n" })).toEqual(['Buffer (used in a.test.js)', 'the network (fetch) (used in a.test.js)']);
    expect(blockers({ ...esm, 'a.test.js': "if (typeof Buffer === 'undefined') {}\n" })).toEqual([]);
  });

  test('a named import a shimmed built-in does not provide', () => {
    expect(blockers({ ...esm, 'a.test.js': "import { createHash, randomUUID } from 'node:crypto';\n" })).toEqual(['node:crypto createHash (imported by a.test.js)']);
  });

  test('CommonJS: .cjs files, and .js files without "type": "module" that use require', () => {
    expect(blockers({ 'a.test.js': "const x = require('./x.cjs');\n", 'x.cjs': 'module.exports = 1;\n' })).toEqual(['CommonJS (require/module.exports in a.test.js)']);
    expect(blockers({ ...esm, 'a.test.js': "import './x.cjs';\n", 'x.cjs': 'module.exports = 1;\n' })).toEqual(['CommonJS (x.cjs)']);
    // Under "type": "module", `require` is just a missing global, as in Node (a ReferenceError when run).
    expect(blockers({ ...esm, 'a.test.js': "const x = require('./x.js');\n" })).toEqual([]);
  });

  test('missing files are not blockers: they fail at run time, like Node', () => {
    const project = prepare({ ...esm, 'a.test.js': "import './nope.js';\n" });
    expect(blockersOf(project, 'a.test.js')).toEqual([]);
    expect(project.modules['a.test.js']?.targets).toEqual([expect.objectContaining({ kind: 'error', code: 'ERR_MODULE_NOT_FOUND' })]);
  });

  test('transforms are cached by content', () => {
    const preparer = new ProjectPreparer();
    const first = preparer.prepare(new Map([['a.js', 'export const a = 1;\n']]));
    const second = preparer.prepare(new Map([['a.js', 'export const a = 1;\n']]));
    const changed = preparer.prepare(new Map([['a.js', 'export const a = 2;\n']]));
    expect(second.modules['a.js']?.code).toBe(first.modules['a.js']?.code);
    expect(changed.modules['a.js']?.code).toContain('a = 2');
  });

  test('TypeScript is stripped; a file that does not parse is a syntax failure, not a crash', () => {
    const project = prepare({ 'a.ts': 'const n: number = 1;\nexport enum E { A }\n', 'b.js': 'export const = 1;\n', 'c.json': '{}' });
    expect(project.modules['a.ts']?.code).not.toContain(': number');
    expect(project.modules['b.js']?.failure).toMatchObject({ kind: 'syntax' });
    expect(project.modules['c.json']?.format).toBe('json');
  });

  test('every shimmed module lists its exports (the worker holds its shims to them)', () => {
    for (const [name, exports] of Object.entries(SHIMMED_EXPORTS)) {
      expect(exports.length, name).toBeGreaterThan(0);
      expect([...exports].sort(), name).toEqual([...new Set(exports)].sort());
    }
  });
});
