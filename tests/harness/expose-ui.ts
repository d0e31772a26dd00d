/**
 * UI components in the browser test page (`harness.ui`): the file tree mounted with N generated files, so
 * a spec can check the tree's DOM (all rows up to 200 files, a window of rows past that) and its keyboard;
 * the transcript panel mounted with N generated entries (virtualisation, Markdown, tool cards, checks).
 */
import { mount, unmount } from 'svelte';
import FileTree from '../../src/ui/components/FileTree.svelte';
import TranscriptPanel from '../../src/ui/components/TranscriptPanel.svelte';
import '../../src/ui/styles/app.css';
import type { FileEntry } from '../../src/store/types.ts';
import type { RunSession } from '../../src/ui/state/run-session.svelte.ts';
import type { TranscriptEntry } from '../../src/ui/model/transcript.ts';
import { TranscriptHostSession } from './ui-transcript-host.svelte.ts';

let mounted: ReturnType<typeof mount> | null = null;
const opened: string[] = [];

/** `count` files spread over nested folders, in the shape of a generated project. */
function generatedPaths(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `src/module-${Math.floor(i / 25)}/part-${i % 5}/file-${i}.js`);
}

function freshHost(css: string): HTMLElement {
  if (mounted) void unmount(mounted);
  mounted = null;
  document.getElementById('ui-host')?.remove();
  const host = document.createElement('div');
  host.id = 'ui-host';
  host.style.cssText = css;
  document.body.append(host);
  return host;
}

function mountTree(count: number): { paths: string[] } {
  const host = freshHost('height: 600px; width: 340px; display: flex; flex-direction: column;');
  const paths = generatedPaths(count);
  const files: FileEntry[] = paths.map((path, i) => ({ path, hash: String(i).padStart(64, '0'), version: 1, bytes: 10, lines: 1 }));
  opened.length = 0;
  mounted = mount(FileTree, {
    target: host,
    props: { files, changed: new Map([[paths[0]!, 'added' as const]]), selected: null, onOpen: (path: string) => opened.push(path) },
  });
  return { paths };
}

/**
 * Entry `i` of a generated transcript: a step divider every 50 entries, else in turn a model message in
 * Markdown (with an image and raw HTML that must not render), a tool call with its result, and a check.
 */
function transcriptEntry(i: number): TranscriptEntry {
  const step = Math.floor(i / 50) + 1;
  const base = { id: `e${i}`, at: 1_700_000_000_000 + i * 1000 };
  if (i % 50 === 0) return { ...base, kind: 'step', step, instruction: `Instruction of step ${step}.`, restart: 0 };
  switch (i % 3) {
    case 0:
      return {
        ...base,
        kind: 'message',
        requestKind: 'step',
        step,
        turn: i % 50,
        text: `Message **${i}** with \`code\` and a list:\n\n- one\n- two\n\n![pixel](https://example.invalid/p${i}.png) <b>raw ${i}</b>`,
        streaming: false,
        toolCalls: [],
        usage: { inputTokens: 1000 + i, outputTokens: 100, cachedInputTokens: 0 },
        costUsd: 0.001,
      };
    case 1:
      return {
        ...base,
        kind: 'message',
        requestKind: 'step',
        step,
        turn: i % 50,
        text: '',
        streaming: false,
        toolCalls: [
          {
            id: `call-${i}`,
            name: 'write_files',
            arguments: JSON.stringify({ list_of_file_objects: [{ file_path: `src/file-${i}.js`, file_contents: `export const n = ${i};\n` }] }),
            status: i % 7 === 0 ? 'error' : 'ok',
            result: JSON.stringify({ status: i % 7 === 0 ? 'error' : 'ok', message: i % 7 === 0 ? `Refused file-${i}` : `Wrote src/file-${i}.js` }),
          },
        ],
        usage: null,
        costUsd: null,
      };
    default:
      return {
        ...base,
        kind: 'check',
        step,
        trigger: 'write',
        result: { syntaxErrors: [], passed: i % 11, failed: i % 2, skipped: 0, todo: 0, failures: [], timedOut: [], noTests: false, ok: i % 2 === 0 },
      };
  }
}

let transcriptSession: TranscriptHostSession | null = null;

/** Mounts the transcript panel (as the run view does) with `count` generated entries. */
function mountTranscript(count: number): void {
  const host = freshHost('height: 700px; width: 900px; display: flex; flex-direction: column;');
  transcriptSession = new TranscriptHostSession();
  transcriptSession.view = { transcript: Array.from({ length: count }, (_, i) => transcriptEntry(i)), status: 'running' };
  opened.length = 0;
  mounted = mount(TranscriptPanel, {
    target: host,
    props: { session: transcriptSession as unknown as RunSession, onOpenFile: (path: string) => opened.push(path) },
  });
}

/** Appends `count` more entries, the last one a message still streaming `text`. */
function appendTranscript(count: number, text: string): void {
  if (!transcriptSession) throw new Error('mountTranscript first');
  const start = transcriptSession.view.transcript.length;
  const added = Array.from({ length: count }, (_, i) => transcriptEntry(start + i));
  added.push({ id: `live-${start}`, at: Date.now(), kind: 'message', requestKind: 'step', step: 1, turn: 0, text, streaming: true, toolCalls: [], usage: null, costUsd: null });
  transcriptSession.view = { ...transcriptSession.view, transcript: [...transcriptSession.view.transcript, ...added] };
}

window.harness.ui = { mountTree, mountTranscript, appendTranscript, opened: () => [...opened] };
