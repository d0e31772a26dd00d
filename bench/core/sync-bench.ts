/**
 * Figure 6: what reaches the sandbox when one file of a 500-file project changes. Measured through the
 * control unit with a counting wrapper: the run starts from the project, its first turn rewrites one module
 * (the sandbox's first sync carries every file), the second turn rewrites another (that sync should carry
 * one file), then the gate (nothing changed, so no sync).
 */
import type { Sandbox } from '../../src/sandbox/types.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { FileStore } from '../../src/store/types.ts';
import { asRecord, byteTotal, moduleSource, projectPath, selfContainedTest, type ProjectFile } from './project.ts';
import { CountingSandbox, type SyncRecord } from './sandboxes.ts';
import { call, driveScripted, scenarioOf, turnAt } from './scripted-run.ts';

/** `files` modules and one small test file (so a real sandbox runs quickly). */
export function syncProject(files: number): ProjectFile[] {
  const project = Array.from({ length: files - 1 }, (_, i) => ({ path: projectPath(i), content: moduleSource(i, 40) }));
  project.push({ path: 'src/project.test.js', content: selfContainedTest(0) });
  return project;
}

export interface SyncResult {
  projectFiles: number;
  projectBytes: number;
  syncs: SyncRecord[];
  /** The sync after the one-file change (the second sync). */
  afterOneChange: SyncRecord | null;
}

export interface SyncOptions {
  files?: number;
  store?: FileStore;
  /** Receives the counting wrapper before the run starts (to attribute the sandbox's own work to syncs). */
  onCounting?: (counting: CountingSandbox) => void;
}

export async function measureSync(sandbox: Sandbox, options: SyncOptions = {}): Promise<SyncResult> {
  const project = syncProject(options.files ?? 500);
  const counting = new CountingSandbox(sandbox);
  options.onCounting?.(counting);
  const first = project[0] as ProjectFile;
  const second = project[1] as ProjectFile;
  const scenario = scenarioOf('sync', 'Change two modules, one turn each.', [
    turnAt('step', 1, 0, { toolCalls: [call.write({ [first.path]: moduleSource(0, 40, 1) })] }),
    turnAt('step', 1, 1, { toolCalls: [call.write({ [second.path]: moduleSource(1, 40, 1) })] }),
    turnAt('step', 1, 2, { toolCalls: [call.gate()] }),
    turnAt('summary', 1, 3, { content: 'Two modules changed.' }),
    turnAt('report', 0, 0, { content: '- change two modules: done' }),
  ]);
  await driveScripted({ scenario, store: options.store ?? new MemoryStore(), sandbox: counting, files: asRecord(project), promptProgram: ['Change two modules, one turn each.'] });
  return { projectFiles: project.length, projectBytes: byteTotal(project), syncs: counting.syncs, afterOneChange: counting.syncs[1] ?? null };
}
