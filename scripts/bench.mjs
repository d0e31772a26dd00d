#!/usr/bin/env node
/**
 * `npm run bench`: bundles the benchmarks (`bench/main.ts`, TypeScript) with Rolldown into one ES module
 * under node_modules/.cache (packages stay external, resolved from the project), then runs it with plain
 * Node. Bundling runs the same source the app ships, with no TypeScript loader in the measured process.
 * Options: `npm run bench -- --help`. Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { rolldown } from 'rolldown';

const root = process.cwd();
if (!existsSync(join(root, 'bench', 'main.ts'))) {
  console.error('Run `npm run bench` from the project root.');
  process.exit(1);
}
const outFile = join(root, 'node_modules', '.cache', 'l2mac-bench', 'bench.mjs');

/** Packages (bare specifiers) and Node built-ins stay imports; the project's own files are bundled. */
const external = (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');

const bundle = await rolldown({ input: join(root, 'bench', 'main.ts'), platform: 'node', external, logLevel: 'warn' });
await bundle.write({ file: outFile, format: 'esm', sourcemap: true });
await bundle.close();

const result = spawnSync(process.execPath, ['--enable-source-maps', outFile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
