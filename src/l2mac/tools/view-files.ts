import { checkPath, lineCount } from '../paths.ts';
import { existingPathsHint, VIEW_OUTPUT_LIMIT } from './common.ts';
import { errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

interface ViewArgs {
  files: string[];
  start_line?: number;
  max_lines?: number;
}

function numbered(lineNo: number, width: number, text: string): string {
  return `${String(lineNo).padStart(width)}| ${text}`;
}

export const viewFiles: ToolDefinition<ViewArgs> = {
  name: 'view_files',
  description:
    'Show files with line numbers ("12| text"; the number and "| " are not part of the file). ' +
    `At most ${VIEW_OUTPUT_LIMIT} characters per call; use start_line and max_lines to page through long files.`,
  parameters: {
    type: 'object',
    properties: {
      files: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Paths of the files to show.' },
      start_line: { type: 'integer', minimum: 1, description: 'First line to show (1-based; default 1), for every file.' },
      max_lines: { type: 'integer', minimum: 1, description: 'Lines to show per file (default: all).' },
    },
    required: ['files'],
  },
  async run(args, { workspace }) {
    const invalid = args.files.map(checkPath).filter((c) => !c.ok);
    if (invalid.length) return errorResult(`Invalid path: ${invalid.map((c) => (c.ok ? '' : c.reason)).join('; ')}.`);
    const missing = args.files.filter((p) => !workspace.has(p));
    if (missing.length) {
      return errorResult(`Not found: ${missing.join(', ')}. ${existingPathsHint(workspace)}`);
    }

    const start = args.start_line ?? 1;
    const parts: string[] = [];
    let used = 0;
    let cut: string | null = null;
    const files = [...new Set(args.files)];
    for (let f = 0; f < files.length && cut === null; f++) {
      const path = files[f] as string;
      const content = workspace.read(path) ?? '';
      const total = lineCount(content);
      const lines = content === '' ? [] : content.split('\n').slice(0, total);
      const end = Math.min(total, args.max_lines === undefined ? total : start + args.max_lines - 1);
      const header = total === 0 ? `==> ${path} (empty file) <==` : start > total ? `==> ${path} (${total} lines; nothing from line ${start}) <==` : `==> ${path} (lines ${start}-${end} of ${total}) <==`;
      if (used + header.length + 1 > VIEW_OUTPUT_LIMIT) {
        cut = `Output cut at ${VIEW_OUTPUT_LIMIT} characters before ${files.slice(f).join(', ')}; view them in another call.`;
        break;
      }
      parts.push(header);
      used += header.length + 1;
      const width = String(end).length;
      for (let n = start; n <= end; n++) {
        const line = numbered(n, width, lines[n - 1] ?? '');
        if (used + line.length + 1 > VIEW_OUTPUT_LIMIT) {
          const rest = files.slice(f + 1);
          cut =
            `Output cut at ${VIEW_OUTPUT_LIMIT} characters: ${path} is shown up to line ${n - 1} of ${total}. ` +
            `To continue, call view_files with files ["${path}"] and start_line ${n}` +
            (rest.length ? `; not shown at all: ${rest.join(', ')}.` : '.');
          break;
        }
        parts.push(line);
        used += line.length + 1;
      }
    }
    const message = cut ?? `Showing ${files.length} file${files.length === 1 ? '' : 's'}.`;
    return okResult(message, { content: parts.join('\n') });
  },
};
