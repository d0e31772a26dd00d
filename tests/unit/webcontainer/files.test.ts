import { describe, expect, test } from 'vitest';
import { containerContent, dependencyFingerprint, toFileTree } from '../../../src/sandbox/webcontainer-files.ts';

describe('dependency fingerprint (npm install only when it changes)', () => {
  test('no package.json, or one without dependencies: nothing to install', () => {
    expect(dependencyFingerprint(undefined)).toBeNull();
    expect(dependencyFingerprint('{ "type": "module", "scripts": { "test": "node --test" } }')).toBeNull();
    expect(dependencyFingerprint('{ "dependencies": {}, "devDependencies": {} }')).toBeNull();
  });

  test('only dependencies and devDependencies count, in any key order', () => {
    const a = dependencyFingerprint('{ "name": "a", "dependencies": { "x": "^1", "y": "^2" } }');
    const b = dependencyFingerprint('{ "version": "2.0.0", "dependencies": { "y": "^2", "x": "^1" }, "scripts": {} }');
    expect(a).not.toBeNull();
    expect(a).toBe(b);
    expect(dependencyFingerprint('{ "dependencies": { "x": "^1", "y": "^3" } }')).not.toBe(a);
    expect(dependencyFingerprint('{ "dependencies": { "x": "^1", "y": "^2" }, "devDependencies": { "z": "1" } }')).not.toBe(a);
  });

  test('an unparseable package.json still installs, so npm can say what is wrong', () => {
    const broken = dependencyFingerprint('{ "dependencies": ');
    expect(broken).not.toBeNull();
    expect(dependencyFingerprint('{ "dependencies": ')).toBe(broken);
  });
});

describe('file tree for mount', () => {
  test('nests folders and keeps contents', () => {
    const tree = toFileTree(new Map([['a.js', 'A'], ['src/lib/b.js', 'B'], ['src/c.js', 'C']]));
    expect(tree).toEqual({
      'a.js': { file: { contents: 'A' } },
      src: { directory: { lib: { directory: { 'b.js': { file: { contents: 'B' } } } }, 'c.js': { file: { contents: 'C' } } } },
    });
  });
});

describe('container content', () => {
  test('TS/JSX is stripped; other files and unparseable TS go in as written', () => {
    expect(containerContent('a.ts', 'export const x: number = 1;\n')).not.toContain(': number');
    expect(containerContent('a.js', 'const x: number = 1;')).toBe('const x: number = 1;');
    expect(containerContent('README.md', '# hi')).toBe('# hi');
    expect(containerContent('bad.ts', 'export const = ;')).toBe('export const = ;');
  });
});
