/**
 * The fake WebContainer itself: the adapter's tests are only as good as the fake's faithfulness to the
 * API subset (one instance at a time, merged pty output, kill of the process tree, teardown, faults).
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import type { WcProcess } from '../../../src/sandbox/webcontainer-api.ts';
import { FakeWebContainer, listWorkdir, type FakeWebContainerInstance } from '../../support/fake-webcontainer.ts';

let fake: FakeWebContainer;

afterEach(async () => {
  await fake.dispose();
});

async function readAll(process_: WcProcess): Promise<string> {
  let text = '';
  const reader = process_.output.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += value;
  }
}

async function boot(faults = {}): Promise<FakeWebContainerInstance> {
  fake = new FakeWebContainer(faults);
  return (await fake.boot({ coep: 'require-corp' })) as FakeWebContainerInstance;
}

describe('fake WebContainer', () => {
  test('mounts a tree, writes, reads, lists and removes files in its working directory', async () => {
    const instance = await boot();
    await instance.mount({ 'a.js': { file: { contents: 'A' } }, lib: { directory: { 'b.js': { file: { contents: 'B' } } } } });
    await instance.fs.mkdir('x/y', { recursive: true });
    await instance.fs.writeFile('x/y/c.txt', 'C');
    expect(await instance.fs.readFile('lib/b.js', 'utf-8')).toBe('B');
    expect((await instance.fs.readdir('.')).sort()).toEqual(['a.js', 'lib', 'x']);
    await instance.fs.rm('a.js');
    expect(await listWorkdir(instance)).toEqual(['lib/b.js', 'x/y/c.txt']);
    await expect(instance.fs.writeFile('../escape.txt', 'no')).rejects.toThrow(/outside/);
  });

  test('spawns the real node with merged stdout and stderr in pty line endings, and its exit code', async () => {
    const instance = await boot();
    const child = await instance.spawn('node', ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    const [text, code] = await Promise.all([readAll(child), child.exit]);
    expect(code).toBe(3);
    expect(text).toContain('out\r\n');
    expect(text).toContain('err\r\n');
  });

  test('an unknown command fails like the WebContainer shell', async () => {
    const instance = await boot();
    const child = await instance.spawn('python3', ['-V']);
    expect(await child.exit).toBe(127);
    expect(await readAll(child)).toContain('command not found');
  });

  test('only one live instance: a second boot throws until the first is torn down', async () => {
    const first = await boot();
    await expect(fake.boot({ coep: 'require-corp' })).rejects.toThrow(/Unable to create more instances/);
    first.teardown();
    const second = await fake.boot({ coep: 'require-corp' });
    expect(second).not.toBe(first);
    expect(fake.boots).toHaveLength(3);
  });

  test('kill ends a busy loop, unless the ignoreKill fault is set; teardown always ends it and removes the folder', async () => {
    const instance = await boot({ ignoreKill: 'spin' });
    const killable = await instance.spawn('node', ['-e', 'for(;;){}']);
    killable.kill();
    expect(await killable.exit).not.toBe(0);

    const stubborn = await instance.spawn('node', ['-e', 'for(;;){}', 'spin']);
    stubborn.kill();
    const settled = await Promise.race([stubborn.exit.then(() => 'exited'), new Promise((r) => setTimeout(r, 500, 'running'))]);
    expect(settled).toBe('running');
    instance.teardown();
    expect(await stubborn.exit).not.toBe(0);
    await Promise.all(fake.pending);
    expect(existsSync(instance.root)).toBe(false);
  });

  test('the failInstall fault makes npm install fail with an npm error, without running npm', async () => {
    const instance = await boot({ failInstall: true });
    const install = await instance.spawn('npm', ['install']);
    expect(await install.exit).toBe(1);
    expect(await readAll(install)).toMatch(/npm error/);
  });

  test('bootNeverSettles: boot stays pending', async () => {
    fake = new FakeWebContainer({ bootNeverSettles: true });
    const settled = await Promise.race([
      fake.boot({ coep: 'require-corp' }).then(() => 'booted'),
      new Promise((r) => setTimeout(r, 200, 'pending')),
    ]);
    expect(settled).toBe('pending');
    expect(fake.boots).toEqual([{ coep: 'require-corp' }]);
  });

  test('server-ready fires with the port when a spawned process listens', async () => {
    const instance = await boot();
    const ready = new Promise<{ port: number; url: string }>((resolve) =>
      instance.on('server-ready', (port, url) => resolve({ port, url })),
    );
    const server = await instance.spawn('node', [
      '-e',
      'require("node:http").createServer((q, s) => s.end("hi")).listen(0, () => console.log("listening"))',
    ]);
    const { port, url } = await ready;
    expect(url).toBe(`http://localhost:${port}`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hi');
    server.kill();
    await server.exit;
  });
});
