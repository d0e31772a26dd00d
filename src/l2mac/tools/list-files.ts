import { lineCount } from '../paths.ts';
import { folderArgument, isUnder, joinWithin, LIST_OUTPUT_LIMIT } from './common.ts';
import { errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

export const listFiles: ToolDefinition<{ path?: string }> = {
  name: 'list_files',
  description:
    "List the project's files with their sizes in lines. Give `path` (a folder, e.g. \"src\") to list only the files under it.",
  parameters: {
    type: 'object',
    properties: { path: { type: 'string', description: 'A folder relative to the project root; all files when absent.' } },
  },
  async run(args, { workspace }) {
    const folder = folderArgument(args.path);
    if (!folder.ok) return errorResult(`Invalid path: ${folder.reason}.`);
    const paths = workspace.paths().filter((p) => isUnder(p, folder.folder));
    if (paths.length === 0) {
      return folder.folder === null
        ? okResult('The project has no files yet.', { files: '' })
        : errorResult(`No files under "${folder.folder}". Call list_files without a path to see every file.`);
    }
    const lines = paths.map((p) => `${p} (${lineCount(workspace.read(p) ?? '')} lines)`);
    const { text, omitted } = joinWithin(lines, LIST_OUTPUT_LIMIT);
    const message = omitted
      ? `${paths.length} files; the first ${paths.length - omitted} are listed and ${omitted} are omitted (give a folder as \`path\` to see them).`
      : `${paths.length} file${paths.length === 1 ? '' : 's'}.`;
    return okResult(message, { files: text });
  },
};
