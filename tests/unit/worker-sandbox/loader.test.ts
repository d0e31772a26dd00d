import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ProjectPreparer } from '../../../src/sandbox/worker-runtime/host/project.ts';
import { ModuleLoader, type ModuleFunction } from '../../../src/sandbox/worker-runtime/loader.ts';

const scratch = mkdtempSync(join(tmpdir(), 'l2mac-loader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function loader(files: Record<string, string>, builtins: Record<string, Record<string, unknown>> = {}) {
  const project = new ProjectPreparer().prepare(new Map(Object.entries({ 'package.json': '{"type":"module"}', ...files })));
  return new ModuleLoader(project, {
    compile: async (module) =>
      ((await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(module.code).toString('base64')}`)) as { default: ModuleFunction }).default,
    builtin: (name) => {
      const exports = builtins[name];
      if (!exports) throw new Error(`no builtin ${name} in this test`);
      return exports;
    },
  });
}

/** What real Node logs for the same files (each module pushes to `globalThis.log`). */
function nodeLog(files: Record<string, string>, entry: string): string[] {
  const root = mkdtempSync(join(scratch, 'p-'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  writeFileSync(join(root, 'run.mjs'), `globalThis.log = [];\ntry { await import('./${entry}'); } catch (e) { log.push('error ' + e.message); }\nconsole.log(JSON.stringify(log));\n`);
  return JSON.parse(execFileSync(process.execPath, [join(root, 'run.mjs')], { encoding: 'utf8' })) as string[];
}

async function workerLog(files: Record<string, string>, entry: string): Promise<string[]> {
  const log: string[] = [];
  (globalThis as { log?: string[] }).log = log;
  try {
    await loader(files).importFile(entry);
  } catch (error) {
    log.push(`error ${(error as Error).message}`);
  }
  return log;
}

describe('module loader: evaluation order and errors as in Node', () => {
  const orderProjects: Record<string, Record<string, string>> = {
    'depth first, in request order, each module once': {
      'main.js': "import './a.js';\nimport './b.js';\nlog.push('main');\n",
      'a.js': "import './c.js';\nlog.push('a');\n",
      'b.js': "import './c.js';\nimport './a.js';\nlog.push('b');\n",
      'c.js': "log.push('c');\n",
    },
    'a cycle evaluates the module reached last first': {
      'main.js': "import './a.js';\nlog.push('main');\n",
      'a.js': "import './b.js';\nlog.push('a');\nexport const a = 1;\n",
      'b.js': "import { a } from './a.js';\nlog.push('b sees ' + (() => { try { return a; } catch (e) { return e.constructor.name; } })());\n",
    },
    'top-level await: importers wait': {
      'main.js': "import './slow.js';\nimport './fast.js';\nlog.push('main');\n",
      'slow.js': "log.push('slow start');\nawait new Promise((r) => setTimeout(r, 10));\nlog.push('slow end');\n",
      'fast.js': "log.push('fast');\n",
    },
    'an error stops the graph and is thrown again to later importers': {
      'main.js': "import './ok.js';\nimport './bad.js';\nlog.push('main never');\n",
      'ok.js': "log.push('ok');\n",
      'bad.js': "log.push('bad');\nthrow new Error('bad module');\n",
    },
  };
  for (const [name, files] of Object.entries(orderProjects)) {
    test(name, async () => {
      expect(await workerLog(files, 'main.js')).toEqual(nodeLog(files, 'main.js'));
    });
  }

  test('a module that threw stays errored: importing it again throws the same error', async () => {
    const modules = loader({ 'bad.js': "globalThis.count = (globalThis.count ?? 0) + 1;\nthrow new Error('once');\n" });
    (globalThis as { count?: number }).count = 0;
    await expect(modules.importFile('bad.js')).rejects.toThrow('once');
    await expect(modules.importFile('bad.js')).rejects.toThrow('once');
    expect((globalThis as { count?: number }).count).toBe(1);
  });

  test('a missing export is a SyntaxError with Node’s message, before anything runs', async () => {
    (globalThis as { ran?: boolean }).ran = false;
    const error = await loader({ 'main.js': "import { nope } from './lib.js';\n", 'lib.js': 'globalThis.ran = true;\nexport const yes = 1;\n' })
      .importFile('main.js')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toBe("The requested module './lib.js' does not provide an export named 'nope'");
    expect((globalThis as { ran?: boolean }).ran).toBe(false);
  });

  test('an ambiguous star export cannot be imported by name', async () => {
    const files = { 'main.js': "import { x } from './stars.js';\n", 'stars.js': "export * from './a.js';\nexport * from './b.js';\n", 'a.js': 'export const x = 1;\n', 'b.js': 'export const x = 2;\n' };
    await expect(loader(files).importFile('main.js')).rejects.toThrow("contains conflicting star exports for name 'x'");
  });

  test('a JSON module needs its import attribute; other extensions are unknown', async () => {
    await expect(loader({ 'main.js': "import d from './d.json';\n", 'd.json': '{}' }).importFile('main.js')).rejects.toMatchObject({
      code: 'ERR_IMPORT_ASSERTION_TYPE_MISSING',
    });
    await expect(loader({ 'main.js': "import t from './t.txt';\n", 't.txt': 'x' }).importFile('main.js')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_FILE_EXTENSION' });
  });

  test('packages and unsupported built-ins are refused as needing the full sandbox, also in import()', async () => {
    await expect(loader({ 'main.js': "import 'left-pad';\n" }).importFile('main.js')).rejects.toMatchObject({ unsupported: expect.stringMatching(/left-pad/) });
    const dynamic = loader({ 'main.js': "export const load = () => import('node:' + 'fs');\n" });
    const namespace = (await dynamic.importFile('main.js')) as { load: () => Promise<unknown> };
    await expect(namespace.load()).rejects.toMatchObject({ unsupported: 'node:fs (the file system)' });
  });

  test('built-in namespaces have the shim’s exports', async () => {
    const modules = loader({ 'main.js': "import def, { named } from 'node:path';\nimport * as ns from 'node:path';\nexport default [def, named, ns];\n" }, {
      'node:path': { default: 'the default', named: 'a named export' },
    });
    const { default: values } = (await modules.importFile('main.js')) as { default: [string, string, object] };
    expect(values.slice(0, 2)).toEqual(['the default', 'a named export']);
    expect(Object.keys(values[2])).toEqual(['default', 'named']);
  });
});
