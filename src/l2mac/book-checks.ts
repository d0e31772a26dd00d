/**
 * The checks of the book domain (DESIGN.md §5): nothing after writes; the gate checks that `outline.md`
 * exists and links chapter files, and that every linked file exists and is not empty. Chapters are written
 * over several steps, so before the last step a linked chapter may still be missing (but not empty); at
 * the last step and in the final verification every one must exist.
 */
import type { RunFileResult } from '../sandbox/types.ts';
import type { CheckSummary } from './events.ts';
import { checkPath } from './paths.ts';
import { OUTLINE_PATH } from './prompts/book.ts';
import type { CheckRunner, GateResult } from './tools/types.ts';
import type { Workspace } from './workspace.ts';

const MARKDOWN_LINK = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** The project files `outline.md` links to, in order (external links and anchors left out). */
export function outlineLinks(outline: string): string[] {
  const links: string[] = [];
  for (const match of outline.matchAll(MARKDOWN_LINK)) {
    let target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    target = target.replace(/#.*$/, '').replace(/^\.\//, '');
    try {
      target = decodeURI(target);
    } catch {
      // A malformed escape: judge the link as written.
    }
    if (target && !links.includes(target)) links.push(target);
  }
  return links;
}

export class BookChecks implements CheckRunner {
  constructor(
    private readonly workspace: Workspace,
    /** Whether the gate is judging the last step (or the finished book), where every chapter must exist. */
    private readonly isFinal: () => boolean,
  ) {}

  async afterWrite(): Promise<null> {
    return null;
  }

  async gate(): Promise<GateResult> {
    const outline = this.workspace.read(OUTLINE_PATH);
    const fail = (message: string): GateResult => ({ passed: false, message, check: null, testsNotRun: false });
    if (outline === undefined) return fail(`The step is not complete: ${OUTLINE_PATH} does not exist. Write it first: the title and a link to every chapter file.`);
    const links = outlineLinks(outline);
    if (links.length === 0) return fail(`The step is not complete: ${OUTLINE_PATH} links no chapter files (e.g. [Chapter 1](chapters/01-start.md)).`);
    const problems: string[] = [];
    for (const link of links) {
      if (!checkPath(link).ok) problems.push(`the link "${link}" is not a path inside the book`);
      else if (!this.workspace.has(link)) {
        if (this.isFinal()) problems.push(`${link} does not exist`);
      }
      else if ((this.workspace.read(link) ?? '').trim() === '') problems.push(`${link} is empty`);
    }
    if (problems.length) return fail(`The step is not complete: ${OUTLINE_PATH} links ${links.length} files, but ${problems.join('; ')}.`);
    return { passed: true, message: `The step is complete: ${OUTLINE_PATH} and all ${links.length} linked files exist and are not empty.`, check: null, testsNotRun: false };
  }

  async runTests(): Promise<CheckSummary> {
    throw new Error('The book domain runs no tests.');
  }

  async runFile(): Promise<RunFileResult> {
    throw new Error('The book domain runs no files.');
  }
}
