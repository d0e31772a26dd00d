/**
 * A structural view of @babel/parser's AST: just what the module transform reads, so that it depends on
 * the parser's output shape (ESTree-like, with `start`/`end` offsets) and not on @babel/types.
 */

export interface AstNode {
  type: string;
  start: number;
  end: number;
  [field: string]: unknown;
}

const SKIPPED_FIELDS = new Set(['type', 'start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A child node at `field`, or null. */
export function child(node: AstNode, field: string): AstNode | null {
  const value = node[field];
  return isNode(value) ? value : null;
}

/** The child nodes at `field` when it is a list (holes and non-nodes dropped). */
export function children(node: AstNode, field: string): AstNode[] {
  const value = node[field];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** Every (field, child) pair of a node, in source order of the fields Babel emits. */
export function* fieldsOf(node: AstNode): Generator<[string, AstNode]> {
  for (const field of Object.keys(node)) {
    if (SKIPPED_FIELDS.has(field)) continue;
    const value = node[field];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) yield [field, item];
    } else if (isNode(value)) {
      yield [field, value];
    }
  }
}

export function nameOf(node: AstNode | null): string | null {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'StringLiteral') return node.value as string;
  return null;
}

export function isFunctionNode(node: AstNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' ||
    node.type === 'ClassMethod' ||
    node.type === 'ClassPrivateMethod'
  );
}

/** The identifiers a binding pattern declares (`a`, `{a, b: [c]}`, `...d`, `e = 1`). */
export function patternNames(pattern: AstNode | null, into: string[] = []): string[] {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier':
      into.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const property of children(pattern, 'properties')) {
        patternNames(property.type === 'RestElement' ? child(property, 'argument') : child(property, 'value'), into);
      }
      break;
    case 'ArrayPattern':
      for (const element of children(pattern, 'elements')) patternNames(element, into);
      break;
    case 'AssignmentPattern':
      patternNames(child(pattern, 'left'), into);
      break;
    case 'RestElement':
      patternNames(child(pattern, 'argument'), into);
      break;
    default:
      break;
  }
  return into;
}
