import { describe, expect, it } from 'vitest';
import { decodeText, TextAccumulator } from '../../../src/import/text.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('text or binary, by content', () => {
  it('UTF-8 text is text, exactly (a byte-order mark is kept)', () => {
    expect(decodeText(utf8('\uFEFFhé ☕\r\n'))).toEqual({ ok: true, text: '\uFEFFhé ☕\r\n' });
    expect(decodeText(new Uint8Array(0))).toEqual({ ok: true, text: '' });
  });

  it('a NUL byte anywhere makes a file binary', () => {
    expect(decodeText(bytes(0x61, 0x62, 0x00))).toEqual({ ok: false, detail: 'contains NUL bytes (binary)' });
  });

  it('invalid UTF-8 (Latin-1, a PNG header, a cut multi-byte character) is binary', () => {
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9)).ok).toBe(false);
    expect(decodeText(bytes(0x89, 0x50, 0x4e, 0x47)).ok).toBe(false);
    expect(decodeText(utf8('☕').subarray(0, 2)).ok).toBe(false);
  });

  it('a character split across chunks decodes; binary stops the accumulation at once', () => {
    const text = new TextAccumulator();
    const coffee = utf8('a☕b');
    expect(text.push(coffee.subarray(0, 2))).toBe(true);
    expect(text.push(coffee.subarray(2), true)).toBe(true);
    expect(text.verdict()).toEqual({ ok: true, text: 'a☕b' });

    const binary = new TextAccumulator();
    expect(binary.push(bytes(0x61, 0x00))).toBe(false);
    expect(binary.push(utf8('more'))).toBe(false);
    expect(binary.verdict()).toEqual({ ok: false, detail: 'contains NUL bytes (binary)' });
  });

  it('a stream that ends inside a character is binary', () => {
    const text = new TextAccumulator();
    text.push(utf8('☕').subarray(0, 1));
    text.push(new Uint8Array(0), true);
    expect(text.verdict().ok).toBe(false);
  });
});
