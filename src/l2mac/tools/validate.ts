/**
 * Checks tool arguments against the same JSON schemas the model is given (`registry.ts`), so the schema
 * the model reads and the rules the tools apply cannot drift apart. Covers the subset of JSON Schema the
 * tools use.
 */
import type { JsonSchema } from '../../llm/types.ts';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** The first problem with `value` against `schema` (naming where it is), or null when it conforms. */
export function schemaProblem(schema: JsonSchema, value: unknown, where = 'arguments'): string | null {
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) {
      return `${where} must be ${types.map((t) => (t === 'array' || t === 'object' || t === 'integer' ? `an ${t}` : `a ${t}`)).join(' or ')}, not ${typeOf(value)}`;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) return `${where} must be one of ${JSON.stringify(schema.enum)}`;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${where} must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where} must be at most ${schema.maximum}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      return `${where} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      return `${where} must have at most ${schema.maxItems} items (it has ${value.length})`;
    }
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const problem = schemaProblem(schema.items, value[i], `${where}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record) || record[key] === undefined) return `${where} is missing the required field "${key}"`;
    }
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties?.[key];
      if (childSchema) {
        const problem = schemaProblem(childSchema, child, `${where}.${key}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${where} has an unknown field "${key}"; the fields are ${Object.keys(schema.properties ?? {}).join(', ') || '(none)'}`;
      }
    }
  }
  return null;
}
