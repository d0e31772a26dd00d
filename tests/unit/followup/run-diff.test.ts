/**
 * The whole path in Node: a project folder (with what an import must leave out) zipped by Info-ZIP,
 * imported, a run on it through the real control unit (scripted LLM, real Node running the tests), then a
 * follow-up task; the original run stays as it was, and the follow-up's patch applies to its files.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { followUp } from '../../../src/l2mac/controls.ts';
import { runL2MAC } from '../../../src/l2mac/run.ts';
import { parseScenario, type Scenario } from '../../../src/llm/scenario.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { diffRunAgainstStart } from '../../../src/followup/index.ts';
import { importFromZip, importOrigin } from '../../../src/import/index.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { settings } from '../l2mac/harness.ts';
import { gitApply, removeTempFolders, tempFolder, writeTree } from './git.ts';

afterAll(removeTempFolders);

const FIXTURE = fileURLToPath(new URL('../../support/projects/thermo', import.meta.url));

function scenario(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(fileURLToPath(new URL(`../../support/scenarios/${name}.json`, import.meta.url)), 'utf8')));
}

/** The fixture as it would sit on a user's disk: with dependencies, a repository and a binary. */
function zippedProject(): Uint8Array {
  const dir = tempFolder('l2mac-thermo-');
  cpSync(FIXTURE, join(dir, 'thermo'), { recursive: true });
  writeTree(join(dir, 'thermo'), {
    'node_modules/left-pad/index.js': 'module.exports = () => {};\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docs/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  });
  execFileSync('zip', ['-q', '-r', 'thermo.zip', 'thermo'], { cwd: dir });
  return new Uint8Array(readFileSync(join(dir, 'thermo.zip')));
}

describe('import, run, follow up, diff', () => {
  it('the follow-up changes one module and its test; the original run is untouched; the patch applies', async () => {
    const kelvin = scenario('thermo-kelvin');
    const decimals = scenario('thermo-decimals');
    const store = new MemoryStore();

    const imported = await importFromZip(zippedProject(), 'thermo.zip');
    expect({ ...imported.files }).toEqual(kelvin.startingFiles);
    expect(imported.summary.skipped.map((g) => [g.reason, g.count])).toEqual([
      ['ignored-folder', 2],
      ['binary', 1],
    ]);

    const first = await runL2MAC({
      store,
      llm: new ScriptedLlm(kelvin),
      sandboxFactory: createNodeSandbox,
      task: kelvin.task,
      domain: 'codebase',
      settings: settings({ limits: { maxSteps: 2 } }),
      files: imported.files,
      origin: importOrigin(imported.summary),
    });
    const original = await first.done;
    expect(original.status, original.statusReason).toBe('completed');
    expect(original.origin).toEqual({ kind: 'import', label: 'Imported from zip thermo.zip', files: 6 });
    expect(await store.readAllFiles(original.id)).toEqual(kelvin.expectedFiles);
    const originalVersions = await store.listVersions(original.id);
    const originalFiles = await store.listFiles(original.id);

    const second = await followUp(original.id, decimals.task, { store, llm: new ScriptedLlm(decimals), sandboxFactory: createNodeSandbox });
    const follow = await second.done;
    expect(follow.status, follow.statusReason).toBe('completed');
    expect(follow.parentRunId).toBe(original.id);
    expect(follow.report?.check).toMatchObject({ passed: 5, failed: 0 });
    expect(await store.filesAtStep(follow.id, 0)).toEqual(kelvin.expectedFiles);
    expect(await store.readAllFiles(follow.id)).toEqual(decimals.expectedFiles);

    // The original run is as it was: same files, same versions, same record.
    expect(await store.readAllFiles(original.id)).toEqual(kelvin.expectedFiles);
    expect(await store.listVersions(original.id)).toEqual(originalVersions);
    expect(await store.getRun(original.id)).toEqual(original);
    // Unchanged files share the original's blobs.
    const followFiles = new Map((await store.listFiles(follow.id)).map((f) => [f.path, f.hash]));
    expect(originalFiles.filter((f) => !f.path.startsWith('src/format')).every((f) => followFiles.get(f.path) === f.hash)).toBe(true);

    const diff = await diffRunAgainstStart(store, follow.id);
    expect(diff.files.map(({ path, change, additions, deletions }) => ({ path, change, additions, deletions }))).toEqual([
      { path: 'src/format.js', change: 'modified', additions: 2, deletions: 2 },
      { path: 'src/format.test.js', change: 'modified', additions: 5, deletions: 0 },
    ]);
    const applied = gitApply(kelvin.expectedFiles ?? {}, diff.patch);
    expect(applied.stderr).toBe('');
    expect(applied.files).toEqual(decimals.expectedFiles);

    // The original run's own diff is against the imported files.
    const firstDiff = await diffRunAgainstStart(store, original.id);
    expect(firstDiff.files.map((f) => f.path)).toEqual(['src/convert.js', 'src/convert.test.js']);
    expect(gitApply(kelvin.startingFiles ?? {}, firstDiff.patch).files).toEqual(kelvin.expectedFiles);
  });
});
