/**
 * Maps positions in a transformed module back to its source, so that stack traces and test locations name
 * the generated file's own lines and columns (as Node would print them), not the wrapper's.
 *
 * The transform only replaces disjoint ranges; each replacement is recorded as
 * `[sourceStart, sourceEnd, outputStart, outputEnd]` (offsets into the source and into the transformed body).
 */

/** Offsets at which each line starts (line terminators as JavaScript counts them). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of an offset. */
export function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

/** The offset of a 1-based line and column, clamped to the text. */
export function offsetOf(starts: readonly number[], line: number, column: number): number {
  const start = starts[Math.min(Math.max(line, 1), starts.length) - 1] ?? 0;
  return start + Math.max(column, 1) - 1;
}

/**
 * The source offset of an output offset: inside a replacement, its source start; just after a rewritten
 * callee (`callees`), the callee's source start, where Node places the call.
 */
export function sourceOffset(replacements: readonly number[], outputOffset: number, callees: readonly number[] = []): number {
  const atCall = callees.includes(outputOffset);
  let delta = 0;
  for (let i = 0; i + 3 < replacements.length; i += 4) {
    const [sourceStart, sourceEnd, outputStart, outputEnd] = replacements.slice(i, i + 4) as [number, number, number, number];
    if (outputOffset < outputStart) break;
    if (outputOffset < outputEnd || (atCall && outputOffset === outputEnd)) return sourceStart;
    delta = sourceEnd - outputEnd;
  }
  return outputOffset + delta;
}
