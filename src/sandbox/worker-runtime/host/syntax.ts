/**
 * The worker sandbox's `checkSyntax` on the main thread: which files to parse and how (as Node would load
 * them), and positions for the errors the worker's engine finds. V8 does not say where a module fails to
 * parse, so the position comes from @babel/parser when it rejects the file too (a regular expression V8
 * rejects and Babel does not check gets a message without a position).
 */
import { parse } from '@babel/parser';
import type { SyntaxIssue } from '../../types.ts';
import type { SourceKind } from '../protocol.ts';
import { packageType } from './project.ts';

/** How Node would load a `.js/.mjs/.cjs` file; null for files the runtime check does not cover. */
export function sourceKind(path: string, files: ReadonlyMap<string, string>): SourceKind | null {
  if (path.endsWith('.mjs')) return 'module';
  if (path.endsWith('.cjs')) return 'script';
  if (!path.endsWith('.js')) return null;
  const type = packageType(path, files);
  return type === 'module' ? 'module' : type === 'commonjs' ? 'script' : 'detect';
}

/** The issue for a file the engine rejected, with Babel's position when Babel rejects it too. */
export function issueFor(path: string, code: string, kind: SourceKind, message: string): SyntaxIssue {
  try {
    parse(code, kind === 'script' ? { sourceType: 'script', allowReturnOutsideFunction: true } : { sourceType: 'module' });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (loc) return { file: path, line: loc.line, column: loc.column + 1, message };
  }
  return { file: path, message };
}
