/**
 * The adapter's lifecycle and files: lazy boot, status, the first mount and the syncs by changed paths,
 * TS stripping, and two sandboxes sharing the page's one WebContainer.
 */
import { describe, expect, test } from 'vitest';
import { SandboxUnavailableError } from '../../../src/errors.ts';
import { listWorkdir, type FakeWebContainer, type FakeWebContainerInstance } from '../../support/fake-webcontainer.ts';
import { files, setup, sumProject } from './helpers.ts';

describe('lazy boot and status', () => {
  test('sync alone never loads or boots WebContainer; the first run does, once, with the page COEP', async () => {
    let loads = 0;
    const holder: { fake?: FakeWebContainer } = {};
    const { fake, sandbox, states } = setup({}, { loadClass: async () => (loads++, holder.fake as FakeWebContainer) });
    holder.fake = fake;
    await sandbox.sync(files(sumProject));
    expect(loads).toBe(0);
    expect(fake.boots).toHaveLength(0);
    expect(sandbox.status.state).toBe('idle');

    const report = await sandbox.runTests(['test/sum.test.js']);
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(loads).toBe(1);
    expect(fake.boots).toEqual([{ coep: 'require-corp', workdirName: 'project' }]);
    expect(states).toEqual(['booting', 'ready', 'busy:tests', 'ready']);
  });

  test('the seam globalThis.__L2MAC_WEBCONTAINER__ supplies the class when no loader is given', async () => {
    const { fake } = setup();
    const { sandbox } = setup({}, { loadClass: undefined as never });
    globalThis.__L2MAC_WEBCONTAINER__ = fake;
    try {
      await sandbox.sync(files(sumProject));
      const result = await sandbox.runFile('src/sum.js', []);
      expect(result).toMatchObject({ exitCode: 0, timedOut: false });
      expect(fake.boots).toHaveLength(1);
    } finally {
      globalThis.__L2MAC_WEBCONTAINER__ = undefined;
    }
  });

  test('an unsupported page is unavailable with the reason and the gate effect, and never boots', async () => {
    const { fake, sandbox } = setup({}, { environment: { crossOriginIsolated: false, hasSharedArrayBuffer: false, userAgent: '', platform: '', maxTouchPoints: 0 } });
    await sandbox.sync(files(sumProject));
    await expect(sandbox.runTests(['test/sum.test.js'])).rejects.toBeInstanceOf(SandboxUnavailableError);
    expect(sandbox.status.state).toBe('unavailable');
    expect(sandbox.status.detail).toMatch(/not cross-origin isolated/);
    expect(sandbox.status.detail).toMatch(/worker sandbox/);
    expect(sandbox.unavailable).toMatchObject({ code: 'not-isolated' });
    expect(sandbox.unavailable?.diagnostic).toContain('*.webcontainer-api.io');
    expect(fake.boots).toHaveLength(0);
  });
});

describe('files', () => {
  test('the first run mounts every file as one tree; later syncs write only changed paths and remove deleted ones', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(files({ ...sumProject, 'README.md': '# sum\n', 'docs/old.md': 'old\n' }));
    await sandbox.runFile('src/sum.js', []);
    const instance = fake.live as FakeWebContainerInstance;
    const mounts = instance.fsLog.filter((entry) => entry.op === 'mount');
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toMatchObject({ paths: expect.arrayContaining(['README.md', 'docs/old.md', 'package.json', 'src/sum.js', 'test/sum.test.js']) });

    instance.fsLog.length = 0;
    await sandbox.sync([
      { path: 'src/sum.js', content: 'export function sum(a, b) {\n  return b + a;\n}\n' },
      { path: 'docs/old.md', content: null },
      { path: 'lib/deep/new.js', content: 'export const x = 1;\n' },
      { path: 'README.md', content: '# sum\n' },
    ]);
    expect(instance.fsLog).toEqual([
      { op: 'rm', path: 'docs/old.md' },
      { op: 'mkdir', path: 'lib/deep' },
      { op: 'writeFile', path: 'src/sum.js' },
      { op: 'writeFile', path: 'lib/deep/new.js' },
    ]);
    const listed = await listWorkdir(instance);
    expect(listed).toEqual(expect.arrayContaining(['README.md', 'lib/deep/new.js', 'src/sum.js']));
    expect(listed).not.toContain('docs/old.md');
    expect(await instance.fs.readFile('src/sum.js', 'utf-8')).toContain('return b + a');

    instance.fsLog.length = 0;
    await sandbox.sync(files({ 'src/sum.js': 'export function sum(a, b) {\n  return b + a;\n}\n' }));
    await sandbox.runFile('src/sum.js', []);
    expect(instance.fsLog).toEqual([]);
  });

  test('a file may replace a folder whose files were deleted', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(files({ 'a/b.js': 'export {};\n' }));
    await sandbox.runFile('a/b.js', []);
    await sandbox.sync([
      { path: 'a/b.js', content: null },
      { path: 'a', content: 'plain file\n' },
    ]);
    expect(await listWorkdir(fake.live as FakeWebContainerInstance)).not.toContain('a/b.js');
    expect(await (fake.live as FakeWebContainerInstance).fs.readFile('a', 'utf-8')).toBe('plain file\n');
  });

  test('TypeScript is stripped in-app before it is written, and runs', async () => {
    const { fake, sandbox } = setup();
    await sandbox.sync(
      files({
        'package.json': '{ "type": "module" }',
        'src/greet.ts': 'export function greet(name: string): string {\n  return `hi ${name}`;\n}\n',
        'src/main.ts': "import { greet } from './greet.ts';\nconst who: string = 'ada';\nconsole.log(greet(who));\n",
      }),
    );
    const result = await sandbox.runFile('src/main.ts', []);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toContain('hi ada');
    const written = await (fake.live as FakeWebContainerInstance).fs.readFile('src/greet.ts', 'utf-8');
    expect(written).not.toContain(': string');
  });

  test('two sandboxes of one page share the WebContainer: each finds its own files again', async () => {
    const { fake, sandbox, another } = setup();
    const second = another();
    await sandbox.sync(files(sumProject));
    await second.sync(files({ 'other.js': "console.log('other');\n" }));
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
    expect((await second.runFile('other.js', [])).output).toContain('other');
    const instance = fake.live as FakeWebContainerInstance;
    expect(await listWorkdir(instance)).not.toContain('src/sum.js');
    expect((await sandbox.runTests(['test/sum.test.js'])).passed).toBe(1);
    expect(await listWorkdir(instance)).not.toContain('other.js');
    expect(fake.boots).toHaveLength(1);

    // A sync of a sandbox that does not hold the container waits for its next run: no files trampled.
    instance.fsLog.length = 0;
    await second.sync(files({ 'other.js': "console.log('changed');\n" }));
    expect(instance.fsLog).toEqual([]);
    expect(await listWorkdir(instance)).toContain('src/sum.js');
  });

  test('the page COEP is looked up only for a boot', async () => {
    let lookups = 0;
    const { fake, sandbox } = setup({}, { coep: async () => (lookups++, 'credentialless') });
    await sandbox.sync(files(sumProject));
    await sandbox.runFile('src/sum.js', []);
    await sandbox.runTests(['test/sum.test.js']);
    expect(lookups).toBe(1);
    expect(fake.boots[0]?.coep).toBe('credentialless');
  });

  test('dispose ends the sandbox: later operations are refused', async () => {
    const { sandbox } = setup();
    await sandbox.sync(files(sumProject));
    await sandbox.runFile('src/sum.js', []);
    await sandbox.dispose();
    expect(sandbox.status.state).toBe('disposed');
    await expect(sandbox.runTests(['test/sum.test.js'])).rejects.toBeInstanceOf(SandboxUnavailableError);
  });
});
