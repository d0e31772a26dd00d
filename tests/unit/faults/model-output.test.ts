/**
 * Issue 12, "Model output": each row driven end to end through the control unit (runL2MAC) with the
 * scripted LLM, the memory store and the Node sandbox. For each fault: the run does not crash and ends
 * as it should, every bad call gets an error result with a clear message, one tool message per call with
 * matching ids, and nothing bad reaches the store (files, versions, durable events).
 *
 * The rules themselves have unit tests elsewhere (tests/unit/l2mac/tools.test.ts dispatch and write_files,
 * paths.test.ts, turn.test.ts, gate.test.ts); the fuzzed rows are in model-output-property.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ControlMessageEvent, GuardEvent, StatusEvent } from '../../../src/l2mac/events.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import type { ScenarioToolCall } from '../../../src/llm/scenario.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, loadScenario, makeScenario, requestAt, startRun, turn } from '../l2mac/harness.ts';
import { ADD_FILES, expectEveryCallAnswered, expectStoredFiles, finishFrom, program, resultsOf } from './model-output-support.ts';

type Reply = Parameters<typeof turn>[3];

/** Step 1 gets `bad` replies at turns 0.., then writes add.js with its test and passes the gate. */
async function runRows(bad: Reply[], limits = {}) {
  const scenario = makeScenario([...bad.map((reply, i) => turn('step', 1, i, reply)), ...finishFrom(bad.length)]);
  const started = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program(limits) });
  const run = await started.handle.done;
  const stored = await started.store.listEvents(run.id);
  const summary = requestAt(started.llm, 'summary', 1, bad.length + 1);
  expectEveryCallAnswered(summary.messages);
  return { ...started, run, stored, summary };
}

const write = (path: string, contents = 'x') => call.write({ [path]: contents });

describe('model output faults, end to end through the control unit', () => {
  it('invalid JSON arguments: an error result per call saying so, nothing written, the run completes', async () => {
    const broken = [
      '{"list_of_file_objects": [{"file_path": "a.js", "file_contents": "x"',
      "{'list_of_file_objects': []}",
      '{"list_of_file_objects": [],}',
      'write a.js please',
    ];
    const { run, store, stored, events } = await runRows([{ toolCalls: broken.map((args) => call.raw('write_files', args)) }]);
    expect(run.status).toBe('completed');
    const results = resultsOf(stored, 1, 0);
    expect(results).toHaveLength(4);
    for (const r of results) {
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/^The arguments of write_files are not valid JSON \(.+\)\. Nothing was done\./);
    }
    expect(resultsOf(events, 1, 0)).toEqual(results);
    // The transcript keeps what the model sent, as text.
    expect(stored.filter((e) => e.type === 'tool-call' && e.turn === 0).map((e) => e.type === 'tool-call' && e.arguments)).toEqual(broken);
    await expectStoredFiles(store, run.id, ADD_FILES);
  });

  it('an unknown tool (or a planning tool inside a step): an error result naming the tools there are', async () => {
    const { run, store, stored } = await runRows([
      { toolCalls: [call.raw('format_disk', { really: true }), call.plan(['x']), call.raw('', {}), write('kept.txt')] },
    ]);
    expect(run.status).toBe('completed');
    const results = resultsOf(stored, 1, 0);
    expect(results.map((r) => r.status)).toEqual(['error', 'error', 'error', 'ok']);
    expect(results[0]?.message).toMatch(/^Unknown tool "format_disk"\. The tools you can call here are: .*write_files.*sub_task_step_complete/);
    expect(results[1]?.message).toMatch(/^Unknown tool "provide_detailed_sub_task_steps_for_sub_agents"/);
    expect(results[2]?.message).toMatch(/^Unknown tool ""/);
    await expectStoredFiles(store, run.id, { ...ADD_FILES, 'kept.txt': 'x' });
  });

  it('a missing required field: an error result naming the field, nothing done', async () => {
    const { run, store, stored } = await runRows([
      {
        toolCalls: [
          call.raw('write_files', {}),
          call.raw('write_files', { list_of_file_objects: [{ file_path: 'a.js' }] }),
          call.raw('edit_file', { file_path: 'a.js', old_text: 'x' }),
          call.raw('view_files', {}),
          call.raw('run_file', { arguments: ['x'] }),
          call.raw('delete_files', { files: 'a.js' }),
        ],
      },
    ]);
    expect(run.status).toBe('completed');
    const messages = resultsOf(stored, 1, 0).map((r) => `${r.status}: ${r.message}`);
    expect(messages).toEqual([
      'error: Invalid arguments for write_files: arguments is missing the required field "list_of_file_objects". Nothing was done.',
      'error: Invalid arguments for write_files: arguments.list_of_file_objects[0] is missing the required field "file_contents". Nothing was done.',
      'error: Invalid arguments for edit_file: arguments is missing the required field "new_text". Nothing was done.',
      'error: Invalid arguments for view_files: arguments is missing the required field "files". Nothing was done.',
      'error: Invalid arguments for run_file: arguments is missing the required field "file_name_to_run". Nothing was done.',
      'error: Invalid arguments for delete_files: arguments.files must be an array, not string. Nothing was done.',
    ]);
    await expectStoredFiles(store, run.id, ADD_FILES);
  });

  it('50 tool calls in one reply: the first 20 run, the other 30 (a gate among them) get "not run" results; a guard is logged', async () => {
    const calls: ScenarioToolCall[] = Array.from({ length: 49 }, (_, i) => write(`f${i}.txt`, `${i}`));
    calls.push(call.gate());
    const { run, store, stored, summary } = await runRows([{ toolCalls: calls }]);
    expect(run.status).toBe('completed');
    const results = resultsOf(stored, 1, 0);
    expect(results.map((r) => r.callId)).toEqual(Array.from({ length: 50 }, (_, i) => `call_1_0_${i}`));
    expect(results.slice(0, 20).every((r) => r.status === 'ok')).toBe(true);
    for (const r of results.slice(20)) {
      expect(r).toMatchObject({ status: 'error', message: 'Not run: a reply may make at most 20 tool calls. Send the rest in your next reply.' });
    }
    // The gate past the cap was not judged: the turn ends with "is the step done?", not a summary request.
    const controls = stored.filter((e): e is ControlMessageEvent => e.type === 'control-message');
    expect(controls.map((e) => e.purpose)).toEqual(['continue', 'summary-request']);
    expect(stored.filter((e): e is GuardEvent => e.type === 'guard')).toEqual([
      expect.objectContaining({ guard: 'tool-calls-per-reply', step: 1, detail: 'The reply made 50 tool calls; only the first 20 ran, the rest got error results.' }),
    ]);
    expect(summary.messages.filter((m) => m.role === 'tool')).toHaveLength(52);
    const written = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, `${i}`]));
    await expectStoredFiles(store, run.id, { ...ADD_FILES, ...written });
  });

  it('a 5 MB file: refused with its size, all or nothing; the oversized reply sends the step through the overflow path, nothing lost', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const scenario = makeScenario([
      turn('step', 1, 0, {
        toolCalls: [
          write('a.txt', 'ok'),
          call.raw('edit_file', { file_path: 'a.txt', old_text: 'ok', new_text: big }),
          call.write({ 'small.js': 'export const a = 1;\n', 'big.txt': big }),
        ],
      }),
      // The 5 MB reply cannot be sent back to the model: the step restarts from a progress summary.
      turn('progress', 1, 0, { content: 'a.txt is written; big.txt was refused as too large.' }),
      { ...turn('step', 1, 0, { toolCalls: [call.write(ADD_FILES), call.gate()] }), key: { kind: 'step', step: 1, turn: 0, restart: 1 } },
      { ...turn('summary', 1, 1, { content: 'Done.' }), key: { kind: 'summary', step: 1, turn: 1, restart: 1 } },
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const { handle, store, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program() });
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    const stored = await store.listEvents(run.id);
    const [, edit, writeBig] = resultsOf(stored, 1, 0);
    expect(edit).toMatchObject({ status: 'error', message: 'Nothing was changed: a.txt would be 5242880 bytes; a file is at most 1048576 bytes (1 MB). Split it into smaller files.' });
    expect(writeBig).toMatchObject({
      status: 'error',
      message: 'Nothing was written: file 2: big.txt would be 5242880 bytes; a file is at most 1048576 bytes (1 MB). Split it into smaller files.',
    });
    expect(stored.filter((e) => e.type === 'restart')).toEqual([expect.objectContaining({ step: 1, restart: 1, droppedTurns: 1 })]);
    expect(events.some((e) => e.type === 'guard')).toBe(false);
    await expectStoredFiles(store, run.id, { ...ADD_FILES, 'a.txt': 'ok' });
  });

  it('bad paths (../x, /etc/passwd, C:\\x, a//b, empty, NUL, a 256-byte name, a file inside a file, a lone surrogate) are refused by every tool', async () => {
    const bad: [string, RegExp][] = [
      ['../x', /contains "\.\."; paths must stay inside the project/],
      ['/etc/passwd', /is absolute; give a path relative to the project root/],
      ['C:\\x', /contains a backslash/],
      ['C:/x', /is absolute/],
      ['a//b', /has an empty segment/],
      ['', /the path is empty/],
      ['a\u0000b.js', /contains a NUL or control character/],
      ['n'.repeat(256), /has a file or folder name longer than 255 bytes/],
      ['ok.txt/inner.js', /"ok\.txt\/inner\.js" would be inside "ok\.txt", which is a file/],
      ['dir', /"dir" is a folder \(other files are inside it\)/],
      ['a\ud800.js', /contains a lone surrogate/],
    ];
    const setUp = { toolCalls: [call.write({ 'ok.txt': 'fine', 'dir/in.txt': 'in' })] };
    const writes = { toolCalls: bad.map(([path]) => call.write({ 'good.txt': 'never written', [path]: 'x' })) };
    const others = {
      toolCalls: bad.flatMap(([path]) => [
        call.raw('edit_file', { file_path: path, old_text: 'a', new_text: 'b' }),
        call.raw('view_files', { files: [path] }),
        call.raw('delete_files', { files: [path] }),
        call.raw('run_file', { file_name_to_run: path }),
        call.raw('run_tests', { files_to_test: [path] }),
      ]),
    };
    const { run, store, stored } = await runRows([setUp, writes, others], { toolCallsPerReply: 100 });
    expect(run.status).toBe('completed');
    resultsOf(stored, 1, 1).forEach((result, i) => {
      const [path, reason] = bad[i] as [string, RegExp];
      expect(result.status, path).toBe('error');
      expect(result.message, path).toMatch(/^Nothing was written: file 2: /);
      expect(result.message, path).toMatch(reason);
    });
    const results = resultsOf(stored, 1, 2);
    expect(results).toHaveLength(bad.length * 5);
    results.forEach((result, i) => {
      const [path, reason] = bad[Math.floor(i / 5)] as [string, RegExp];
      expect(result.status, `${result.name} ${JSON.stringify(path)}`).toBe('error');
      // Paths the name rules refuse are "invalid"; a clash with a folder or file is only about writing.
      if (!/inside|folder/.test(reason.source)) expect(result.message, `${result.name} ${JSON.stringify(path)}`).toMatch(reason);
      expect(result.message).not.toContain('root:');
    });
    await expectStoredFiles(store, run.id, { ...ADD_FILES, 'ok.txt': 'fine', 'dir/in.txt': 'in' });
  });

  it('a model that writes after a passing gate in the same reply: the gate judges the written files (DESIGN.md §4)', async () => {
    const broken = ADD_JS.replace('a + b', 'a - b');
    const { run, store, stored } = await runRows([
      { toolCalls: [call.write(ADD_FILES)] },
      // The tests pass before this reply; its write breaks them, so the gate called first must fail.
      { toolCalls: [call.gate(), call.write({ 'add.js': broken })] },
    ]);
    expect(run.status).toBe('completed');
    const gate = resultsOf(stored, 1, 1)[0];
    expect(gate).toMatchObject({ name: 'sub_task_step_complete', status: 'error', message: expect.stringContaining('1 test failed: "adds"') });
    const gateCheck = stored.find((e) => e.type === 'check' && e.turn === 1 && e.trigger === 'gate');
    expect(gateCheck?.type === 'check' && gateCheck.result).toMatchObject({ ok: false, passed: 0, failed: 1 });
    const controls = stored.filter((e): e is ControlMessageEvent => e.type === 'control-message').map((e) => e.purpose);
    expect(controls).toEqual(['continue', 'fix', 'summary-request']);
    // Nothing written is lost: the broken version is kept as version 2, the fix of turn 2 is version 3.
    await expectStoredFiles(store, run.id, ADD_FILES, { 'add.js': 3 });
    const versions = await store.listVersions(run.id, 'add.js');
    expect(await store.readBlob(versions[1]?.hash ?? '')).toBe(broken);
  });
});

describe('the scenario of the end-to-end row (tests/e2e/faults-model.spec.ts)', () => {
  it('faults-bad-tools: invalid JSON, an unknown tool and ../x get error results; the run completes with only its valid files', async () => {
    const scenario = loadScenario('faults-bad-tools');
    const { handle, store } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const results = resultsOf(await store.listEvents(run.id), 1, 0);
    expect(results.map((r) => `${r.name} ${r.status}`)).toEqual(['write_files error', 'format_disk error', 'write_files error']);
    expect(results[2]?.message).toBe('Nothing was written: file 1: the path "../x" contains ".."; paths must stay inside the project.');
    await expectStoredFiles(store, run.id, scenario.expectedFiles ?? {});
  });
});

describe('a model that never finishes a step', () => {
  it('never calls sub_task_step_complete: the turn cap pauses the run with the reason, files kept; Resume gives it more turns', async () => {
    const wandering = Array.from({ length: 6 }, (_, i) => turn('step', 1, i, { toolCalls: [write(`notes/${i}.md`, `idea ${i}`)] }));
    const scenario = makeScenario([...wandering, ...finishFrom(6)]);
    const { handle, store, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program({ turnsPerStep: 3 }) });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    expect(paused.statusReason).toBe('Step 1 used 3 turns without completing (limit 3). Resume to give it more turns, skip the step, or edit it and run it again.');
    const stored = await store.listEvents(paused.id);
    expect(stored.filter((e): e is GuardEvent => e.type === 'guard').map((e) => e.guard)).toEqual(['turns-per-step']);
    expect(stored.filter((e): e is StatusEvent => e.type === 'status').at(-1)).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    expect(llm.requests.filter((r) => r.meta.kind === 'step')).toHaveLength(3);
    await expectStoredFiles(store, paused.id, { 'notes/0.md': 'idea 0', 'notes/1.md': 'idea 1', 'notes/2.md': 'idea 2' });

    const resumed = await resumeRun(paused.id, { store, llm, sandboxFactory: createNodeSandbox });
    const second = await resumed.done;
    // Three more turns (3, 4, 5) and the cap trips again; a third session finishes the step.
    expect(second).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    const third = await (await resumeRun(paused.id, { store, llm, sandboxFactory: createNodeSandbox })).done;
    expect(third.status).toBe('completed');
    const notes = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`notes/${i}.md`, `idea ${i}`]));
    await expectStoredFiles(store, paused.id, { ...ADD_FILES, ...notes });
  });

  it('repeats itself: after 3 identical replies the request varies (temperature, then also a nudge); the turn cap stops it', async () => {
    const same = { content: 'I will now run the tests.', toolCalls: [write('same.txt', 'same'), call.raw('run_tests', {})] };
    const scenario = makeScenario(Array.from({ length: 8 }, (_, i) => turn('step', 1, i, same)));
    const { handle, store, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program({ turnsPerStep: 8 }) });
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    const steps = llm.requests.filter((r) => r.meta.kind === 'step');
    expect(steps.map((r) => r.temperature)).toEqual([undefined, undefined, undefined, 0.4, 0.8, 1, 1, 1]);
    const nudged = steps.map((r) => /same reply several times/.test(r.messages.at(-1)?.content ?? ''));
    expect(nudged).toEqual([false, false, false, false, true, true, true, true]);
    const stored = await store.listEvents(run.id);
    const guards = stored.filter((e): e is GuardEvent => e.type === 'guard');
    expect(guards.map((e) => e.guard)).toEqual([...Array(6).fill('repeated-replies'), 'turns-per-step']);
    expect(guards[0]?.detail).toBe('The model sent the same reply 3 times in a row; varying the request by raising the temperature to 0.4.');
    expect(guards[1]?.detail).toBe('The model sent the same reply 4 times in a row; varying the request by raising the temperature to 0.8 and adding a nudge to the control message.');
    expectEveryCallAnswered(steps.at(-1)?.messages ?? []);
    // The same write eight times is one version: a rewrite with identical content is no change.
    await expectStoredFiles(store, run.id, { 'same.txt': 'same' });
  });

  it('repeats a failing gate call: a model without temperature gets the nudge in the "fix it" message too', async () => {
    const broken = ADD_JS.replace('a + b', 'a - b');
    const turns = [turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': broken, 'add.test.js': ADD_TEST_JS })] })];
    for (let i = 1; i <= 4; i++) turns.push(turn('step', 1, i, { toolCalls: [call.gate()] }));
    const scenario = makeScenario([...turns, ...finishFrom(5)]);
    const llm = new ScriptedLlm(scenario, { model: { supportsTemperature: false } });
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program() });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const fixes = (await store.listEvents(run.id)).filter((e): e is ControlMessageEvent => e.type === 'control-message' && e.purpose === 'fix');
    expect(fixes.map((e) => e.content.includes('You have sent the same reply several times in a row'))).toEqual([false, false, true, true]);
    expect(fixes[2]?.content).toMatch(/^Step 1: sub_task_step_complete did not pass\./);
    expect(llm.requests.every((r) => r.temperature === undefined)).toBe(true);
    await expectStoredFiles(store, run.id, ADD_FILES, { 'add.js': 2 });
  });
});
