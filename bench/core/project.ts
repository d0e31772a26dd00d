/**
 * Deterministic generated projects for the benchmarks: plausible ES modules and node:test files of a given
 * size, laid out in folders the way a generated codebase is (so listings and trees behave as in a run).
 * The same arguments always give the same text.
 */

/** A module of exactly `lines` lines (at least 3) of real, parseable code. `variant` changes its body. */
export function moduleSource(index: number, lines: number, variant = 0): string {
  const name = `value${index}`;
  const out = [`// Module ${index} (generated for benchmarks, variant ${variant}).`, `export const ${name}Base = ${index + variant};`];
  let fn = 0;
  while (out.length + 4 <= lines - 1) {
    out.push(
      `export function ${name}Step${fn}(input) {`,
      `  const scaled = input * ${(fn % 7) + 2} + ${name}Base;`,
      `  return scaled % ${(fn % 11) + 3} === 0 ? scaled / 2 : scaled - ${fn};`,
      '}',
    );
    fn++;
  }
  while (out.length < lines - 1) out.push(`export const ${name}Pad${out.length} = ${out.length * 3 + variant};`);
  out.push(`export const ${name}Count = ${fn};`);
  return `${out.join('\n')}\n`;
}

/** A node:test file for `moduleSource(index, …)` imported from `importPath`, with `tests` passing tests. */
export function testSource(index: number, importPath: string, tests = 3): string {
  const name = `value${index}`;
  const out = ["import { test } from 'node:test';", "import assert from 'node:assert/strict';", `import { ${name}Base, ${name}Count } from '${importPath}';`, ''];
  for (let t = 0; t < tests; t++) {
    out.push(`test('module ${index} case ${t}', () => {`, `  assert.equal(typeof ${name}Count, 'number');`, `  assert.ok(${name}Base >= 0);`, '});', '');
  }
  return out.join('\n');
}

/** `text` padded with comment lines to exactly `lines` lines (a text that is longer is returned as is). */
export function padTo(text: string, lines: number): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const have = body.split('\n').length;
  const pad = Array.from({ length: Math.max(0, lines - have) }, (_, i) => `// padding ${i + 1}`);
  return `${[body, ...pad].join('\n')}\n`;
}

export interface ProjectFile {
  path: string;
  content: string;
}

/** Where file `i` of a generated project lives: 20 files per folder, folders in two levels. */
export function projectPath(i: number, kind: 'module' | 'test' = 'module'): string {
  const folder = Math.floor(i / 20);
  const base = `src/area-${Math.floor(folder / 10)}/part-${folder % 10}/m${i}`;
  return kind === 'test' ? `${base}.test.js` : `${base}.js`;
}

/**
 * A project of `files` files of about `lines` lines: every `testEvery`-th file is a test of the module
 * before it (0: no tests).
 */
export function generatedProject(files: number, lines = 40, testEvery = 4): ProjectFile[] {
  const out: ProjectFile[] = [];
  for (let i = 0; i < files; i++) {
    if (testEvery > 0 && i % testEvery === testEvery - 1 && i > 0) {
      const target = i - 1;
      const importPath = `./m${target}.js`;
      // The test sits beside its module only when both fall in the same folder; otherwise it tests itself.
      const sameFolder = Math.floor(target / 20) === Math.floor(i / 20);
      out.push({ path: projectPath(i, 'test'), content: sameFolder ? testSource(target, importPath) : selfContainedTest(i) });
    } else {
      out.push({ path: projectPath(i), content: moduleSource(i, lines) });
    }
  }
  return out;
}

/** A test file that needs no other file. */
export function selfContainedTest(index: number, tests = 3): string {
  const out = ["import { test } from 'node:test';", "import assert from 'node:assert/strict';", ''];
  for (let t = 0; t < tests; t++) out.push(`test('self-contained ${index} case ${t}', () => {`, `  assert.equal(${t} + ${index}, ${t + index});`, '});', '');
  return out.join('\n');
}

export function asRecord(files: readonly ProjectFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}

export function lineTotal(files: readonly ProjectFile[]): number {
  return files.reduce((n, f) => n + f.content.split('\n').length - (f.content.endsWith('\n') ? 1 : 0), 0);
}

export function byteTotal(files: readonly ProjectFile[]): number {
  const encoder = new TextEncoder();
  return files.reduce((n, f) => n + encoder.encode(f.content).length, 0);
}
