import { folderArgument, isUnder, joinWithin, LIST_OUTPUT_LIMIT } from './common.ts';
import { errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

/** Only this much of a line is searched and shown: bounds the cost of a pathological pattern. */
const SEARCHED_LINE_LENGTH = 2000;
const SHOWN_LINE_LENGTH = 200;

export const searchFiles: ToolDefinition<{ pattern: string; path?: string }> = {
  name: 'search_files',
  description:
    'Search file contents with a JavaScript regular expression; returns matching lines as "path:line: text". ' +
    'Give `path` (a folder or a file) to search only there.',
  parameters: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'A regular expression, e.g. "export function \\\\w+".' },
      path: { type: 'string', description: 'A folder or file to search in; everything when absent.' },
    },
    required: ['pattern'],
  },
  async run(args, { workspace }) {
    if (args.pattern === '') return errorResult('The pattern is empty.');
    let regex: RegExp;
    try {
      regex = new RegExp(args.pattern);
    } catch (error) {
      return errorResult(`Invalid regular expression: ${(error as Error).message}.`);
    }
    const folder = folderArgument(args.path);
    if (!folder.ok) return errorResult(`Invalid path: ${folder.reason}.`);
    const paths = workspace.paths().filter((p) => isUnder(p, folder.folder));
    if (paths.length === 0) return errorResult(`No files under "${folder.folder ?? ''}".`);

    const matches: string[] = [];
    for (const path of paths) {
      const lines = (workspace.read(path) ?? '').split('\n');
      lines.forEach((line, i) => {
        if (regex.test(line.slice(0, SEARCHED_LINE_LENGTH))) {
          const shown = line.length > SHOWN_LINE_LENGTH ? `${line.slice(0, SHOWN_LINE_LENGTH)}…` : line;
          matches.push(`${path}:${i + 1}: ${shown}`);
        }
      });
    }
    if (matches.length === 0) return okResult(`No line matches /${args.pattern}/ in ${paths.length} files.`, { matches: '' });
    const { text, omitted } = joinWithin(matches, LIST_OUTPUT_LIMIT);
    const message = omitted
      ? `${matches.length} matching lines; ${omitted} are omitted (narrow the pattern or the path).`
      : `${matches.length} matching line${matches.length === 1 ? '' : 's'}.`;
    return okResult(message, { matches: text });
  },
};
