/**
 * Figure 4: store throughput and `commitTurn` time, for any `FileStore` (IndexedDB in Chromium, the memory
 * store in Node for comparison). Files are ~2 KB generated modules.
 */
import { initialCheckpoint } from '../../src/l2mac/checkpoint.ts';
import type { DurableEvent } from '../../src/l2mac/events.ts';
import type { FileStore } from '../../src/store/types.ts';
import { benchSettings } from './scripted-run.ts';
import { defaultClock, type Clock } from './instruments.ts';
import { moduleSource, projectPath } from './project.ts';

function statusEvent(runId: string, seq: number): DurableEvent {
  return { type: 'status', status: 'running', runId, seq, at: seq };
}

/** Events like a write turn's: the reply, the call and its result, the check, the control message. */
function turnEvents(runId: string, firstSeq: number, step: number, turn: number, path: string, content: string): DurableEvent[] {
  const base = { runId, at: firstSeq, step, turn };
  const args = JSON.stringify({ list_of_file_objects: [{ file_path: path, file_contents: content }] });
  const callId = `call_${step}_${turn}_0`;
  const summary = { syntaxErrors: [], passed: 3, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], noTests: false, ok: true };
  return [
    {
      ...base,
      seq: firstSeq,
      type: 'llm-reply',
      kind: 'step',
      restart: 0,
      message: { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: 'write_files', arguments: args } }] },
      usage: { inputTokens: 4000, cachedInputTokens: 3500, outputTokens: 600 },
      costUsd: 0,
      finishReason: 'tool_calls',
    },
    { ...base, seq: firstSeq + 1, type: 'tool-call', callId, name: 'write_files', arguments: args },
    { ...base, seq: firstSeq + 2, type: 'check', trigger: 'write', result: summary },
    { ...base, seq: firstSeq + 3, type: 'tool-result', callId, name: 'write_files', status: 'ok', content: `{"status":"ok","message":"Wrote ${path}."}` },
    { ...base, seq: firstSeq + 4, type: 'control-message', purpose: 'continue', content: `Is step ${step} complete?` },
    { ...base, seq: firstSeq + 5, type: 'files-changed', changes: [{ path, change: 'modified', version: turn + 2 }] },
  ] as DurableEvent[];
}

export interface StoreBenchResult {
  files: number;
  bytes: number;
  /** One commit holding every file. */
  bulkWriteMs: number;
  readAllMs: number;
  /** `readFiles` of 10 paths, repeated. */
  readTenMs: number[];
  /** Commits of a typical write turn (one ~2 KB file and six events) into the store of `files` files. */
  turnCommitMs: number[];
}

export async function measureStore(store: FileStore, files: number, turnCommits: number, clock: Clock = defaultClock): Promise<StoreBenchResult> {
  const run = await store.createRun({ task: 'store benchmark', domain: 'codebase', settings: benchSettings() });
  const changes = Array.from({ length: files }, (_, i) => ({ path: projectPath(i), content: moduleSource(i, 60) }));
  const bytes = changes.reduce((n, c) => n + c.content.length, 0);
  let seq = 1;
  let started = clock();
  await store.commitTurn(run.id, { step: 1, turn: 0, changes, events: [statusEvent(run.id, seq++)], checkpoint: initialCheckpoint() });
  const bulkWriteMs = clock() - started;

  started = clock();
  const all = await store.readAllFiles(run.id);
  const readAllMs = clock() - started;
  if (Object.keys(all).length !== files) throw new Error(`Read ${Object.keys(all).length} files back, wrote ${files}.`);

  const readTenMs: number[] = [];
  for (let r = 0; r < 20; r++) {
    const paths = Array.from({ length: 10 }, (_, k) => projectPath((r * 37 + k * 101) % files));
    started = clock();
    await store.readFiles(run.id, paths);
    readTenMs.push(clock() - started);
  }

  const turnCommitMs: number[] = [];
  for (let t = 0; t < turnCommits; t++) {
    const index = (t * 13) % files;
    const path = projectPath(index);
    const content = moduleSource(index, 60, t + 1);
    const events = turnEvents(run.id, seq, 1, t + 1, path, content);
    seq += events.length;
    const checkpoint = { ...initialCheckpoint(), phase: 'executing' as const, stepTurns: t + 1 };
    started = clock();
    await store.commitTurn(run.id, { step: 1, turn: t + 1, changes: [{ path, content }], events, checkpoint, run: { activeMs: t } });
    turnCommitMs.push(clock() - started);
  }
  return { files, bytes, bulkWriteMs, readAllMs, readTenMs, turnCommitMs };
}
