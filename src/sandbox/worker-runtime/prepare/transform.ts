/**
 * Turns one generated ES module into a form the worker's loader can link in any graph, cycles included.
 *
 * Why not plain blob: modules: a blob: URL is fixed when it is created, so a module can only name modules
 * created before it; a cycle (a imports b imports a) cannot be written as blob: URLs. Instead each module
 * becomes a generator function (`export default function*(__l2m$){…}` in its own blob: module), in the spirit
 * of System.register:
 * - its imports are removed, and every reference to an imported binding becomes a read of the exporting
 *   module's namespace object (`__l2m$n0.x`), whose getters read the exporter's own variables: live
 *   bindings, and the exporter's TDZ errors, exactly as in Node;
 * - its exports become getters over its own variables, registered before the first `yield`: running the
 *   generator to that `yield` is "instantiation" (function declarations are hoisted and readable across a
 *   cycle before the body runs), resuming it is "evaluation";
 * - `import.meta` and `import()` go through the loader (`__l2m$.m`, `__l2m$.i`), never to the network.
 * Only ranges are replaced and no line breaks are added or removed, so the body keeps its line numbers
 * (the header sits on a line of its own); `positions.ts` maps columns back.
 */
import { parse } from '@babel/parser';
import { child, children, nameOf, patternNames, type AstNode } from './ast.ts';
import { analyzeScopes, type Reference } from './scope.ts';
import { MISSING_GLOBALS } from '../builtins/catalog.ts';
import { lineStarts, positionOf } from './positions.ts';
import type { ModuleRequest, TransformedModule } from '../protocol.ts';

const CTX = '__l2m$';
const COMMONJS_GLOBALS = new Set(['require', 'module', 'exports', '__dirname', '__filename']);
const DEFAULT_LOCAL = '__l2m$d';

interface Replacement {
  start: number;
  end: number;
  text: string;
}

interface ImportBinding {
  request: number;
  /** `*` for a namespace import. */
  imported: string;
}

const quote = (name: string): string => JSON.stringify(name);
const namespaceVar = (request: number): string => `${CTX}n${request}`;

function memberRead(request: number, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${namespaceVar(request)}.${name}` : `${namespaceVar(request)}[${quote(name)}]`;
}

/** Only the line breaks of a removed range, so that later lines keep their numbers. */
function blankKeepingLines(text: string): string {
  return text.replace(/[^\n\r\u2028\u2029]+/g, '');
}

/** The offset of the `(` that opens an anonymous function declaration's parameters. */
function parametersStart(code: string, from: number): number {
  const open = code.indexOf('(', from);
  return open === -1 ? from : open;
}

function isAnonymousFunctionOrClass(node: AstNode): boolean {
  return (
    ((node.type === 'FunctionExpression' || node.type === 'ClassExpression') && !child(node, 'id')) ||
    node.type === 'ArrowFunctionExpression'
  );
}

class ModuleTransform {
  private readonly replacements: Replacement[] = [];
  private readonly requests: ModuleRequest[] = [];
  private readonly bindings = new Map<string, ImportBinding>();
  private readonly exportGetters = new Map<string, string>();
  private readonly result: Omit<TransformedModule, 'code' | 'bodyOffset' | 'replacements' | 'callees' | 'source' | 'format' | 'async'> = {
    requests: this.requests,
    imports: [],
    localExports: [],
    indirectExports: [],
    starExports: [],
    dynamicSpecifiers: [],
    missingGlobals: [],
    looksCommonJs: false,
  };
  private anonymousDefaultFunction = false;
  private hasModuleSyntax = false;
  private readonly starts: number[];

  constructor(private readonly code: string) {
    this.starts = lineStarts(code);
  }

  private replace(start: number, end: number, text: string): void {
    this.replacements.push({ start, end, text });
  }

  private remove(node: AstNode): void {
    this.replace(node.start, node.end, blankKeepingLines(this.code.slice(node.start, node.end)));
  }

  private request(node: AstNode): number {
    const specifier = nameOf(child(node, 'source')) ?? '';
    const typeAttribute = children(node, 'attributes').find((attribute) => nameOf(child(attribute, 'key')) === 'type');
    const type = typeAttribute ? (nameOf(child(typeAttribute, 'value')) ?? undefined) : undefined;
    const existing = this.requests.findIndex((r) => r.specifier === specifier && r.type === type);
    if (existing !== -1) return existing;
    this.requests.push(type === undefined ? { specifier } : { specifier, type });
    return this.requests.length - 1;
  }

  private exportLocal(name: string, getterBody: string): void {
    this.exportGetters.set(name, getterBody);
    this.result.localExports.push(name);
  }

  private importDeclaration(node: AstNode): void {
    const request = this.request(node);
    for (const specifier of children(node, 'specifiers')) {
      const local = nameOf(child(specifier, 'local'))!;
      const imported =
        specifier.type === 'ImportNamespaceSpecifier' ? '*' : specifier.type === 'ImportDefaultSpecifier' ? 'default' : nameOf(child(specifier, 'imported'))!;
      this.bindings.set(local, { request, imported });
      if (imported !== '*') {
        const at = positionOf(this.starts, specifier.start);
        this.result.imports.push({ request, name: imported, line: at.line, column: at.column });
      }
    }
    this.remove(node);
  }

  /** A getter body for a local name that may itself be an imported binding (`import {a}; export {a}`). */
  private readLocal(name: string): string {
    const binding = this.bindings.get(name);
    if (!binding) return name;
    return binding.imported === '*' ? namespaceVar(binding.request) : memberRead(binding.request, binding.imported);
  }

  private exportNamed(node: AstNode): void {
    const declaration = child(node, 'declaration');
    if (declaration) {
      this.replace(node.start, declaration.start, '');
      const names =
        declaration.type === 'VariableDeclaration'
          ? children(declaration, 'declarations').flatMap((d) => patternNames(child(d, 'id')))
          : [nameOf(child(declaration, 'id'))!];
      for (const name of names) this.exportLocal(name, name);
      return;
    }
    const source = child(node, 'source');
    const request = source ? this.request(node) : -1;
    for (const specifier of children(node, 'specifiers')) {
      const exported = nameOf(child(specifier, 'exported'))!;
      if (specifier.type === 'ExportNamespaceSpecifier') {
        this.result.indirectExports.push({ name: exported, request, imported: '*' });
      } else if (source) {
        this.result.indirectExports.push({ name: exported, request, imported: nameOf(child(specifier, 'local'))! });
      } else {
        this.exportLocal(exported, this.readLocal(nameOf(child(specifier, 'local'))!));
      }
    }
    this.remove(node);
  }

  private exportDefault(node: AstNode): void {
    const declaration = child(node, 'declaration')!;
    const id = nameOf(child(declaration, 'id'));
    const isDeclaration = declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration';
    if (isDeclaration && id) {
      this.replace(node.start, declaration.start, '');
      this.exportLocal('default', id);
      return;
    }
    if (declaration.type === 'FunctionDeclaration') {
      // Hoisted like any function declaration; named "default" as Node names it.
      this.replace(node.start, declaration.start, '');
      const open = parametersStart(this.code, declaration.start);
      this.replace(open, open, ` ${DEFAULT_LOCAL}`);
      this.anonymousDefaultFunction = true;
      this.exportLocal('default', DEFAULT_LOCAL);
      return;
    }
    // `export default` up to the expression, keeping any parenthesis that opens the expression.
    const keyword = /^export(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n\r]*)*default/.exec(this.code.slice(node.start));
    const prefixEnd = keyword ? node.start + keyword[0].length : declaration.start;
    const hasSemicolon = !isDeclaration && this.code[node.end - 1] === ';';
    const expressionEnd = hasSemicolon ? node.end - 1 : node.end;
    if (declaration.type === 'ClassDeclaration' || isAnonymousFunctionOrClass(declaration)) {
      // A property named "default" gives the anonymous function or class the name Node gives it.
      this.replace(node.start, prefixEnd, `const ${DEFAULT_LOCAL}=({default:`);
      this.replace(expressionEnd, expressionEnd, '}).default');
    } else {
      this.replace(node.start, prefixEnd, `const ${DEFAULT_LOCAL}=`);
    }
    if (!hasSemicolon) this.replace(node.end, node.end, ';');
    this.exportLocal('default', DEFAULT_LOCAL);
  }

  private rewriteReference(reference: Reference): void {
    const binding = this.bindings.get(reference.name);
    if (!binding) return;
    let text = binding.imported === '*' ? namespaceVar(binding.request) : memberRead(binding.request, binding.imported);
    if (reference.callee && binding.imported !== '*') text = `(0,${text})`;
    if (reference.shorthand) text = `${reference.name}:${text}`;
    this.replace(reference.node.start, reference.node.end, text);
  }

  run(program: AstNode): TransformedModule {
    const interpreter = child(program, 'interpreter');
    if (interpreter) this.replace(interpreter.start, interpreter.end, '');
    for (const statement of children(program, 'body')) {
      if (/^(?:Import|Export\w*)Declaration$/.test(statement.type)) this.hasModuleSyntax = true;
      if (statement.type === 'ImportDeclaration') this.importDeclaration(statement);
      else if (statement.type === 'ExportNamedDeclaration') this.exportNamed(statement);
      else if (statement.type === 'ExportDefaultDeclaration') this.exportDefault(statement);
      else if (statement.type === 'ExportAllDeclaration') {
        this.result.starExports.push(this.request(statement));
        this.remove(statement);
      }
    }
    const scopes = analyzeScopes(program);
    const missing = new Set<string>();
    let commonJsGlobals = false;
    for (const reference of scopes.references) {
      if (reference.resolution === 'module') this.rewriteReference(reference);
      else if (reference.underTypeof) continue;
      else if (reference.name in MISSING_GLOBALS) missing.add(reference.name);
      else if (COMMONJS_GLOBALS.has(reference.name)) commonJsGlobals = true;
    }
    this.result.missingGlobals = [...missing];
    const moduleOnly = this.hasModuleSyntax || scopes.metaProperties.length > 0 || scopes.topLevelAwait;
    this.result.looksCommonJs = commonJsGlobals && !moduleOnly;
    for (const meta of scopes.metaProperties) {
      if (nameOf(child(meta, 'meta')) === 'import') this.replace(meta.start, meta.end, `${CTX}.m`);
    }
    for (const expression of scopes.dynamicImports) {
      this.replace(expression.start, expression.start + 'import'.length, `${CTX}.i`);
      const literal = nameOf(child(expression, 'source'));
      if (child(expression, 'source')?.type === 'StringLiteral' && literal !== null) this.result.dynamicSpecifiers.push(literal);
    }
    return this.emit(scopes.topLevelAwait);
  }

  private header(isAsync: boolean): string {
    const parts = [`export default ${isAsync ? 'async ' : ''}function*(${CTX}){`];
    if (this.requests.length > 0) {
      parts.push(`const ${this.requests.map((_, i) => `${namespaceVar(i)}=${CTX}.n(${i})`).join(',')};`);
    }
    const getters = [...this.exportGetters].map(([name, body]) => `${quote(name)}:()=>${body}`);
    parts.push(`${CTX}.e({${getters.join(',')}});`);
    if (this.anonymousDefaultFunction) {
      parts.push(`Object.defineProperty(${DEFAULT_LOCAL},"name",{value:"default",configurable:true});`);
    }
    parts.push('yield;\n');
    return parts.join('');
  }

  private emit(isAsync: boolean): TransformedModule {
    const sorted = [...this.replacements].sort((a, b) => a.start - b.start || a.end - b.end);
    const header = this.header(isAsync);
    const body: string[] = [];
    const replacements: number[] = [];
    const callees: number[] = [];
    let cursor = 0;
    let output = 0;
    for (const { start, end, text } of sorted) {
      body.push(this.code.slice(cursor, start));
      output += start - cursor;
      replacements.push(start, end, output, output + text.length);
      if (text.startsWith('(0,')) callees.push(output + text.length);
      body.push(text);
      output += text.length;
      cursor = end;
    }
    body.push(this.code.slice(cursor));
    return {
      format: 'esm',
      code: `${header}${body.join('')}\n}`,
      source: this.code,
      bodyOffset: header.length,
      replacements,
      callees,
      async: isAsync,
      ...this.result,
    };
  }
}

/** Transforms an ES module's source (plain JavaScript). Throws the parser's SyntaxError when it does not parse. */
export function transformModule(code: string): TransformedModule {
  const file = parse(code, { sourceType: 'module', createImportExpressions: true, attachComment: false }) as unknown as AstNode;
  return new ModuleTransform(code).run(child(file, 'program')!);
}

/** A JSON file as a module (`import data from './x.json' with { type: 'json' }`). */
export function jsonModule(text: string): TransformedModule {
  return {
    format: 'json',
    code: '',
    source: text,
    bodyOffset: 0,
    replacements: [],
    callees: [],
    async: false,
    requests: [],
    imports: [],
    localExports: ['default'],
    indirectExports: [],
    starExports: [],
    dynamicSpecifiers: [],
    missingGlobals: [],
    looksCommonJs: false,
  };
}
