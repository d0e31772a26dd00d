import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../../src/errors.ts';
import type { CheckSummary } from '../../../src/l2mac/events.ts';
import { MAX_FILE_BYTES, MAX_FILES } from '../../../src/l2mac/paths.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { dispatchToolCall } from '../../../src/l2mac/tools/dispatch.ts';
import { stepTools } from '../../../src/l2mac/tools/registry.ts';
import type { CheckRunner, ToolContext } from '../../../src/l2mac/tools/types.ts';
import { Workspace } from '../../../src/l2mac/workspace.ts';

const passing: CheckSummary = { syntaxErrors: [], passed: 2, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], noTests: false, ok: true };
const failing: CheckSummary = {
  ...passing,
  passed: 1,
  failed: 1,
  failures: [{ name: 'add > negatives', file: 'add.test.js', message: 'Expected 2, got 0' }],
  ok: false,
  output: 'not ok 2 - negatives',
};

/** A check runner that records what it was asked and answers from a fixed summary. */
function fakeChecks(summary: CheckSummary = passing): CheckRunner & { writes: string[][] } {
  const writes: string[][] = [];
  return {
    writes,
    async afterWrite(paths) {
      writes.push(paths);
      return summary;
    },
    async gate() {
      return { passed: summary.ok, message: summary.ok ? 'Step complete.' : 'Tests fail.', check: summary, testsNotRun: false };
    },
    async runTests() {
      return summary;
    },
    async runFile() {
      return { output: 'hello\n', exitCode: 0, timedOut: false };
    },
  };
}

function context(files: Record<string, string> = {}, checks = fakeChecks()): ToolContext & { workspace: Workspace } {
  return { workspace: new Workspace(files), limits: DEFAULT_LIMITS, checks, signal: new AbortController().signal };
}

let callId = 0;
async function call(name: string, args: unknown, ctx: ToolContext) {
  const outcome = await dispatchToolCall(
    { id: `c${callId++}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } },
    stepTools('codebase'),
    ctx,
  );
  return { ...outcome, json: JSON.parse(outcome.content) as Record<string, unknown> & { status: string; message: string } };
}

describe('dispatch: nothing the model sends crashes the run', () => {
  it('turns an unknown tool, malformed JSON and ill-typed or missing fields into error results', async () => {
    const ctx = context();
    expect((await call('rm_rf', {}, ctx)).json).toMatchObject({ status: 'error', message: expect.stringContaining('Unknown tool') });
    expect((await call('provide_detailed_sub_task_steps_for_sub_agents', { steps: ['x'] }, ctx)).status).toBe('error');
    expect((await call('write_files', '{"list_of_file_objects": [', ctx)).json.message).toMatch(/not valid JSON/);
    expect((await call('write_files', {}, ctx)).json.message).toMatch(/missing the required field "list_of_file_objects"/);
    expect((await call('write_files', { list_of_file_objects: [{ file_path: 'a.js' }] }, ctx)).json.message).toMatch(/file_contents/);
    expect((await call('view_files', { files: 'a.js' }, ctx)).json.message).toMatch(/must be an array/);
    expect((await call('view_files', { files: ['a.js'], start_line: 0 }, ctx)).json.message).toMatch(/at least 1/);
    expect(ctx.workspace.paths()).toEqual([]);
  });

  it('returns an error result for any argument string and any tool name (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...stepTools('codebase').map((t) => t.name), 'nope', ''),
        fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))),
        async (name, args) => {
          const outcome = await call(name, args, context({ 'a.js': 'x' }));
          expect(['ok', 'error']).toContain(outcome.json.status);
          expect(typeof outcome.json.message).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('turns an exception inside a tool into an error result, but lets a cancellation through', async () => {
    const broken = fakeChecks();
    broken.runFile = async () => {
      throw new Error('disk on fire');
    };
    const ctx = context({ 'a.js': 'x' }, broken);
    expect((await call('run_file', { file_name_to_run: 'a.js' }, ctx)).json).toMatchObject({ status: 'error', message: expect.stringContaining('disk on fire') });
    broken.runFile = async () => {
      throw new AbortError();
    };
    await expect(call('run_file', { file_name_to_run: 'a.js' }, ctx)).rejects.toBeInstanceOf(AbortError);
  });

  it('treats empty arguments as no arguments', async () => {
    expect((await call('list_files', '', context({ 'a.js': 'x' }))).json.status).toBe('ok');
  });
});

describe('write_files', () => {
  it('writes all files, runs the checks and says plainly whether they pass', async () => {
    const checks = fakeChecks(failing);
    const ctx = context({}, checks);
    const result = await call('write_files', { list_of_file_objects: [{ file_path: 'add.js', file_contents: 'export const add = (a, b) => a + b;\n' }, { file_path: 'add.test.js', file_contents: 't' }] }, ctx);
    expect(result.json.status).toBe('ok');
    expect(result.json.message).toMatch(/Wrote add\.js, add\.test\.js\. .*1 passed, 1 failed.*"add > negatives".*The checks fail/);
    expect(result.json.checks).toMatchObject({ syntax_errors: [], tests: { passed: 1, failed: 1, failing: [{ name: 'add > negatives', message: 'Expected 2, got 0' }] }, output: 'not ok 2 - negatives' });
    expect(checks.writes).toEqual([['add.js', 'add.test.js']]);
    expect(ctx.workspace.read('add.js')).toBe('export const add = (a, b) => a + b;\n');
    expect(result.check?.trigger).toBe('write');
  });

  it('reports checks that could not run without claiming the write failed', async () => {
    const checks = fakeChecks();
    checks.afterWrite = async () => {
      throw new Error('the sandbox crashed');
    };
    const ctx = context({}, checks);
    const result = await call('write_files', { list_of_file_objects: [{ file_path: 'a.js', file_contents: 'x' }] }, ctx);
    expect(result.json).toEqual({ status: 'ok', message: 'Wrote a.js. The checks could not run: the sandbox crashed. Call run_tests to try them again.' });
    expect(ctx.workspace.read('a.js')).toBe('x');
  });

  it('stores content exactly as given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (content) => {
        const ctx = context();
        await call('write_files', { list_of_file_objects: [{ file_path: 'f.txt', file_contents: content }] }, ctx);
        expect(ctx.workspace.read('f.txt')).toBe(content);
      }),
    );
  });

  it('is all or nothing: one bad path, duplicate or oversized file and nothing is written', async () => {
    for (const bad of [
      { file_path: '../escape.js', file_contents: 'x' },
      { file_path: '/etc/passwd', file_contents: 'x' },
      { file_path: 'ok.js', file_contents: 'again' },
      { file_path: 'big.txt', file_contents: 'x'.repeat(MAX_FILE_BYTES + 1) },
    ]) {
      const ctx = context();
      const result = await call('write_files', { list_of_file_objects: [{ file_path: 'ok.js', file_contents: 'x' }, bad] }, ctx);
      expect(result.json.status).toBe('error');
      expect(result.json.message).toMatch(/^Nothing was written: file 2: /);
      expect(ctx.workspace.paths()).toEqual([]);
    }
  });

  it('refuses to go past 5,000 files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < MAX_FILES - 1; i++) files[`f${i}.txt`] = '';
    const ctx = context(files);
    const two = [{ file_path: 'x1.txt', file_contents: '' }, { file_path: 'x2.txt', file_contents: '' }];
    expect((await call('write_files', { list_of_file_objects: two }, ctx)).json.message).toMatch(/limit is 5000/);
    expect((await call('write_files', { list_of_file_objects: two.slice(0, 1) }, ctx)).json.status).toBe('ok');
  });
});

describe('edit_file', () => {
  it('replaces one exact, unique occurrence, literally (no $ patterns)', async () => {
    const ctx = context({ 'a.js': 'const a = 1;\nconst b = 2;\n' });
    const result = await call('edit_file', { file_path: 'a.js', old_text: 'const b = 2;', new_text: "const b = '$&$1';" }, ctx);
    expect(result.json.status).toBe('ok');
    expect(result.json.message).toMatch(/Edited a\.js at line 2/);
    expect(ctx.workspace.read('a.js')).toBe("const a = 1;\nconst b = '$&$1';\n");
  });

  it('refuses none, several, an empty old_text and an unknown file', async () => {
    const ctx = context({ 'a.js': 'x = 1;\nx = 1;\n' });
    expect((await call('edit_file', { file_path: 'a.js', old_text: 'y', new_text: 'z' }, ctx)).json.message).toMatch(/does not occur/);
    expect((await call('edit_file', { file_path: 'a.js', old_text: 'x = 1;', new_text: 'z' }, ctx)).json.message).toMatch(/occurs 2 times .*lines 1, 2/);
    expect((await call('edit_file', { file_path: 'a.js', old_text: '', new_text: 'z' }, ctx)).json.status).toBe('error');
    expect((await call('edit_file', { file_path: 'b.js', old_text: 'x', new_text: 'z' }, ctx)).json.message).toMatch(/Not found: b\.js.*a\.js/);
    expect(ctx.workspace.read('a.js')).toBe('x = 1;\nx = 1;\n');
  });
});

describe('read-only tools', () => {
  it('list_files lists with sizes in lines, under a folder, and caps at 8,000 characters with a count', async () => {
    const ctx = context({ 'src/a.js': 'a\nb\n', 'README.md': '' });
    expect((await call('list_files', {}, ctx)).json.files).toBe('README.md (0 lines)\nsrc/a.js (2 lines)');
    expect((await call('list_files', { path: 'src/' }, ctx)).json.files).toBe('src/a.js (2 lines)');
    expect((await call('list_files', { path: 'lib' }, ctx)).json.status).toBe('error');
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`folder/file-${i}.js`] = 'x';
    const big = await call('list_files', {}, context(many));
    expect((big.json.files as string).length).toBeLessThanOrEqual(8000);
    expect(big.json.message).toMatch(/1000 files; .* \d+ are omitted/);
  });

  it('view_files numbers lines, pages, and cuts at 40,000 characters saying how to continue', async () => {
    const ctx = context({ 'a.js': 'one\ntwo\nthree\n' });
    expect((await call('view_files', { files: ['a.js'] }, ctx)).json.content).toBe('==> a.js (lines 1-3 of 3) <==\n1| one\n2| two\n3| three');
    expect((await call('view_files', { files: ['a.js'], start_line: 2, max_lines: 1 }, ctx)).json.content).toBe('==> a.js (lines 2-2 of 3) <==\n2| two');
    const missing = await call('view_files', { files: ['a.js', 'nope.js'] }, ctx);
    expect(missing.json).toMatchObject({ status: 'error', message: expect.stringMatching(/Not found: nope\.js.*a\.js/) });

    const long = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const big = await call('view_files', { files: ['big.txt', 'a.js'] }, context({ 'big.txt': long, 'a.js': 'x' }));
    expect((big.json.content as string).length).toBeLessThanOrEqual(40_000);
    const match = /shown up to line (\d+) of 5000\. To continue, call view_files with files \["big\.txt"\] and start_line (\d+); not shown at all: a\.js/.exec(big.json.message);
    expect(match).not.toBeNull();
    expect(Number(match?.[2])).toBe(Number(match?.[1]) + 1);
  });

  it('search_files returns path:line matches, rejects a bad pattern, and caps with a count', async () => {
    const ctx = context({ 'a.js': 'export function add() {}\nconst x = 1;\n', 'b/c.js': 'export function sub() {}\n' });
    expect((await call('search_files', { pattern: 'export function \\w+' }, ctx)).json.matches).toBe('a.js:1: export function add() {}\nb/c.js:1: export function sub() {}');
    expect((await call('search_files', { pattern: 'function', path: 'b' }, ctx)).json.matches).toBe('b/c.js:1: export function sub() {}');
    expect((await call('search_files', { pattern: '(' }, ctx)).json.message).toMatch(/Invalid regular expression/);
    const many: Record<string, string> = { 'big.js': Array.from({ length: 2000 }, () => 'needle here').join('\n') };
    const big = await call('search_files', { pattern: 'needle' }, context(many));
    expect((big.json.matches as string).length).toBeLessThanOrEqual(8000);
    expect(big.json.message).toMatch(/2000 matching lines; \d+ are omitted/);
  });
});

describe('delete_files, run_tests, run_file, sub_task_step_complete', () => {
  it('deletes known files and reports unknown ones', async () => {
    const ctx = context({ 'a.js': 'x', 'b.js': 'y' });
    const result = await call('delete_files', { files: ['a.js', 'zzz.js'] }, ctx);
    expect(result.json).toMatchObject({ status: 'ok', message: 'Deleted a.js. Not found (nothing to delete): zzz.js.' });
    expect(ctx.workspace.paths()).toEqual(['b.js']);
    expect((await call('delete_files', { files: ['nope'] }, ctx)).json.status).toBe('error');
  });

  it('run_tests checks the named files exist; run_file reports exit code and output', async () => {
    const ctx = context({ 'a.test.js': 'x', 'main.js': 'y' });
    expect((await call('run_tests', { files_to_test: ['missing.test.js'] }, ctx)).json.status).toBe('error');
    expect((await call('run_tests', {}, ctx)).json).toMatchObject({ status: 'ok', checks: { tests: { passed: 2 } } });
    expect((await call('run_file', { file_name_to_run: 'main.js' }, ctx)).json).toMatchObject({ status: 'ok', output: 'hello\n', exit_code: 0 });
  });

  it('run_file of a server left running for the preview is a success that names its port, not an unknown exit', async () => {
    const checks = fakeChecks();
    checks.runFile = async () => ({ output: 'listening on 3000\n', exitCode: null, timedOut: false, server: { port: 3000, url: 'http://localhost:3000' } });
    const result = await call('run_file', { file_name_to_run: 'main.js' }, context({ 'main.js': 'y' }, checks));
    expect(result.json).toMatchObject({ status: 'ok', exit_code: null, server_url: 'http://localhost:3000', output: 'listening on 3000\n' });
    expect(result.json.message).toMatch(/server on port 3000; it keeps running/);
  });

  it('the gate answers ok only when the step is complete, with the checks object', async () => {
    const pass = await call('sub_task_step_complete', {}, context());
    expect(pass.json.status).toBe('ok');
    expect(pass.gate?.passed).toBe(true);
    const fail = await call('sub_task_step_complete', {}, context({}, fakeChecks(failing)));
    expect(fail.json).toMatchObject({ status: 'error', checks: { tests: { failed: 1 } } });
  });
});
