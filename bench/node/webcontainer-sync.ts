/**
 * Figure 6 for the WebContainer adapter: the same control-unit run as `measureSync`, with the adapter over
 * the fake WebContainer of `tests/support/` (real Node behind the WebContainer API). Besides what the
 * control unit hands to `sync`, it counts what the adapter actually writes into the container (`mount`
 * and `fs.writeFile`), attributed to the control unit's sync that preceded it.
 */
import type { WcBootOptions, WcClass, WcFileTree, WcInstance } from '../../src/sandbox/webcontainer-api.ts';
import { WebContainerBootLock } from '../../src/sandbox/webcontainer-boot.ts';
import { WebContainerSandbox } from '../../src/sandbox/webcontainer.ts';
import { FakeWebContainer } from '../../tests/support/fake-webcontainer.ts';
import { CountingSandbox } from '../core/sandboxes.ts';
import { measureSync, type SyncResult } from '../core/sync-bench.ts';

const encoder = new TextEncoder();

/** The adapter's own helper scripts and lists live here, apart from the project's files. */
const HELPER_DIR = '.l2mac/';

export interface ContainerWrites {
  /** Index of the control unit's sync these writes followed (1 = the first). */
  afterSync: number;
  /** Project files written (mounted or `writeFile`). */
  files: number;
  bytes: number;
  /** The adapter's helper files (scripts, file lists) written with them. */
  helperFiles: number;
  helperBytes: number;
  paths: string[];
}

function treeEntries(tree: WcFileTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([name, entry]) =>
    'directory' in entry ? treeEntries(entry.directory, `${prefix}${name}/`) : [[`${prefix}${name}`, entry.file.contents] as [string, string]],
  );
}

/** The fake's class, with every write into a booted container counted. */
function countingClass(fake: FakeWebContainer, syncsSoFar: () => number, writes: ContainerWrites[]): WcClass {
  const record = (path: string, content: string) => {
    const afterSync = syncsSoFar();
    let last = writes.at(-1);
    if (last?.afterSync !== afterSync) {
      last = { afterSync, files: 0, bytes: 0, helperFiles: 0, helperBytes: 0, paths: [] };
      writes.push(last);
    }
    const bytes = encoder.encode(content).length;
    const normalized = path.replace(/^\.\//, '');
    if (normalized.startsWith(HELPER_DIR)) {
      last.helperFiles++;
      last.helperBytes += bytes;
    } else {
      last.files++;
      last.bytes += bytes;
    }
    last.paths.push(normalized);
  };
  return {
    async boot(options: WcBootOptions): Promise<WcInstance> {
      const instance = await fake.boot(options);
      const fs = {
        ...instance.fs,
        writeFile: (path: string, data: string) => {
          record(path, data);
          return instance.fs.writeFile(path, data);
        },
      };
      return {
        fs,
        mount: (tree: WcFileTree) => {
          for (const [path, content] of treeEntries(tree)) record(path, content);
          return instance.mount(tree);
        },
        spawn: (command, args, spawnOptions) => instance.spawn(command, args, spawnOptions),
        on: (event, listener) => instance.on(event, listener),
        teardown: () => instance.teardown(),
      };
    },
  };
}

export interface WebContainerSyncResult extends SyncResult {
  containerWrites: ContainerWrites[];
}

export async function measureWebContainerSync(files = 500): Promise<WebContainerSyncResult> {
  const fake = new FakeWebContainer();
  const writes: ContainerWrites[] = [];
  let counting: CountingSandbox | null = null;
  const sandbox = new WebContainerSandbox({
    bootLock: new WebContainerBootLock(),
    loadClass: async () => countingClass(fake, () => counting?.syncs.length ?? 0, writes),
    environment: { crossOriginIsolated: true, hasSharedArrayBuffer: true, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0', platform: 'Linux x86_64', maxTouchPoints: 0 },
    coep: 'require-corp',
    bootTimeoutMs: 30_000,
  });
  try {
    const result = await measureSync(sandbox, {
      files,
      onCounting: (wrapped) => {
        counting = wrapped;
      },
    });
    return { ...result, containerWrites: writes };
  } finally {
    await sandbox.dispose();
    await fake.dispose();
  }
}
