/** Real git for the patch tests: apply a patch in a fresh repository holding the starting files. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const made: string[] = [];

export function removeTempFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export function readTree(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === '.git') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(root, full));
    else out[relative(root, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

/** `git apply` of `patch` over `before`; the files after, or git's complaint. */
export function gitApply(before: Record<string, string>, patch: string): { ok: boolean; stderr: string; files: Record<string, string> } {
  const dir = tempFolder('l2mac-patch-');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeTree(dir, before);
  // Whitespace warnings (a blank line added at the end of a file) are about the content, not the patch.
  const check = spawnSync('git', ['apply', '--check', '--whitespace=nowarn', '-'], { cwd: dir, input: patch, encoding: 'utf8' });
  if (check.status !== 0) return { ok: false, stderr: check.stderr, files: readTree(dir) };
  const applied = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, input: patch, encoding: 'utf8' });
  return { ok: applied.status === 0, stderr: applied.stderr, files: readTree(dir) };
}
