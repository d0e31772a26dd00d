/**
 * The in-app syntax check (DESIGN.md §2, §7): run on every written file, the same in every sandbox and with
 * no sandbox at all. @babel/parser for JS/TS/JSX/TSX, a JSON scanner for `.json`; other files have no check.
 *
 * Positions: `line` is 1-based and `column` is 1-based (as editors and Node's stack traces show them), both
 * counted in UTF-16 code units. `message` is the bare reason; `formatSyntaxIssue` gives
 * `file:line:column: message`.
 */
import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';
import type { SyntaxIssue } from './types.ts';

/** Enough to fix a file; a file with more errors than this is usually one early mistake repeated. */
export const MAX_ISSUES_PER_FILE = 10;

type Language = { sourceType: 'module' | 'script'; plugins: ParserPlugin[] };

/**
 * How each extension is parsed. `.cjs` is a CommonJS script (Node wraps it in a function, so a top-level
 * `return` is legal); every other JS flavour is an ES module, as DESIGN.md §1 asks of generated code.
 * `.cts` is parsed as a module: TypeScript lets CommonJS files use `import`/`export`, and `stripTypes` turns
 * them into `require`.
 */
function languageOf(path: string): Language | 'json' | null {
  const extension = /\.[^./]+$/.exec(path)?.[0] ?? '';
  switch (extension) {
    case '.js':
    case '.mjs':
      return { sourceType: 'module', plugins: [] };
    case '.cjs':
      return { sourceType: 'script', plugins: [] };
    case '.jsx':
      return { sourceType: 'module', plugins: ['jsx'] };
    case '.ts':
    case '.mts':
    case '.cts':
      return { sourceType: 'module', plugins: ['typescript'] };
    case '.tsx':
      return { sourceType: 'module', plugins: ['typescript', 'jsx'] };
    case '.json':
      return 'json';
    default:
      return null;
  }
}

/** Whether the in-app check has anything to say about this path. */
export function isCheckedBySyntax(path: string): boolean {
  return languageOf(path) !== null;
}

interface BabelErrorLike {
  message: string;
  loc?: { line: number; column: number };
}

function issueFromBabel(file: string, error: BabelErrorLike): SyntaxIssue {
  // Babel appends "(line:column)" to its messages; the position is carried by the fields instead.
  const message = error.message.replace(/\s*\(\d+:\d+\)$/, '');
  if (!error.loc) return { file, message };
  return { file, line: error.loc.line, column: error.loc.column + 1, message };
}

function checkWithBabel(path: string, content: string, language: Language): SyntaxIssue[] {
  const options: ParserOptions = {
    sourceType: language.sourceType,
    plugins: language.plugins,
    // Collects the early errors Node also rejects (redeclarations, bad assignments, …) instead of stopping
    // at the first one, so the model can fix several at once.
    errorRecovery: true,
    allowReturnOutsideFunction: language.sourceType === 'script',
    attachComment: false,
  };
  try {
    const ast = parse(content, options);
    return (ast.errors ?? []).slice(0, MAX_ISSUES_PER_FILE).map((error) => issueFromBabel(path, error));
  } catch (error) {
    if (error instanceof SyntaxError) return [issueFromBabel(path, error as BabelErrorLike)];
    throw error;
  }
}

/**
 * Where a text stops being JSON (RFC 8259, as `JSON.parse` reads it), or null when it is valid JSON.
 * Iterative, so deep nesting cannot overflow the stack. Used only after `JSON.parse` failed.
 */
export function jsonErrorOffset(text: string): { offset: number; reason: string } | null {
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const fail = (reason: string, offset = i) => ({ offset: Math.min(offset, n), reason });
  const skipSpace = () => {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const scanString = (): { offset: number; reason: string } | null => {
    i++;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i++;
        return null;
      }
      if (code < 0x20) return fail('Bad control character in string literal');
      if (code === 92) {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('Bad Unicode escape in string literal');
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          i += 2;
        } else {
          return fail('Bad escaped character in string literal', i + 1);
        }
      } else {
        i++;
      }
    }
    return fail('Unterminated string');
  };
  const scanDigits = (): boolean => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    return i > start;
  };
  const scanNumber = (): { offset: number; reason: string } | null => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!scanDigits()) return fail('No number after minus sign');
    if (text[i] === '.') {
      i++;
      if (!scanDigits()) return fail('Unterminated fractional number');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!scanDigits()) return fail('Exponent part is missing a number');
    }
    return null;
  };
  for (;;) {
    skipSpace();
    if (state === 'key') {
      if (text[i] !== '"') return fail(i >= n ? 'Unexpected end of input' : "Expected double-quoted property name");
      const error = scanString();
      if (error) return error;
      skipSpace();
      if (text[i] !== ':') return fail(i >= n ? 'Unexpected end of input' : "Expected ':' after property name");
      i++;
      state = 'value';
    } else if (state === 'value') {
      const char = text[i];
      if (char === undefined) return fail('Unexpected end of input');
      if (char === '{' || char === '[') {
        i++;
        skipSpace();
        if (text[i] === (char === '{' ? '}' : ']')) {
          i++;
          state = 'after';
        } else {
          stack.push(char);
          state = char === '{' ? 'key' : 'value';
        }
      } else if (char === '"') {
        const error = scanString();
        if (error) return error;
        state = 'after';
      } else if (char === '-' || (char >= '0' && char <= '9')) {
        const error = scanNumber();
        if (error) return error;
        state = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (!literal) return fail(`Unexpected token '${char}'`);
        i += literal.length;
        state = 'after';
      }
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail('Unexpected non-whitespace character after JSON') : null;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else if (i >= n) {
        return fail('Unexpected end of input');
      } else {
        return fail(top === '{' ? "Expected ',' or '}' after property value" : "Expected ',' or ']' after array element");
      }
    }
  }
}

function lineAndColumn(content: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < content.length; i++) {
    if (content.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function checkJson(path: string, content: string): SyntaxIssue[] {
  try {
    JSON.parse(content);
    return [];
  } catch (error) {
    // The engine decides validity; its messages differ between engines and often omit the position, so the
    // position (and a stable reason) come from our own scanner.
    const found = jsonErrorOffset(content);
    const engineMessage = error instanceof Error ? error.message : String(error);
    if (!found) return [{ file: path, message: `Invalid JSON: ${engineMessage}` }];
    return [{ file: path, ...lineAndColumn(content, found.offset), message: `Invalid JSON: ${found.reason}` }];
  }
}

/** The syntax errors of one file by the in-app parser; `[]` when it parses or is not a checked kind. */
export function checkSyntaxInApp(path: string, content: string): SyntaxIssue[] {
  const language = languageOf(path);
  if (language === null) return [];
  if (language === 'json') return checkJson(path, content);
  return checkWithBabel(path, content, language);
}

/** `file:line:column: message` (the parts that are known). */
export function formatSyntaxIssue(issue: SyntaxIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  return `${where}: ${issue.message}`;
}
