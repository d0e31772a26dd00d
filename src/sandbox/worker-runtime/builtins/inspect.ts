/**
 * `util.inspect` as Node 20 prints values: the npm `util` port's inspect predates Maps, Sets, classes,
 * symbols and bigints (a Map prints as `{}`), which would make console output and, worse, the assert port's
 * diffs ("+ actual - expected") useless. This follows Node's rules for the common values: quoting, class
 * and null-prototype prefixes, `Map(n) { k => v }`, `<ref *1>`/`[Circular *1]`, depth (`[Object]`), holes,
 * `... n more items`, getters, custom `[util.inspect.custom]`, and the line breaking of `compact: 3` (up to
 * three inner levels on one line within 80 columns; long arrays of short items in aligned columns).
 * Tested against Node's own `util.inspect`. A promise's state cannot be read from JavaScript: it prints as
 * `Promise { <unknown> }`.
 */

export interface InspectOptions {
  depth?: number | null;
  compact?: number | boolean;
  breakLength?: number;
  sorted?: boolean | ((a: string, b: string) => number);
  maxArrayLength?: number | null;
  maxStringLength?: number | null;
  getters?: boolean;
  customInspect?: boolean;
  [option: string]: unknown;
}

interface Context {
  depth: number;
  compact: number | boolean;
  breakLength: number;
  sorted: boolean | ((a: string, b: string) => number);
  maxArrayLength: number;
  maxStringLength: number;
  getters: boolean;
  customInspect: boolean;
  indentationLvl: number;
  currentDepth: number;
  seen: unknown[];
  circular: Map<unknown, number>;
  options: InspectOptions;
}

export const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

/** A string literal as Node quotes it: single quotes unless the text has some and no other quote does. */
export function quoteString(text: string): string {
  let quote = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) quote = '"';
    else if (!text.includes('`') && !text.includes('${')) quote = '`';
  }
  const escaped = text.replace(/[\\\u0000-\u001f\u007f]/g, (c) => (c === '\\' ? '\\\\' : (ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)));
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

function formatPrimitive(ctx: Context, value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const cut = value.length > ctx.maxStringLength ? value.length - ctx.maxStringLength : 0;
      const shown = quoteString(cut ? value.slice(0, ctx.maxStringLength) : value);
      return cut ? `${shown}... ${cut} more character${cut > 1 ? 's' : ''}` : shown;
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    default:
      return String(value);
  }
}

function constructorName(value: object): string | null {
  for (let proto: object | null = value; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (descriptor && typeof descriptor.value === 'function' && descriptor.value.name !== '') return descriptor.value.name as string;
  }
  return null;
}

function prefix(name: string | null, tag: string, fallback: string, size?: number): string {
  const sized = size === undefined ? '' : `(${size})`;
  if (name === null) return `[${fallback}${sized}: null prototype]${tag && tag !== fallback ? ` [${tag}]` : ''} `;
  return `${name}${sized}${tag && tag !== name ? ` [${tag}]` : ''} `;
}

function functionBase(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  const name = fn.name;
  if (source.startsWith('class') && /^class\b/.test(source)) {
    const parent = Object.getPrototypeOf(fn) as { name?: string } | null;
    const extendsPart = parent && parent !== Function.prototype && parent.name ? ` extends ${parent.name}` : '';
    return `[class ${name || '(anonymous)'}${extendsPart}]`;
  }
  const kind = Object.prototype.toString.call(fn).slice(8, -1);
  const type = kind === 'AsyncFunction' || kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction' ? kind : 'Function';
  return `[${type}${name ? `: ${name}` : ' (anonymous)'}]`;
}

function keyName(key: string | symbol, enumerable: boolean): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  if (key === '__proto__') return "['__proto__']";
  if (!enumerable) return `[${key}]`;
  return IDENTIFIER.test(key) ? key : quoteString(key);
}

function formatProperty(ctx: Context, object: object, key: string | symbol, recurseTimes: number, isArrayEntry = false): string {
  const descriptor = Object.getOwnPropertyDescriptor(object, key) ?? { value: (object as Record<string | symbol, unknown>)[key], enumerable: true };
  let text: string;
  if ('value' in descriptor) {
    ctx.indentationLvl += 2;
    text = formatValue(ctx, descriptor.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (descriptor.get) {
    const label = descriptor.set ? 'Getter/Setter' : 'Getter';
    if (ctx.getters) {
      try {
        const value: unknown = descriptor.get.call(object);
        ctx.indentationLvl += 2;
        text = `[${label}: ${formatValue(ctx, value, recurseTimes)}]`;
        ctx.indentationLvl -= 2;
      } catch (error) {
        text = `[${label}: <Inspection threw (${(error as Error).message})>]`;
      }
    } else {
      text = `[${label}]`;
    }
  } else {
    text = descriptor.set ? '[Setter]' : 'undefined';
  }
  if (isArrayEntry) return text;
  return `${keyName(key, descriptor.enumerable ?? true)}: ${text}`;
}

function ownKeys(ctx: Context, value: object, skipIndices: boolean): (string | symbol)[] {
  let keys: (string | symbol)[] = Object.keys(value);
  if (skipIndices) keys = keys.filter((key) => !/^(?:0|[1-9]\d*)$/.test(key as string) || Number(key) >= 2 ** 32 - 1);
  const symbols = Object.getOwnPropertySymbols(value).filter((symbol) => Object.getOwnPropertyDescriptor(value, symbol)?.enumerable);
  keys = [...keys, ...symbols];
  if (ctx.sorted) {
    const compare = typeof ctx.sorted === 'function' ? ctx.sorted : undefined;
    keys = [...keys].sort((a, b) => (compare ? compare(String(a), String(b)) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  }
  return keys;
}

function formatArrayEntries(ctx: Context, array: ArrayLike<unknown>, recurseTimes: number): string[] {
  const output: string[] = [];
  const length = array.length;
  const shown = Math.min(ctx.maxArrayLength, length);
  let holes = 0;
  let index = 0;
  for (; index < length && output.length < shown; index++) {
    if (!Object.prototype.hasOwnProperty.call(array, index)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      holes = 0;
      if (output.length >= shown) break;
    }
    output.push(formatProperty(ctx, array as object, String(index), recurseTimes, true));
  }
  if (holes > 0 && output.length < shown) {
    output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    index = length;
  }
  const remaining = length - index;
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  return output;
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

/** Node's column layout for long arrays of short entries. */
function groupArrayElements(ctx: Context, output: string[], value: unknown): string[] {
  let total = 0;
  let maxLength = 0;
  const hasMore = output.length > 0 && /^\.\.\. \d+ more item/.test(output[output.length - 1]!);
  const count = hasMore ? output.length - 1 : output.length;
  const separatorSpace = 2;
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) {
    const length = output[i]!.length;
    lengths.push(length);
    total += length + separatorSpace;
    if (maxLength < length) maxLength = length;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (total / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - total / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      (typeof ctx.compact === 'number' ? ctx.compact : 3) * 4,
      15,
    );
    if (columns <= 1) return output;
    const widths: number[] = [];
    for (let i = 0; i < columns; i++) {
      let width = 0;
      for (let j = i; j < count; j += columns) if (lengths[j]! > width) width = lengths[j]!;
      widths.push(width + separatorSpace);
    }
    const entries = Array.isArray(value) ? value : [];
    const numeric = entries.every((entry) => typeof entry === 'number' || typeof entry === 'bigint');
    const grouped: string[] = [];
    for (let i = 0; i < count; i += columns) {
      const end = Math.min(i + columns, count);
      let line = '';
      let j = i;
      for (; j < end - 1; j++) line += numeric ? `${output[j]}, `.padStart(widths[j - i]!, ' ') : `${output[j]}, `.padEnd(widths[j - i]!, ' ');
      line += numeric ? output[j]!.padStart(widths[j - i]! - separatorSpace, ' ') : output[j];
      grouped.push(line);
    }
    if (hasMore) grouped.push(output[output.length - 1]!);
    return grouped;
  }
  return output;
}

function reduceToSingleString(ctx: Context, output: string[], base: string, braces: [string, string], isArray: boolean, recurseTimes: number, value: unknown): string {
  const head = base ? `${base} ` : '';
  if (ctx.compact !== true && typeof ctx.compact === 'number' && ctx.compact >= 1) {
    const entries = output.length;
    if (isArray && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return `${head}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  if (ctx.compact === true) return `${head}${braces[0]} ${output.join(', ')} ${braces[1]}`;
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${head}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function errorText(ctx: Context, error: Error): string {
  const stack = typeof error.stack === 'string' && error.stack !== '' ? error.stack : Error.prototype.toString.call(error);
  const indentation = ' '.repeat(ctx.indentationLvl);
  return indentation ? stack.replace(/\n/g, `\n${indentation}`) : stack;
}

/** The text of an object (not a primitive): prefix, braces and entries, then Node's line breaking. */
function formatRaw(ctx: Context, value: object, recurseTimes: number): string {
  const name = constructorName(value);
  const rawTag = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  const tag = typeof rawTag === 'string' ? rawTag : '';
  let base = '';
  let braces: [string, string] = ['{', '}'];
  let isArray = false;
  let entries: () => string[] = () => [];
  let keys: (string | symbol)[];
  let empty = false;

  if (Array.isArray(value)) {
    isArray = true;
    keys = ownKeys(ctx, value, true);
    braces = [`${name === 'Array' && !tag ? '' : prefix(name, tag, 'Array', value.length)}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    entries = () => formatArrayEntries(ctx, value, recurseTimes);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    isArray = true;
    const typed = value as unknown as ArrayLike<unknown>;
    keys = ownKeys(ctx, value, true);
    braces = [`${prefix(name, tag === name ? '' : tag, 'TypedArray', typed.length)}[`, ']'];
    if (typed.length === 0 && keys.length === 0) return `${braces[0]}]`;
    entries = () => formatArrayEntries(ctx, typed, recurseTimes);
  } else if (value instanceof Map) {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag === 'Map' ? '' : tag, 'Map', value.size)}{`, '}'];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    entries = () => {
      ctx.indentationLvl += 2;
      const out = [...value].map(([k, v]) => `${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Set) {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag === 'Set' ? '' : tag, 'Set', value.size)}{`, '}'];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    entries = () => {
      ctx.indentationLvl += 2;
      const out = [...value].map((v) => formatValue(ctx, v, recurseTimes));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else {
    keys = ownKeys(ctx, value, false);
    if (typeof value === 'function') {
      base = functionBase(value);
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (keys.length === 0) return base;
    } else if (value instanceof Error) {
      base = errorText(ctx, value);
      keys = keys.filter((key) => key !== 'stack' && key !== 'message');
      if (Object.prototype.hasOwnProperty.call(value, 'cause') && !keys.includes('cause')) keys.push('cause');
      if (keys.length === 0) return base;
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return `${prefix(name, '', value instanceof WeakMap ? 'WeakMap' : 'WeakSet').trim()} { <items unknown> }`;
    } else if (value instanceof Promise) {
      braces = [`${prefix(name, tag === 'Promise' ? '' : tag, 'Promise')}{`, '}'];
      entries = () => ['<unknown>'];
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt || value instanceof Symbol) {
      const primitive = (value as { valueOf(): unknown }).valueOf();
      const kind = typeof primitive === 'bigint' ? 'BigInt' : (name ?? 'Object');
      base = `[${kind}: ${formatPrimitive({ ...ctx, maxStringLength: Infinity }, primitive)}]`;
      if (value instanceof String) keys = keys.filter((key) => !/^\d+$/.test(String(key)));
      if (keys.length === 0) return base;
    } else {
      const plain = name === 'Object' && !tag;
      braces = [plain ? '{' : `${name === null ? `[${tag || 'Object'}: null prototype]` : `${name}${tag && tag !== name ? ` [${tag}]` : ''}`} {`, '}'];
      empty = keys.length === 0;
      if (empty) return plain || name === null ? `${braces[0]}}` : `${braces[0]}}`;
    }
  }

  if (recurseTimes > ctx.depth) {
    const label = Array.isArray(value) ? 'Array' : (name ?? (tag || 'Object'));
    return `[${label}]`;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output: string[];
  try {
    output = entries();
    for (const key of keys) output.push(formatProperty(ctx, value, key, recurseTimes));
  } finally {
    ctx.seen.pop();
  }
  const reference = ctx.circular.get(value);
  if (reference !== undefined) {
    const mark = `<ref *${reference}>`;
    if (base === '') braces[0] = `${mark} ${braces[0]}`;
    else base = `${mark} ${base}`;
  }
  return reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, value);
}

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return formatPrimitive(ctx, value);
  const object = value as object;
  if (ctx.customInspect) {
    const custom = (object as Record<symbol, unknown>)[customInspectSymbol];
    if (typeof custom === 'function' && custom !== inspect) {
      const depth = ctx.depth === Infinity ? Infinity : ctx.depth - recurseTimes;
      const result: unknown = custom.call(object, depth, { ...ctx.options, depth }, inspect);
      if (result !== object) return typeof result === 'string' ? result : formatValue(ctx, result, recurseTimes);
    }
  }
  if (ctx.seen.includes(object)) {
    let index = ctx.circular.get(object);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(object, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, object, recurseTimes);
}

export function inspect(value: unknown, options: InspectOptions | boolean = {}): string {
  const opts: InspectOptions = typeof options === 'object' && options !== null ? options : {};
  const depth = opts.depth === null ? Infinity : typeof opts.depth === 'number' ? opts.depth : 2;
  const ctx: Context = {
    depth,
    compact: opts.compact ?? 3,
    breakLength: typeof opts.breakLength === 'number' ? opts.breakLength : 80,
    sorted: opts.sorted ?? false,
    maxArrayLength: opts.maxArrayLength === null ? Infinity : typeof opts.maxArrayLength === 'number' ? Math.max(0, opts.maxArrayLength) : 100,
    maxStringLength: opts.maxStringLength === null ? Infinity : typeof opts.maxStringLength === 'number' ? Math.max(0, opts.maxStringLength) : 10_000,
    getters: opts.getters === true,
    customInspect: opts.customInspect !== false,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    circular: new Map(),
    options: opts,
  };
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspectSymbol;
inspect.defaultOptions = { depth: 2, compact: 3, breakLength: 80 };
