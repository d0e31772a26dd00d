/**
 * Text or binary, judged by content (a file's extension says nothing reliable): a file is text when its
 * bytes are valid UTF-8 and contain no NUL byte. A byte-order mark is kept, so the content is stored exactly
 * as it was and a patch against it applies to the original.
 */

export type TextVerdict = { ok: true; text: string } | { ok: false; detail: string };

const NUL_DETAIL = 'contains NUL bytes (binary)';
const UTF8_DETAIL = 'is not valid UTF-8 text (binary, or another encoding)';

/** Decodes a chunked byte stream, stopping at the first sign of binary content. */
export class TextAccumulator {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly parts: string[] = [];
  private failure: string | null = null;

  /** Adds a chunk; false (and `verdict()` says why) once the content is known to be binary. */
  push(chunk: Uint8Array, final = false): boolean {
    if (this.failure !== null) return false;
    if (chunk.indexOf(0) !== -1) {
      this.failure = NUL_DETAIL;
      return false;
    }
    try {
      this.parts.push(this.decoder.decode(chunk, { stream: !final }));
    } catch {
      this.failure = UTF8_DETAIL;
      return false;
    }
    return true;
  }

  /** The verdict once every chunk (the last one with `final`) was pushed. */
  verdict(): TextVerdict {
    if (this.failure !== null) return { ok: false, detail: this.failure };
    return { ok: true, text: this.parts.join('') };
  }
}

export function decodeText(bytes: Uint8Array): TextVerdict {
  const accumulator = new TextAccumulator();
  accumulator.push(bytes, true);
  return accumulator.verdict();
}
