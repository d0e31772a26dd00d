import { checkPath } from '../paths.ts';
import { errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

export const deleteFiles: ToolDefinition<{ files: string[] }> = {
  name: 'delete_files',
  description: 'Delete files. Unknown paths are reported; no checks run afterwards.',
  parameters: {
    type: 'object',
    properties: { files: { type: 'array', items: { type: 'string' }, minItems: 1 } },
    required: ['files'],
  },
  async run(args, { workspace }) {
    const deleted: string[] = [];
    const unknown: string[] = [];
    const invalid: string[] = [];
    for (const path of new Set(args.files)) {
      const check = checkPath(path);
      if (!check.ok) invalid.push(check.reason);
      else if (!workspace.has(path)) unknown.push(path);
      else {
        workspace.delete(path);
        deleted.push(path);
      }
    }
    const parts: string[] = [];
    if (deleted.length) parts.push(`Deleted ${deleted.join(', ')}.`);
    if (unknown.length) parts.push(`Not found (nothing to delete): ${unknown.join(', ')}.`);
    if (invalid.length) parts.push(`Invalid: ${invalid.join('; ')}.`);
    return deleted.length ? okResult(parts.join(' ')) : errorResult(`Nothing was deleted. ${parts.join(' ')}`);
  },
};
