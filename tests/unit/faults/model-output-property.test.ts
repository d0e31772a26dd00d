/**
 * Issue 12, "Model output", fuzzed with fast-check through a whole turn of the control unit (runL2MAC,
 * scripted LLM, memory store): for any tool calls a reply can hold — any names, any argument strings,
 * any JSON, file objects with any paths and contents — the turn completes, every call gets exactly one
 * tool message with its id (in order, then one control message), and the store holds only valid paths.
 *
 * A fake sandbox answers the checks here (a real Node process per write would make a hundred runs take
 * minutes); the rows of model-output.test.ts use the Node sandbox.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFileContent, checkPath, folderPrefixes } from '../../../src/l2mac/paths.ts';
import { stepTools } from '../../../src/l2mac/tools/registry.ts';
import type { ScenarioToolCall } from '../../../src/llm/scenario.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { ADD_JS, call, makeScenario, requestAt, startRun, turn } from '../l2mac/harness.ts';
import { ADD_FILES, expectEveryCallAnswered, expectStoreValid, program, resultsOf } from './model-output-support.ts';

const TOOL_NAMES: readonly string[] = stepTools('codebase').map((t) => t.name);

/** Tests pass only once the finishing turn wrote the real add.js, so a fuzzed gate call never completes the step. */
const sandbox = () =>
  new FakeSandbox((files) => (files.get('add.js') === ADD_JS ? { passed: 1 } : { passed: 0, failed: 1, failures: [{ name: 'adds', file: 'add.test.js', message: 'no add' }] }));

const segment = fc.oneof(
  fc.constantFrom('src', 'a', 'lib', 'test', '..', '.', '', 'C:', 'con', '__proto__', 'node_modules', 'a b', 'é', '日本'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const path = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('../x', '/etc/passwd', 'C:\\x', 'a//b', '', 'a\u0000b', 'x/', './a.js', 'a\ud800', 'n'.repeat(300), 'src/a.js', 'src', 'src/a.js/b.js'),
);
const contents = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'x\ud800', 'export const a = 1;\n'));
const fileObject = fc.oneof(
  fc.record({ file_path: path, file_contents: contents }),
  fc.record({ file_path: fc.jsonValue(), file_contents: fc.jsonValue() }, { requiredKeys: [] }),
);

/** Arguments as the model sends them: a string that may or may not be JSON. */
const argumentString = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.array(fileObject, { maxLength: 4 }).map((list) => JSON.stringify({ list_of_file_objects: list })),
  fc.record({ files: fc.array(path, { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
  fc.record({ file_path: path, old_text: fc.string(), new_text: contents }).map((v) => JSON.stringify(v)),
  fc.record({ file_name_to_run: path, arguments: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: ['file_name_to_run'] }).map((v) => JSON.stringify(v)),
  fc.record({ pattern: fc.string(), path: fc.option(path, { nil: undefined }) }, { requiredKeys: ['pattern'] }).map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
);
const anyCall = fc.record({
  name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOOL_NAMES) }, { weight: 1, arbitrary: fc.string() }),
  arguments: argumentString,
});
const writeCall = fc.record({
  name: fc.constant('write_files'),
  arguments: fc.oneof(
    fc.array(fileObject, { minLength: 1, maxLength: 4 }),
    // Few names, so that a file and a folder of the same path ("a" and "a/b") come up within a reply.
    fc.array(fc.record({ file_path: fc.constantFrom('a', 'a/b', 'a/b/c', 'b', 'b/a'), file_contents: fc.constant('x') }), { minLength: 1, maxLength: 3 }),
  ).map((list) => JSON.stringify({ list_of_file_objects: list })),
});
const toolCall: fc.Arbitrary<ScenarioToolCall> = fc.oneof(anyCall, writeCall);

const CAP = 5;

/** Every valid path a call's arguments name: what a fuzzed reply may have written or edited. */
function namedPaths(calls: readonly ScenarioToolCall[]): string[] {
  const paths = new Set<string>();
  for (const c of calls) {
    let args: unknown;
    try {
      args = JSON.parse(String(c.arguments));
    } catch {
      continue;
    }
    if (typeof args !== 'object' || args === null) continue;
    const record = args as { file_path?: unknown; list_of_file_objects?: unknown };
    const objects = Array.isArray(record.list_of_file_objects) ? (record.list_of_file_objects as unknown[]) : [];
    for (const candidate of [record.file_path, ...objects.map((o) => (o as { file_path?: unknown } | null)?.file_path)]) {
      if (typeof candidate === 'string' && checkPath(candidate).ok) paths.add(candidate);
    }
  }
  return [...paths];
}

/**
 * Step 1 from turn 1: delete whatever the fuzzed turn may have written (a .js file of random text would
 * fail the gate's syntax check, as it should), write add.js with its test and pass the gate.
 */
function finishAfter(written: string[]) {
  const cleanUp = written.length ? [call.raw('delete_files', { files: written })] : [];
  return [
    turn('step', 1, 1, { toolCalls: [...cleanUp, call.write(ADD_FILES), call.gate()] }),
    turn('summary', 1, 2, { content: 'Done.' }),
    turn('report', 0, 0, { content: 'ok' }),
  ];
}

describe('any model output, through a whole turn (property)', () => {
  it('the turn completes, one tool message per call with matching ids, and the store holds only valid paths', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(toolCall, { maxLength: 8 }), fc.option(fc.string(), { nil: undefined }), async (calls, content) => {
        const scenario = makeScenario([turn('step', 1, 0, { content: content ?? null, toolCalls: calls }), ...finishAfter(namedPaths(calls))]);
        const { handle, store, llm } = await startRun(scenario, { sandbox: sandbox(), settings: program({ toolCallsPerReply: CAP }) });
        const run = await handle.done;
        expect(run.status, run.statusReason).toBe('completed');
        const messages = requestAt(llm, 'summary', 1, 2).messages;
        expectEveryCallAnswered(messages);
        const stored = await store.listEvents(run.id);
        const results = resultsOf(stored, 1, 0);
        expect(results.map((r) => r.callId)).toEqual(calls.map((_, i) => `call_1_0_${i}`));
        results.slice(CAP).forEach((r) => expect(r.message).toMatch(/^Not run: a reply may make at most 5 tool calls/));
        results.forEach((r, i) => {
          if (!TOOL_NAMES.includes(calls[i]?.name ?? '') && i < CAP) expect(r).toMatchObject({ status: 'error', message: expect.stringMatching(/^Unknown tool /) });
        });
        // What the fuzzed reply left in the store, before the finishing turn cleans up: valid files only.
        const cleanUpAt = stored.findIndex((e) => e.type === 'tool-call' && e.turn === 1);
        const kept = new Set<string>();
        for (const e of stored.slice(0, cleanUpAt)) {
          if (e.type !== 'files-changed') continue;
          for (const c of e.changes) {
            if (c.change === 'deleted') kept.delete(c.path);
            else kept.add(c.path);
          }
        }
        const folders = folderPrefixes(kept);
        for (const p of kept) expect(checkPath(p).ok && !folders.has(p), `kept ${JSON.stringify(p)}`).toBe(true);
        await expectStoreValid(store, run.id);
      }),
      { numRuns: 120 },
    );
  });

  it('a written file is stored exactly as given when its path and content are valid, and never otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(path, contents, async (filePath, fileContents) => {
        const valid = checkPath(filePath).ok && checkFileContent(filePath, fileContents) === null;
        const first = turn('step', 1, 0, { toolCalls: [call.write({ [filePath]: fileContents })] });
        const scenario = makeScenario([first, ...finishAfter(valid ? [filePath] : [])]);
        const { handle, store, events } = await startRun(scenario, { sandbox: sandbox(), settings: program() });
        const run = await handle.done;
        expect(run.status, run.statusReason).toBe('completed');
        const [result] = resultsOf(events, 1, 0);
        expect(result?.status).toBe(valid ? 'ok' : 'error');
        // Its first version is the fuzzed write (a valid one is deleted again before add.js is written).
        const written = (await store.listVersions(run.id, filePath)).slice(0, 1).filter((v) => v.hash !== null);
        expect(written).toHaveLength(valid ? 1 : 0);
        if (valid) expect(await store.readBlob(written[0]?.hash ?? '')).toBe(fileContents);
        else expect(result?.message).toMatch(/^Nothing was written: file 1: /);
        await expectStoreValid(store, run.id);
      }),
      { numRuns: 150 },
    );
  });
});
