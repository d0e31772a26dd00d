/**
 * Stack traces as Node would print them for the generated files: frames in a module's blob: URL become
 * `file:///project/<path>:<line>:<column>` at the source position (`prepare/positions.ts`), and frames of
 * the worker's own runtime are dropped (a reader can do nothing with them).
 */
import { lineStarts, offsetOf, positionOf, sourceOffset } from './prepare/positions.ts';
import { fileUrl } from './prepare/resolve.ts';
import type { TransformedModule } from './protocol.ts';

interface MappedModule {
  path: string;
  record: TransformedModule;
  codeStarts?: number[];
  sourceStarts?: number[];
}

const modules = new Map<string, MappedModule>();

/** Remembers which URL holds which module (called when the loader creates the module's blob: URL). */
export function registerModuleUrl(url: string, path: string, record: TransformedModule): void {
  modules.set(url, { path, record });
}

/** The source position of a position in a module's transformed code. */
function sourcePosition(module: MappedModule, line: number, column: number): { line: number; column: number } {
  module.codeStarts ??= lineStarts(module.record.code);
  module.sourceStarts ??= lineStarts(module.record.source);
  const offset = offsetOf(module.codeStarts, line, column) - module.record.bodyOffset;
  if (offset < 0) return { line: 1, column: 1 };
  return positionOf(module.sourceStarts, sourceOffset(module.record.replacements, offset, module.record.callees));
}

const FRAME_URL = /((?:blob:|data:)[^\s()]*?):(\d+):(\d+)/;

/** One frame rewritten to the project's file, `null` for a frame of the runtime, unchanged otherwise. */
function mapFrame(frame: string): string | null {
  const match = FRAME_URL.exec(frame);
  if (!match) return frame;
  const module = modules.get(match[1] ?? '');
  if (!module) return null;
  const position = sourcePosition(module, Number(match[2]), Number(match[3]));
  const location = `${fileUrl(module.path)}:${position.line}:${position.column}`;
  // The module body runs inside its generator function ("default"); Node shows such frames bare.
  return frame.replace(match[0], location).replace(/at (?:Object\.)?default(?: \[as \w+\])? \((file:[^)]*)\)/, 'at $1');
}

/** A stack with project positions and without runtime frames. */
export function mapStack(stack: string): string {
  const lines = stack.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (!/^\s+at /.test(line)) {
      out.push(line);
      continue;
    }
    const mapped = mapFrame(line);
    // The generator's own `next` frames are the loader's, not the program's.
    if (mapped !== null && !/\bat (?:\w+\.)?next \(<anonymous>\)|\bat new Promise \(<anonymous>\)/.test(mapped)) out.push(mapped);
  }
  return out.join('\n');
}

/** The first frame that lies in a generated file, as `/project/path:line:column`, from a raw stack. */
export function firstProjectLocation(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = FRAME_URL.exec(line);
    const module = match ? modules.get(match[1] ?? '') : undefined;
    if (!match || !module) continue;
    const position = sourcePosition(module, Number(match[2]), Number(match[3]));
    return `${fileUrl(module.path).slice('file://'.length)}:${position.line}:${position.column}`;
  }
  return undefined;
}
