/**
 * Which identifiers of a module refer to its module-scope bindings (its imports, above all) and which to
 * globals, with shadowing respected: the module transform rewrites references to imported bindings into
 * live reads of the exporting module's namespace, and must leave alone a parameter or local that happens
 * to share the name.
 *
 * Two passes over @babel/parser's AST: the first records every declaration in its scope (`var` hoisted to
 * the function, `let`/`const`/`class`/block functions to the block, parameters, catch parameters, names of
 * function and class expressions), the second resolves each reference against the scope chain.
 */
import { child, children, fieldsOf, isFunctionNode, patternNames, type AstNode } from './ast.ts';

interface Scope {
  parent: Scope | null;
  names: Set<string>;
  /** Function (or module) scopes receive `var` declarations. */
  hoists: boolean;
}

export interface Reference {
  node: AstNode;
  name: string;
  /** `{ name }`: the reference is the value of a shorthand property. */
  shorthand: boolean;
  /** The callee of a call or the tag of a tagged template: `this` must stay undefined. */
  callee: boolean;
  /** The operand of `typeof`: a missing global is not an error there. */
  underTypeof: boolean;
  /** Where it resolves: a module-scope binding, or nothing (a global). */
  resolution: 'module' | 'global';
}

export interface ScopeAnalysis {
  moduleNames: Set<string>;
  /** References that do not resolve to a function- or block-local binding, in source order. */
  references: Reference[];
  /** `import.meta` expressions. */
  metaProperties: AstNode[];
  /** `import(...)` expressions. */
  dynamicImports: AstNode[];
  /** `await` (or `for await`) outside any function: the module is async. */
  topLevelAwait: boolean;
}

type Visit = (node: AstNode, parent: AstNode | null, field: string, scope: Scope) => void;

class Analyzer {
  readonly scopes = new Map<AstNode, Scope>();
  readonly moduleScope: Scope = { parent: null, names: new Set(), hoists: true };
  readonly result: ScopeAnalysis;
  private declaring = true;
  private functionDepth = 0;

  constructor() {
    this.result = {
      moduleNames: this.moduleScope.names,
      references: [],
      metaProperties: [],
      dynamicImports: [],
      topLevelAwait: false,
    };
  }

  run(program: AstNode): void {
    this.declaring = true;
    this.visitAll(program, 'body', this.moduleScope);
    this.declaring = false;
    this.functionDepth = 0;
    this.visitAll(program, 'body', this.moduleScope);
  }

  private scopeFor(node: AstNode, parent: Scope, hoists: boolean): Scope {
    let scope = this.scopes.get(node);
    if (!scope) {
      scope = { parent, names: new Set(), hoists };
      this.scopes.set(node, scope);
    }
    return scope;
  }

  private declare(scope: Scope, names: string[], hoisted = false): void {
    if (!this.declaring) return;
    let target = scope;
    while (hoisted && !target.hoists && target.parent) target = target.parent;
    for (const name of names) target.names.add(name);
  }

  private visitAll(node: AstNode, field: string, scope: Scope): void {
    for (const item of children(node, field)) this.visit(item, node, field, scope);
    const single = child(node, field);
    if (single) this.visit(single, node, field, scope);
  }

  private visitChildren(node: AstNode, scope: Scope): void {
    for (const [field, item] of fieldsOf(node)) this.visit(item, node, field, scope);
  }

  /** The expressions inside a binding pattern (defaults, computed keys); its names are declarations. */
  private visitPattern(pattern: AstNode | null, scope: Scope): void {
    if (!pattern) return;
    switch (pattern.type) {
      case 'ObjectPattern':
        for (const property of children(pattern, 'properties')) {
          if (property.type === 'RestElement') {
            this.visitPattern(child(property, 'argument'), scope);
            continue;
          }
          if (property.computed) this.visit(child(property, 'key')!, property, 'key', scope);
          this.visitPattern(child(property, 'value'), scope);
        }
        break;
      case 'ArrayPattern':
        for (const element of children(pattern, 'elements')) this.visitPattern(element, scope);
        break;
      case 'AssignmentPattern':
        this.visitPattern(child(pattern, 'left'), scope);
        this.visit(child(pattern, 'right')!, pattern, 'right', scope);
        break;
      case 'RestElement':
        this.visitPattern(child(pattern, 'argument'), scope);
        break;
      default:
        break;
    }
  }

  private visitFunction(node: AstNode, scope: Scope): void {
    if (node.computed) this.visit(child(node, 'key')!, node, 'key', scope);
    const inner = this.scopeFor(node, scope, true);
    const id = child(node, 'id');
    if (node.type === 'FunctionExpression' && id) this.declare(inner, [id.name as string]);
    const params = children(node, 'params');
    for (const param of params) this.declare(inner, patternNames(param));
    this.functionDepth++;
    for (const param of params) this.visitPattern(param, inner);
    const body = child(node, 'body');
    if (body?.type === 'BlockStatement') this.visitAll(body, 'body', inner);
    else if (body) this.visit(body, node, 'body', inner);
    this.functionDepth--;
  }

  private visitClass(node: AstNode, scope: Scope): void {
    const id = child(node, 'id');
    if (node.type === 'ClassDeclaration' && id) this.declare(scope, [id.name as string]);
    const inner = this.scopeFor(node, scope, false);
    if (id) this.declare(inner, [id.name as string]);
    const superClass = child(node, 'superClass');
    if (superClass) this.visit(superClass, node, 'superClass', inner);
    for (const member of children(child(node, 'body')!, 'body')) this.visit(member, node, 'body', inner);
  }

  private reference(node: AstNode, parent: AstNode | null, field: string, scope: Scope): void {
    if (this.declaring) return;
    const name = node.name as string;
    let current: Scope | null = scope;
    while (current && current !== this.moduleScope) {
      if (current.names.has(name)) return;
      current = current.parent;
    }
    this.result.references.push({
      node,
      name,
      shorthand: parent?.type === 'ObjectProperty' && parent.shorthand === true && field === 'value',
      callee:
        ((parent?.type === 'CallExpression' || parent?.type === 'OptionalCallExpression') && field === 'callee') ||
        (parent?.type === 'TaggedTemplateExpression' && field === 'tag'),
      underTypeof: parent?.type === 'UnaryExpression' && parent.operator === 'typeof',
      resolution: this.moduleScope.names.has(name) ? 'module' : 'global',
    });
  }

  private visit: Visit = (node, parent, field, scope) => {
    if (isFunctionNode(node)) {
      if (node.type === 'FunctionDeclaration' && child(node, 'id')) {
        this.declare(scope, [child(node, 'id')!.name as string]);
      }
      this.visitFunction(node, scope);
      return;
    }
    switch (node.type) {
      case 'Identifier':
        this.reference(node, parent, field, scope);
        return;
      case 'ImportDeclaration':
        for (const specifier of children(node, 'specifiers')) this.declare(this.moduleScope, [child(specifier, 'local')!.name as string]);
        return;
      case 'ExportNamedDeclaration': {
        const declaration = child(node, 'declaration');
        if (declaration) this.visit(declaration, node, 'declaration', scope);
        return;
      }
      case 'ExportAllDeclaration':
      case 'PrivateName':
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'ImportAttribute':
        return;
      case 'MetaProperty':
        if (!this.declaring) this.result.metaProperties.push(node);
        return;
      case 'ImportExpression':
        if (!this.declaring) this.result.dynamicImports.push(node);
        this.visitChildren(node, scope);
        return;
      case 'AwaitExpression':
        if (this.functionDepth === 0) this.result.topLevelAwait = true;
        this.visitChildren(node, scope);
        return;
      case 'VariableDeclaration':
        for (const declarator of children(node, 'declarations')) {
          const id = child(declarator, 'id');
          this.declare(scope, patternNames(id), node.kind === 'var');
          this.visitPattern(id, scope);
          const init = child(declarator, 'init');
          if (init) this.visit(init, declarator, 'init', scope);
        }
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.visitClass(node, scope);
        return;
      case 'BlockStatement':
        this.visitAll(node, 'body', this.scopeFor(node, scope, false));
        return;
      case 'StaticBlock':
        this.functionDepth++;
        this.visitAll(node, 'body', this.scopeFor(node, scope, true));
        this.functionDepth--;
        return;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.await === true && this.functionDepth === 0) this.result.topLevelAwait = true;
        this.visitChildren(node, this.scopeFor(node, scope, false));
        return;
      case 'SwitchStatement': {
        this.visit(child(node, 'discriminant')!, node, 'discriminant', scope);
        const inner = this.scopeFor(node, scope, false);
        for (const switchCase of children(node, 'cases')) this.visitChildren(switchCase, inner);
        return;
      }
      case 'CatchClause': {
        const inner = this.scopeFor(node, scope, false);
        const param = child(node, 'param');
        this.declare(inner, patternNames(param));
        this.visitPattern(param, inner);
        this.visitAll(child(node, 'body')!, 'body', inner);
        return;
      }
      case 'LabeledStatement':
        this.visit(child(node, 'body')!, node, 'body', scope);
        return;
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        this.visit(child(node, 'object')!, node, 'object', scope);
        if (node.computed) this.visit(child(node, 'property')!, node, 'property', scope);
        return;
      case 'ObjectProperty':
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty': {
        if (node.computed) this.visit(child(node, 'key')!, node, 'key', scope);
        const value = child(node, 'value');
        if (value) this.visit(value, node, 'value', scope);
        return;
      }
      default:
        this.visitChildren(node, scope);
    }
  };
}

/** Analyses a module's program (the `program` of @babel/parser's `File`). */
export function analyzeScopes(program: AstNode): ScopeAnalysis {
  const analyzer = new Analyzer();
  analyzer.run(program);
  return analyzer.result;
}
