import { errorMessage, isAbortError, SandboxUnavailableError } from '../../errors.ts';
import { checkFileContent, checkPath, fileFolderClash, folderPrefixes, MAX_FILES } from '../paths.ts';
import { checksObject, describeChecks, errorResult, okResult } from './result.ts';
import type { ToolContext, ToolDefinition, ToolOutcome } from './types.ts';

interface FileObject {
  file_path: string;
  file_contents: string;
}

/**
 * After a write or an edit: the checks of the written files, folded into the tool result. The files
 * were written whatever the checks say, so the status stays "ok"; the message says plainly whether they
 * pass.
 */
export async function resultWithChecks(written: string, paths: string[], context: ToolContext): Promise<ToolOutcome> {
  let summary;
  try {
    summary = await context.checks.afterWrite(paths);
  } catch (error) {
    if (isAbortError(error) || error instanceof SandboxUnavailableError) throw error;
    return okResult(`${written} The checks could not run: ${errorMessage(error)}. Call run_tests to try them again.`);
  }
  if (!summary) return okResult(written);
  const verdict = summary.ok ? 'The checks pass.' : 'The checks fail: fix the code or the tests.';
  const outcome = okResult(`${written} ${describeChecks(summary)} ${verdict}`, { checks: checksObject(summary) });
  return { ...outcome, check: { trigger: 'write', summary } };
}

export const writeFiles: ToolDefinition<{ list_of_file_objects: FileObject[] }> = {
  name: 'write_files',
  description:
    'Create or replace whole files (all or nothing: if one path or object is invalid, nothing is written). ' +
    'Give each file\'s complete content. After writing, the written files are syntax-checked and the test suite runs; the result reports both.',
  parameters: {
    type: 'object',
    properties: {
      list_of_file_objects: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            file_path: { type: 'string', description: 'Relative path, e.g. "src/cart.js".' },
            file_contents: { type: 'string', description: 'The complete content of the file.' },
          },
          required: ['file_path', 'file_contents'],
        },
      },
    },
    required: ['list_of_file_objects'],
  },
  async run(args, context) {
    const { workspace } = context;
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const [i, file] of args.list_of_file_objects.entries()) {
      const check = checkPath(file.file_path);
      if (!check.ok) {
        problems.push(`file ${i + 1}: ${check.reason}`);
        continue;
      }
      if (seen.has(file.file_path)) problems.push(`file ${i + 1}: ${file.file_path} appears twice in this call`);
      seen.add(file.file_path);
      const badContent = checkFileContent(file.file_path, file.file_contents);
      if (badContent) problems.push(`file ${i + 1}: ${badContent}`);
    }
    if (!problems.length) {
      const files = new Set([...workspace.paths(), ...seen]);
      const folders = folderPrefixes(files);
      for (const [i, file] of args.list_of_file_objects.entries()) {
        const clash = fileFolderClash(file.file_path, files, folders);
        if (clash) problems.push(`file ${i + 1}: ${clash}`);
      }
    }
    const added = [...seen].filter((p) => !workspace.has(p)).length;
    if (!problems.length && workspace.size + added > MAX_FILES) {
      problems.push(`the project would have ${workspace.size + added} files; the limit is ${MAX_FILES}`);
    }
    if (problems.length) return errorResult(`Nothing was written: ${problems.join('; ')}.`);

    for (const file of args.list_of_file_objects) workspace.write(file.file_path, file.file_contents);
    const paths = args.list_of_file_objects.map((f) => f.file_path);
    return resultWithChecks(`Wrote ${paths.join(', ')}.`, paths, context);
  },
};
