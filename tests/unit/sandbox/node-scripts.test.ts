import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  needsFormatHooks,
  nodeScriptFiles,
  parseSyntaxCheckOutput,
  runFileCommand,
  syntaxCheckCommand,
  testCommand,
  type NodeCommand,
} from '../../../src/sandbox/node-scripts.ts';
import { stripTypes } from '../../../src/sandbox/strip.ts';
import { checkSyntaxInApp } from '../../../src/sandbox/syntax.ts';
import { parseTap } from '../../../src/sandbox/tap.ts';

let base = '';
let scriptDir = '';

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'l2mac-node-scripts-'));
  scriptDir = join(base, 'scripts');
  await mkdir(scriptDir);
  for (const file of nodeScriptFiles(scriptDir)) await writeFile(file.path, file.content);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function project(name: string, files: Record<string, string>): Promise<string> {
  const root = join(base, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

function run(command: NodeCommand, cwd: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, command.args, { cwd }, (error, stdout, stderr) => {
      resolve({ output: stdout + stderr, code: error ? Number(error.code ?? 1) : 0 });
    });
  });
}

describe('the syntax checker script', () => {
  it('checks many files in one Node process with Node positions, and executes nothing', async () => {
    const root = await project('check', {
      'package.json': '{"type":"module"}',
      'bad.js': 'const a = 1;\nconst x = ;\n',
      'good.js': 'export const a = 1;\nthrow new Error("must not run");\n',
      'using.mjs': 'using handle = open();\n',
      'ret.cjs': 'if (!module) return;\nmodule.exports = 1;\n',
      'dup.cjs': 'let a;\nlet a;\n',
      'twice.mjs': 'export default 1;\nexport default 2;\n',
      'cjs/package.json': '{"type":"commonjs"}',
      'cjs/esm.js': 'import x from "y";\n',
    });
    const files = ['bad.js', 'good.js', 'using.mjs', 'ret.cjs', 'dup.cjs', 'twice.mjs', 'cjs/esm.js', 'missing.js'];
    const { output, code } = await run(syntaxCheckCommand(files, { scriptDir }), root);
    expect(code).toBe(0);
    expect(parseSyntaxCheckOutput(output)).toEqual([
      { file: 'bad.js', line: 2, column: 11, message: "Unexpected token ';'" },
      { file: 'using.mjs', line: 1, column: 7, message: "Unexpected identifier 'handle'" },
      { file: 'dup.cjs', line: 2, column: 5, message: "Identifier 'a' has already been declared" },
      { file: 'twice.mjs', line: 2, column: 8, message: "Identifier '.default' has already been declared" },
      { file: 'cjs/esm.js', line: 1, column: 1, message: 'Cannot use import statement outside a module' },
      { file: 'missing.js', message: expect.stringContaining('cannot read the file') },
    ]);
  });

  it('is the final judge where the in-app parser is more lenient (using declarations on Node 20)', () => {
    expect(checkSyntaxInApp('using.mjs', 'using handle = open();\n')).toEqual([]);
  });

  it('follows Node for a .js file without a package type: CommonJS, or an ES module by detection', async () => {
    const root = await project('typeless', {
      'esm.js': 'import fs from "node:fs";\nexport default fs;\n',
      'cjs.js': 'module.exports = require("node:fs");\n',
      'bad.js': 'import fs from "node:fs";\nconst = 2;\n',
    });
    const { output } = await run(syntaxCheckCommand(['esm.js', 'cjs.js', 'bad.js'], { scriptDir }), root);
    const issues = parseSyntaxCheckOutput(output);
    expect(issues?.map((issue) => issue.file)).toEqual(['bad.js']);
    expect(issues?.[0]?.message).toBe("Unexpected token '='");
  });

  it('reads a long file list from a JSON file', async () => {
    const files = Array.from({ length: 200 }, (_, i) => `src/m${i}.js`);
    const root = await project('many', {
      'package.json': '{"type":"module"}',
      ...Object.fromEntries(files.map((file, i) => [file, `export const v${i} = ${i};\n`])),
      'src/m150.js': 'export const = 1;\n',
      'list.json': JSON.stringify(files),
    });
    const { output } = await run(syntaxCheckCommand(files, { scriptDir, filesFrom: 'list.json' }), root);
    expect(parseSyntaxCheckOutput(output)).toEqual([{ file: 'src/m150.js', line: 1, column: 14, message: "Unexpected token '='" }]);
  });
});

describe('parseSyntaxCheckOutput', () => {
  it('finds the result line in merged, noisy output', () => {
    const output = 'npm warn x\r\n(node:1) Warning: y\r\nL2MAC_SYNTAX_RESULT {"issues":[{"file":"./a.js","line":1,"column":2,"message":"m"}]}\r\n';
    expect(parseSyntaxCheckOutput(output)).toEqual([{ file: 'a.js', line: 1, column: 2, message: 'm' }]);
  });

  it('returns null when the checker printed no result', () => {
    expect(parseSyntaxCheckOutput('node: bad option: --experimental-vm-modules')).toBeNull();
    expect(parseSyntaxCheckOutput('L2MAC_SYNTAX_RESULT {not json')).toBeNull();
  });
});

describe('the module-format hooks', () => {
  it('let node --test run stripped .ts/.mts/.cts/.tsx/.jsx files that import each other', async () => {
    const sources: Record<string, string> = {
      'src/add.ts': 'export const add = (a: number, b: number): number => a + b;\n',
      'src/label.mts': 'export type Label = string;\nexport const label: Label = "sum";\n',
      'src/legacy.cts': 'const answer: number = 42;\nexport = { answer };\n',
      'src/view.tsx': 'import { add } from "./add.ts";\nexport const view = (n: number) => add(n, 1);\n',
      'src/plain.jsx': 'import { view } from "./view.tsx";\nexport const double = (n) => view(n) * 2;\n',
      'test/add.test.ts': [
        'import { test } from "node:test";',
        'import assert from "node:assert/strict";',
        'import { double } from "../src/plain.jsx";',
        'import { label } from "../src/label.mts";',
        'import legacy from "../src/legacy.cts";',
        'test("typed modules load", () => {',
        '  assert.equal(double(2), 6);',
        '  assert.equal(label, "sum");',
        '  assert.equal(legacy.answer, 42);',
        '});',
        '',
      ].join('\n'),
    };
    const stripped = Object.fromEntries(Object.entries(sources).map(([path, content]) => [path, stripTypes(path, content)]));
    const root = await project('hooks', { 'package.json': '{"type":"module"}', ...stripped });
    const { output, code } = await run(testCommand(['test/add.test.ts'], 10_000, { scriptDir, hooks: true }), root);
    const report = parseTap(output, { root, files: ['test/add.test.ts'], exitCode: code });
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(1);
  });

  it('let run_file run a stripped .ts entry with arguments', async () => {
    const root = await project('run', {
      'package.json': '{"type":"module"}',
      'main.ts': stripTypes('main.ts', 'const args: string[] = process.argv.slice(2);\nconsole.log(args.join("+"));\n'),
    });
    const { output, code } = await run(runFileCommand('main.ts', ['a b', '--flag'], { scriptDir, hooks: true }), root);
    expect({ output, code }).toEqual({ output: 'a b+--flag\n', code: 0 });
  });
});

describe('command lines', () => {
  it('are exactly what the sandboxes run', () => {
    expect(testCommand(['a.test.js', 'test/-odd.js'], 5000, { scriptDir: '.l2mac', hooks: false })).toEqual({
      cmd: 'node',
      args: ['--test', '--test-reporter=tap', '--test-timeout=5000', './a.test.js', './test/-odd.js'],
    });
    expect(testCommand(['a.test.ts'], 1500.4, { scriptDir: '/tmp/s/', hooks: true }).args).toEqual([
      '--import', '/tmp/s/l2mac-register.mjs', '--test', '--test-reporter=tap', '--test-timeout=1500', './a.test.ts',
    ]);
    expect(runFileCommand('src/main.js', ['-x'], { scriptDir: '.l2mac', hooks: true }).args).toEqual([
      '--import', './.l2mac/l2mac-register.mjs', './src/main.js', '-x',
    ]);
    expect(syntaxCheckCommand(['a.js'], { scriptDir: '.' }).args).toEqual([
      '--experimental-vm-modules', '--no-warnings', './l2mac-check-syntax.mjs', './a.js',
    ]);
  });

  it('say when the hooks are needed', () => {
    expect(needsFormatHooks(['a.js', 'b.mjs', 'c.json'])).toBe(false);
    expect(needsFormatHooks(['a.js', 'src/x.tsx'])).toBe(true);
  });
});
