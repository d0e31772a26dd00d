/**
 * Small Node programs that every Node-based sandbox (the Node sandbox of the tests, the WebContainer adapter)
 * writes next to the project and runs, with the exact command lines to run them (DESIGN.md §7). They have no
 * dependencies and work on Node 20 and newer.
 *
 * 1. The syntax checker (`l2mac-check-syntax.mjs`): checks many `.js/.mjs/.cjs` files in ONE Node process,
 *    because Node is the final judge of what Node accepts. ES modules are compiled with
 *    `vm.SourceTextModule` (hence `--experimental-vm-modules`), CommonJS with `vm.compileFunction` and the
 *    parameters of Node's module wrapper; a `.js` file follows the nearest `package.json` `type`, and without
 *    one Node's syntax detection (CommonJS first, then ES module). Nothing is executed. V8 does not tell
 *    `vm.SourceTextModule` callers where a module's error is, so only for a module that fails the checker
 *    asks `node --check <file>` for the position. It prints one line:
 *    `L2MAC_SYNTAX_RESULT {"issues":[{file,line,column,message}]}` (1-based line and column), and exits 0.
 *    Read it back with `parseSyntaxCheckOutput` (stdout and stderr may arrive merged).
 * 2. The module-format hooks (`l2mac-register.mjs` + `l2mac-loader.mjs`), preloaded with `--import`: Node 20
 *    refuses `.ts/.mts/.tsx/.jsx` ("Unknown file extension"); the sandbox has already replaced their content
 *    with stripped JavaScript (`stripTypes`), and the hooks make Node load them as ES modules (`.cts` as
 *    CommonJS). `node --test` passes `--import` on to the process of every test file.
 */
import type { SyntaxIssue } from './types.ts';

export const SCRIPT_NAMES = {
  syntaxCheck: 'l2mac-check-syntax.mjs',
  register: 'l2mac-register.mjs',
  loader: 'l2mac-loader.mjs',
} as const;

/** The marker of the checker's result line. */
export const SYNTAX_RESULT_MARKER = 'L2MAC_SYNTAX_RESULT ';

export const SYNTAX_CHECK_SCRIPT = `// Written by L2MAC Web: checks the syntax of the files named on the command line with this Node.
// Usage: node --experimental-vm-modules --no-warnings l2mac-check-syntax.mjs [--files-from=list.json] <file>...
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

const MARKER = ${JSON.stringify(SYNTAX_RESULT_MARKER)};
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];
const packageTypes = new Map();

async function packageType(dir) {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type;
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    type = parsed && typeof parsed.type === 'string' ? parsed.type : 'none';
  } catch (error) {
    type = error && error.code === 'ENOENT' ? undefined : 'none';
  }
  if (type === undefined) type = dirname(dir) === dir ? 'none' : await packageType(dirname(dir));
  packageTypes.set(dir, type);
  return type;
}

/** Node >= 20.19 and >= 22.7 run a typeless .js file as an ES module when it does not parse as CommonJS. */
function detectsModuleSyntax() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 7) || major >= 23;
}

/** { line, column, message } from a decorated SyntaxError ("file:LINE\\\\nsource\\\\n   ^^^\\\\n\\\\nSyntaxError: ..."). */
function position(text) {
  const lines = String(text).split('\\n');
  const messageLine = lines.find((line) => /^SyntaxError: /.test(line));
  const message = messageLine ? messageLine.replace(/^SyntaxError: /, '') : lines[0] || 'Syntax error';
  const header = /:(\\d+)$/.exec(lines[0] || '');
  const caret = lines.findIndex((line) => /^[\\s]*\\^/.test(line));
  if (!header || caret < 1) return { message };
  return { line: Number(header[1]), column: lines[caret].indexOf('^') + 1, message };
}

function compileModule(code, file) {
  if (typeof vm.SourceTextModule !== 'function') return 'unavailable';
  try {
    new vm.SourceTextModule(code, { identifier: pathToFileURL(resolve(file)).href });
    return null;
  } catch (error) {
    return error;
  }
}

function compileCommonJs(code, file) {
  try {
    vm.compileFunction(code, WRAPPER_PARAMETERS, { filename: resolve(file) });
    return null;
  } catch (error) {
    return error;
  }
}

/** Where Node's own --check puts a module's error (V8 gives vm callers no position for modules). */
function checkWithNode(file) {
  return new Promise((done) => {
    execFile(process.execPath, ['--no-warnings', '--check', resolve(file)], (error, stdout, stderr) => {
      done(error ? position(String(stderr)) : null);
    });
  });
}

async function checkFile(file) {
  let code;
  try {
    code = await readFile(file, 'utf8');
  } catch (error) {
    return { file, message: 'cannot read the file: ' + (error && error.message) };
  }
  const type = file.endsWith('.mjs') ? 'module' : file.endsWith('.cjs') ? 'commonjs' : await packageType(dirname(resolve(file)));
  let moduleError = null;
  if (type !== 'module') {
    const error = compileCommonJs(code, file);
    if (!error) return null;
    if (type === 'commonjs' || !detectsModuleSyntax()) return { file, ...position(error.stack) };
  }
  moduleError = compileModule(code, file);
  if (moduleError === 'unavailable') moduleError = await checkWithNode(file);
  else if (moduleError) {
    // Node's --check may judge the file differently (a typeless .js as CommonJS): keep its position only
    // when it reports the same error.
    const own = position(moduleError.stack);
    const fromNode = await checkWithNode(file);
    moduleError = fromNode && fromNode.message === own.message ? fromNode : own;
  }
  return moduleError ? { file, ...moduleError } : null;
}

const files = [];
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--files-from=')) files.push(...JSON.parse(await readFile(arg.slice('--files-from='.length), 'utf8')));
  else files.push(arg);
}
const issues = [];
for (const file of files) {
  const issue = await checkFile(file);
  if (issue) issues.push(issue);
}
process.stdout.write(MARKER + JSON.stringify({ issues }) + '\\n');
`;

export const HOOKS_REGISTER_SCRIPT = `// Written by L2MAC Web: preloaded with --import so that Node loads stripped TS/JSX files.
import { register } from 'node:module';
register('./${SCRIPT_NAMES.loader}', import.meta.url);
`;

export const HOOKS_LOADER_SCRIPT = `// Written by L2MAC Web: module-format hooks. The sandbox has already replaced the content of these files
// with plain JavaScript; Node only has to be told their format.
import { readFile } from 'node:fs/promises';

const AS_MODULE = /\\.(?:ts|mts|tsx|jsx)$/;
const AS_COMMONJS = /\\.cts$/;

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) {
    const { pathname } = new URL(url);
    if (AS_MODULE.test(pathname)) return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
    if (AS_COMMONJS.test(pathname)) return { format: 'commonjs', source: await readFile(new URL(url), 'utf8'), shortCircuit: true };
  }
  return nextLoad(url, context);
}
`;

export interface ScriptFile {
  path: string;
  content: string;
}

/** The scripts to write into `dir` (a folder outside the project's files, or a hidden one inside). */
export function nodeScriptFiles(dir: string): ScriptFile[] {
  const join = (name: string) => (dir === '' || dir === '.' ? name : `${dir.replace(/\/+$/, '')}/${name}`);
  return [
    { path: join(SCRIPT_NAMES.syntaxCheck), content: SYNTAX_CHECK_SCRIPT },
    { path: join(SCRIPT_NAMES.register), content: HOOKS_REGISTER_SCRIPT },
    { path: join(SCRIPT_NAMES.loader), content: HOOKS_LOADER_SCRIPT },
  ];
}

export interface NodeCommand {
  cmd: 'node';
  args: string[];
}

export interface ScriptLocation {
  /** Where `nodeScriptFiles` wrote the scripts: absolute, or relative to the working directory. */
  scriptDir: string;
}

/** A path Node reads as a file even when it starts with "-" or looks like a package name. */
function asFileArgument(path: string): string {
  return path.startsWith('/') || path.startsWith('./') || path.startsWith('../') ? path : `./${path}`;
}

function scriptPath(location: ScriptLocation, name: string): string {
  const dir = location.scriptDir.replace(/\/+$/, '');
  return asFileArgument(dir === '' || dir === '.' ? name : `${dir}/${name}`);
}

/** Whether a project needs the module-format hooks: any file that is stripped TS/JSX. */
export function needsFormatHooks(paths: Iterable<string>): boolean {
  for (const path of paths) if (/\.(?:[cm]?ts|tsx|jsx)$/.test(path)) return true;
  return false;
}

/**
 * `node --experimental-vm-modules --no-warnings <scriptDir>/l2mac-check-syntax.mjs ./a.js ./b.mjs …`, run
 * in the project's folder. With `filesFrom`, the list is read from that JSON file instead (for very long
 * lists); the caller writes it.
 */
export function syntaxCheckCommand(files: string[], location: ScriptLocation & { filesFrom?: string }): NodeCommand {
  const list = location.filesFrom ? [`--files-from=${location.filesFrom}`] : files.map(asFileArgument);
  return { cmd: 'node', args: ['--experimental-vm-modules', '--no-warnings', scriptPath(location, SCRIPT_NAMES.syntaxCheck), ...list] };
}

/**
 * `node [--import <scriptDir>/l2mac-register.mjs] --test --test-reporter=tap --test-timeout=<ms> ./a.test.js …`,
 * run in the project's folder; parse its output with `parseTap`. `hooks`: see `needsFormatHooks`.
 */
export function testCommand(files: string[], perFileTimeoutMs: number, location: ScriptLocation & { hooks: boolean }): NodeCommand {
  const hooks = location.hooks ? ['--import', scriptPath(location, SCRIPT_NAMES.register)] : [];
  const timeout = Math.max(1, Math.round(perFileTimeoutMs));
  return { cmd: 'node', args: [...hooks, '--test', '--test-reporter=tap', `--test-timeout=${timeout}`, ...files.map(asFileArgument)] };
}

/** `node [--import <scriptDir>/l2mac-register.mjs] ./file.js …args`, run in the project's folder. */
export function runFileCommand(path: string, args: string[], location: ScriptLocation & { hooks: boolean }): NodeCommand {
  const hooks = location.hooks ? ['--import', scriptPath(location, SCRIPT_NAMES.register)] : [];
  return { cmd: 'node', args: [...hooks, asFileArgument(path), ...args] };
}

/**
 * The issues of the checker's result line (file paths as given to it, without a leading "./"), or null
 * when the output holds no result line (the checker did not run or crashed; the output says why).
 */
export function parseSyntaxCheckOutput(output: string): SyntaxIssue[] | null {
  const line = output
    .split(/\r?\n/)
    .reverse()
    .find((text) => text.includes(SYNTAX_RESULT_MARKER));
  if (line === undefined) return null;
  try {
    const parsed = JSON.parse(line.slice(line.indexOf(SYNTAX_RESULT_MARKER) + SYNTAX_RESULT_MARKER.length)) as { issues?: unknown };
    if (!Array.isArray(parsed.issues)) return null;
    return parsed.issues.flatMap((raw): SyntaxIssue[] => {
      if (typeof raw !== 'object' || raw === null) return [];
      const item = raw as Record<string, unknown>;
      if (typeof item.file !== 'string' || typeof item.message !== 'string') return [];
      const issue: SyntaxIssue = { file: item.file.replace(/^\.\//, ''), message: item.message };
      if (typeof item.line === 'number') issue.line = item.line;
      if (typeof item.column === 'number') issue.column = item.column;
      return [issue];
    });
  } catch {
    return null;
  }
}
