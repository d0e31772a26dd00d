/**
 * Shared checks of the model-output fault tests: what the model was told (one tool message per call, ids
 * matched, then one control message) and what the store kept (only valid paths, versions only for what
 * was really written, the error results among the durable events).
 */
import { expect } from 'vitest';
import type { DurableEvent, RunEvent, ToolResultEvent } from '../../../src/l2mac/events.ts';
import { checkPath, folderPrefixes, MAX_FILE_BYTES, byteLength } from '../../../src/l2mac/paths.ts';
import type { ChatMessage } from '../../../src/llm/types.ts';
import type { FileStore } from '../../../src/store/types.ts';
import { ADD_JS, ADD_TEST_JS, call, settings, turn } from '../l2mac/harness.ts';

export const program = (limits = {}) => settings({ promptProgram: ['Write add.js with tests.'], limits });

type Turn = ReturnType<typeof turn>;

/** Step 1 from turn `n`: write add.js with a passing test and call the gate; then summary and report. */
export function finishFrom(n: number): Turn[] {
  return [
    turn('step', 1, n, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
    turn('summary', 1, n + 1, { content: 'Step 1 wrote add.js.' }),
    turn('report', 0, 0, { content: '- add: done' }),
  ];
}

export interface ParsedResult {
  callId: string;
  name: string;
  status: 'ok' | 'error';
  message: string;
  body: Record<string, unknown>;
}

/** The tool results of one turn, in call order, with their JSON parsed. */
export function resultsOf(events: readonly (RunEvent | DurableEvent)[], step: number, turnNo: number): ParsedResult[] {
  return events
    .filter((e): e is ToolResultEvent => e.type === 'tool-result' && e.step === step && e.turn === turnNo)
    .map((e) => {
      const body = JSON.parse(e.content) as Record<string, unknown>;
      expect(body.status, `the result's JSON status of ${e.callId}`).toBe(e.status);
      return { callId: e.callId, name: e.name, status: e.status, message: String(body.message), body };
    });
}

/**
 * DESIGN.md §4: every assistant message with tool calls is followed by exactly one tool message per call,
 * ids in call order, and then exactly one control (user) message.
 */
export function expectEveryCallAnswered(messages: readonly ChatMessage[]): void {
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message?.role !== 'assistant' || !message.tool_calls?.length) continue;
    const ids = message.tool_calls.map((c) => c.id);
    expect(new Set(ids).size, 'tool call ids are unique').toBe(ids.length);
    const answers = messages.slice(i + 1, i + 1 + ids.length);
    expect(answers.map((m) => (m.role === 'tool' ? m.tool_call_id : `<${m.role}>`))).toEqual(ids);
    for (const answer of answers) expect(['ok', 'error']).toContain(JSON.parse(answer.content ?? '').status);
    const after = messages[i + 1 + ids.length];
    if (after) expect(after.role, 'one control message after the tool messages').toBe('user');
  }
}

/** Whatever a run did, its store holds only files the tool contract allows. */
export async function expectStoreValid(store: FileStore, runId: string): Promise<void> {
  const files = await store.readAllFiles(runId);
  const paths = Object.keys(files);
  const folders = folderPrefixes(paths);
  for (const [path, content] of Object.entries(files)) {
    expect(checkPath(path), `stored path ${JSON.stringify(path)}`).toEqual({ ok: true, path });
    expect(folders.has(path), `${JSON.stringify(path)} is both a file and a folder`).toBe(false);
    expect(byteLength(content)).toBeLessThanOrEqual(MAX_FILE_BYTES);
  }
  for (const version of await store.listVersions(runId)) {
    expect(checkPath(version.path).ok, `versioned path ${JSON.stringify(version.path)}`).toBe(true);
  }
}

/** The store's files are exactly `expected`, and each path has `versions[path] ?? 1` versions. */
export async function expectStoredFiles(store: FileStore, runId: string, expected: Record<string, string>, versions: Record<string, number> = {}): Promise<void> {
  expect(await store.readAllFiles(runId)).toEqual(expected);
  const counts: Record<string, number> = {};
  for (const v of await store.listVersions(runId)) counts[v.path] = (counts[v.path] ?? 0) + 1;
  expect(counts).toEqual(Object.fromEntries(Object.keys(expected).map((p) => [p, versions[p] ?? 1])));
  await expectStoreValid(store, runId);
}

export const ADD_FILES = { 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS };
