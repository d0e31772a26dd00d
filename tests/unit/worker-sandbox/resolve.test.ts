import { describe, expect, test } from 'vitest';
import { lookupBuiltin } from '../../../src/sandbox/worker-runtime/builtins/catalog.ts';
import { resolveSpecifier } from '../../../src/sandbox/worker-runtime/prepare/resolve.ts';

const files = new Set(['src/a.js', 'src/b.ts', 'src/lib/index.js', 'src/util/format.js', 'data/config.json', 'top.mjs', 'sp ace/x.js']);
const resolve = (specifier: string, importer = 'src/a.js') => resolveSpecifier(specifier, importer, files);

describe('resolving specifiers like Node resolves ES modules', () => {
  test('relative and absolute paths name an existing file exactly', () => {
    expect(resolve('./util/format.js')).toEqual({ kind: 'file', path: 'src/util/format.js' });
    expect(resolve('../top.mjs')).toEqual({ kind: 'file', path: 'top.mjs' });
    expect(resolve('./b.ts')).toEqual({ kind: 'file', path: 'src/b.ts' });
    expect(resolve('/project/src/b.ts')).toEqual({ kind: 'file', path: 'src/b.ts' });
    expect(resolve('file:///project/top.mjs')).toEqual({ kind: 'file', path: 'top.mjs' });
    expect(resolve('../sp%20ace/x.js')).toEqual({ kind: 'file', path: 'sp ace/x.js' });
    expect(resolve('./a.js?v=1#frag')).toEqual({ kind: 'file', path: 'src/a.js' });
  });

  test('no extension search and no index files: not found, with a hint', () => {
    const missing = resolve('./util/format');
    expect(missing).toMatchObject({ kind: 'error', code: 'ERR_MODULE_NOT_FOUND' });
    expect(missing.kind === 'error' && missing.message).toMatch(/Cannot find module '\/project\/src\/util\/format' imported from \/project\/src\/a\.js/);
    expect(missing.kind === 'error' && missing.message).toMatch(/format\.js/);
    expect(resolve('./b.js')).toMatchObject({ kind: 'error', code: 'ERR_MODULE_NOT_FOUND' });
  });

  test('a directory is not a module', () => {
    const directory = resolve('./lib');
    expect(directory).toMatchObject({ kind: 'error', code: 'ERR_UNSUPPORTED_DIR_IMPORT' });
    expect(directory.kind === 'error' && directory.message).toMatch(/Did you mean to import "\.\/lib\/index\.js"/);
    expect(resolve('./lib/')).toMatchObject({ kind: 'error', code: 'ERR_UNSUPPORTED_DIR_IMPORT' });
    expect(resolve('../..')).toMatchObject({ kind: 'error' });
  });

  test('paths outside the project are not found', () => {
    expect(resolve('../../etc/passwd')).toMatchObject({ kind: 'error', code: 'ERR_MODULE_NOT_FOUND' });
    expect(resolve('/etc/passwd')).toMatchObject({ kind: 'error', code: 'ERR_MODULE_NOT_FOUND' });
  });

  test('built-ins: shimmed, needing the full sandbox, or unknown', () => {
    expect(resolve('node:test')).toEqual({ kind: 'builtin', name: 'node:test' });
    expect(resolve('assert/strict')).toEqual({ kind: 'builtin', name: 'node:assert/strict' });
    expect(resolve('path')).toEqual({ kind: 'builtin', name: 'node:path' });
    expect(resolve('node:fs')).toEqual({ kind: 'unsupported', reason: 'node:fs (the file system)' });
    expect(resolve('child_process')).toEqual({ kind: 'unsupported', reason: 'node:child_process (processes)' });
    expect(resolve('node:http')).toEqual({ kind: 'unsupported', reason: 'node:http (the network)' });
    expect(resolve('node:nope')).toMatchObject({ kind: 'error', code: 'ERR_UNKNOWN_BUILTIN_MODULE' });
    // `test` is only a built-in with the node: prefix.
    expect(resolve('test')).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/package 'test'/) });
    expect(lookupBuiltin('sys')).toEqual({ kind: 'shimmed', name: 'node:util' });
  });

  test('packages and URLs need the full sandbox or fail like Node', () => {
    expect(resolve('lodash/fp.js')).toEqual({ kind: 'unsupported', reason: "the package 'lodash' (imported by src/a.js)" });
    expect(resolve('@scope/pkg/sub')).toEqual({ kind: 'unsupported', reason: "the package '@scope/pkg' (imported by src/a.js)" });
    expect(resolve('#internal')).toMatchObject({ kind: 'unsupported' });
    expect(resolve('https://esm.sh/x')).toEqual({ kind: 'unsupported', reason: 'the network (import of https://esm.sh/x)' });
    expect(resolve('data:text/javascript,1')).toEqual({ kind: 'unsupported', reason: 'a data: URL import' });
    expect(resolve('ftp://host/x.js')).toMatchObject({ kind: 'error', code: 'ERR_UNSUPPORTED_ESM_URL_SCHEME' });
  });
});
