/**
 * `util.format` (and so `console.log`) as Node 20 formats: `%s %d %i %f %j %o %O %c %%` in a first string
 * argument, then every other argument separated by spaces, strings as they are and anything else through
 * `inspect`.
 */
import { inspect } from './inspect.ts';

function formatNumber(value: unknown, parse: (text: string) => number): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return 'NaN';
  return String(parse(String(value)));
}

function formatString(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value !== 'object' || value === null) return String(value);
  const hasOwnToString =
    !(value instanceof Error) &&
    Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(value) ?? {}, 'toString') &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    Object.getPrototypeOf(value) !== Array.prototype;
  return hasOwnToString ? String(value) : inspect(value, { depth: 0, compact: 3 });
}

function formatJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch (error) {
    if (error instanceof TypeError && /circular/i.test(error.message)) return '[Circular]';
    throw error;
  }
}

export function format(...args: unknown[]): string {
  const first = args[0];
  let rest = 0;
  let text = '';
  if (typeof first === 'string') {
    rest = 1;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first[i] !== '%') continue;
      const code = first[i + 1]!;
      if (code === '%') {
        text += first.slice(last, i + 1);
        last = i + 2;
        i++;
        continue;
      }
      if (rest >= args.length || !'sdifjoOc'.includes(code)) continue;
      const value = args[rest++];
      let piece: string;
      switch (code) {
        case 's':
          piece = formatString(value);
          break;
        case 'd':
          piece = formatNumber(value, Number);
          break;
        case 'i':
          piece = formatNumber(value, (s) => Number.parseInt(s, 10));
          break;
        case 'f':
          piece = formatNumber(value, Number.parseFloat);
          break;
        case 'j':
          piece = formatJson(value);
          break;
        case 'o':
          piece = inspect(value, { showHidden: true, showProxy: true, depth: 4 });
          break;
        case 'O':
          piece = inspect(value);
          break;
        default:
          piece = '';
      }
      text += first.slice(last, i) + piece;
      last = i + 2;
      i++;
    }
    text += first.slice(last);
  }
  for (let i = rest; i < args.length; i++) {
    const value = args[i];
    const piece = typeof value === 'string' ? value : inspect(value);
    text += text === '' && i === 0 ? piece : ` ${piece}`;
  }
  return text;
}
