import { checkFileContent, checkPath } from '../paths.ts';
import { existingPathsHint } from './common.ts';
import { errorResult } from './result.ts';
import type { ToolDefinition } from './types.ts';
import { resultWithChecks } from './write-files.ts';

function occurrences(text: string, part: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) found.push(i);
  return found;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export const editFile: ToolDefinition<{ file_path: string; old_text: string; new_text: string }> = {
  name: 'edit_file',
  description:
    'Replace one exact, unique occurrence of old_text in a file with new_text (include enough surrounding lines to make it unique). ' +
    'Then the same checks as write_files run.',
  parameters: {
    type: 'object',
    properties: {
      file_path: { type: 'string' },
      old_text: { type: 'string', description: 'Exact text to replace, whitespace included; must occur exactly once.' },
      new_text: { type: 'string', description: 'The replacement text.' },
    },
    required: ['file_path', 'old_text', 'new_text'],
  },
  async run(args, context) {
    const { workspace } = context;
    const check = checkPath(args.file_path);
    if (!check.ok) return errorResult(`Invalid path: ${check.reason}.`);
    const content = workspace.read(args.file_path);
    if (content === undefined) return errorResult(`Not found: ${args.file_path}. ${existingPathsHint(workspace)}`);
    if (args.old_text === '') return errorResult('old_text is empty; give the exact text to replace.');
    const found = occurrences(content, args.old_text);
    if (found.length === 0) {
      return errorResult(
        `old_text does not occur in ${args.file_path}; nothing was changed. It must match exactly, whitespace included (view the file first).`,
      );
    }
    if (found.length > 1) {
      const lines = found.slice(0, 10).map((i) => lineOf(content, i));
      return errorResult(
        `old_text occurs ${found.length} times in ${args.file_path} (lines ${lines.join(', ')}); nothing was changed. Include more surrounding text so it occurs once.`,
      );
    }
    const at = found[0] as number;
    const updated = content.slice(0, at) + args.new_text + content.slice(at + args.old_text.length);
    const badContent = checkFileContent(args.file_path, updated);
    if (badContent) return errorResult(`Nothing was changed: ${badContent}.`);
    workspace.write(args.file_path, updated);
    return resultWithChecks(`Edited ${args.file_path} at line ${lineOf(content, at)}.`, [args.file_path], context);
  },
};
