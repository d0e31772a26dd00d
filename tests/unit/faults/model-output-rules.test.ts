/**
 * The rules added for the model-output faults of issue 12: names the sandbox's file system refuses, a
 * path that is both a file and a folder, content that is not Unicode text (a lone surrogate), and the
 * repeat nudge once a raised temperature has not helped.
 */
import { describe, expect, it } from 'vitest';
import { checkFileContent, checkPath, fileFolderClash, folderPrefixes, MAX_NAME_BYTES } from '../../../src/l2mac/paths.ts';
import { editFile } from '../../../src/l2mac/tools/edit-file.ts';
import type { CheckRunner, ToolContext } from '../../../src/l2mac/tools/types.ts';
import { writeFiles } from '../../../src/l2mac/tools/write-files.ts';
import { Workspace } from '../../../src/l2mac/workspace.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';

const unused = (): never => {
  throw new Error('not used by these tools');
};

function context(files: Record<string, string>): ToolContext & { workspace: Workspace } {
  const checks: CheckRunner = { afterWrite: async () => null, gate: async () => unused(), runTests: async () => unused(), runFile: async () => unused() };
  return { workspace: new Workspace(files), limits: DEFAULT_LIMITS, checks, signal: new AbortController().signal };
}

const writeArgs = (files: Record<string, string>) => ({ list_of_file_objects: Object.entries(files).map(([file_path, file_contents]) => ({ file_path, file_contents })) });

describe('path names a file system accepts', () => {
  it('refuses a file or folder name over 255 UTF-8 bytes, wherever it is in the path', () => {
    expect(checkPath('n'.repeat(MAX_NAME_BYTES)).ok).toBe(true);
    expect(checkPath('n'.repeat(MAX_NAME_BYTES + 1))).toMatchObject({ ok: false, reason: expect.stringContaining('longer than 255 bytes') });
    // 86 three-byte characters are 258 bytes in 86 characters.
    expect(checkPath(`src/${'日'.repeat(86)}/a.js`).ok).toBe(false);
    expect(checkPath(`src/${'日'.repeat(85)}/a.js`).ok).toBe(true);
  });

  it('refuses a path with a lone surrogate, but not a complete pair', () => {
    expect(checkPath('a\ud800.js')).toMatchObject({ ok: false, reason: expect.stringContaining('lone surrogate') });
    expect(checkPath('a\udc00.js').ok).toBe(false);
    expect(checkPath('a\ud83d\ude00.js').ok).toBe(true);
  });
});

describe('a path cannot be a file and a folder', () => {
  it('names the file a new path would be inside, and a folder a new file would replace', () => {
    const files = new Set(['a', 'src/x/y.js', 'a/b']);
    const folders = folderPrefixes(files);
    expect(fileFolderClash('a/b', files, folders)).toBe('"a/b" would be inside "a", which is a file; delete "a" first or choose another path');
    expect(fileFolderClash('src/x', files, folders)).toMatch(/^"src\/x" is a folder/);
    expect(fileFolderClash('src', files, folders)).toMatch(/^"src" is a folder/);
    expect(fileFolderClash('src/x/z.js', files, folders)).toBeNull();
  });

  it('write_files refuses the clash with an existing file, an existing folder, or within one call; nothing written', async () => {
    const ctx = context({ 'lib.js': 'x', 'dir/in.js': 'y' });
    const clashes: Record<string, string>[] = [{ 'lib.js/a.js': '1' }, { dir: '1' }, { 'new.js': '1', 'new.js/a.js': '2' }];
    for (const files of clashes) {
      const result = await writeFiles.run(writeArgs({ 'ok.js': 'fine', ...files }), ctx);
      expect(result.status, JSON.stringify(files)).toBe('error');
      expect(JSON.parse(result.content).message).toMatch(/^Nothing was written: file \d: ".+" (would be inside|is a folder)/);
    }
    expect(ctx.workspace.paths()).toEqual(['dir/in.js', 'lib.js']);
    // After the file is deleted, the folder can take its place.
    ctx.workspace.delete('lib.js');
    expect((await writeFiles.run(writeArgs({ 'lib.js/a.js': '1' }), ctx)).status).toBe('ok');
  });
});

describe('content is stored exactly as given, so it must be Unicode text', () => {
  it('write_files refuses a lone surrogate (JSON can carry "\\ud800"); a complete pair is fine', async () => {
    expect(checkFileContent('a.txt', 'x\ud800y')).toMatch(/^a\.txt contains a lone surrogate \(\\ud800 at index 1\)/);
    expect(checkFileContent('a.txt', 'emoji \ud83d\ude00')).toBeNull();
    const ctx = context({});
    const args = JSON.parse('{"list_of_file_objects":[{"file_path":"a.txt","file_contents":"x\\ud800"},{"file_path":"b.txt","file_contents":"x\\udc00"}]}');
    const result = await writeFiles.run(args, ctx);
    expect(result.status).toBe('error');
    expect(ctx.workspace.paths()).toEqual([]);
  });

  it('edit_file refuses an edit that would leave half a surrogate pair', async () => {
    const ctx = context({ 'a.txt': 'smile \ud83d\ude00' });
    const result = await editFile.run({ file_path: 'a.txt', old_text: '\ude00', new_text: '' }, ctx);
    expect(JSON.parse(result.content)).toMatchObject({ status: 'error', message: expect.stringMatching(/^Nothing was changed: a\.txt contains a lone surrogate/) });
    expect(ctx.workspace.read('a.txt')).toBe('smile \ud83d\ude00');
  });
});
