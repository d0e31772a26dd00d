import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTestReport, OUTPUT_LIMIT, truncateOutput } from '../../../src/sandbox/output.ts';
import type { TestReport } from '../../../src/sandbox/types.ts';

const noise = fc.string({ maxLength: 120 }).map((s) => s.replace(/not ok|# (tests|pass|fail)/g, 'x'));
const failingName = fc.stringMatching(/^[a-z][a-z0-9 ]{0,30}$/);

/** A TAP-like output: noise lines with failing-test lines spread through it and the summary at the end. */
const tapLike = fc
  .tuple(fc.array(noise, { minLength: 0, maxLength: 400 }), fc.uniqueArray(failingName, { maxLength: 12 }), fc.nat(1000), fc.nat(1000))
  .map(([noiseLines, names, pass, fail]) => {
    const lines = [...noiseLines];
    names.forEach((name, i) => lines.splice(Math.floor(((i + 1) * lines.length) / (names.length + 1)), 0, `    not ok ${i + 1} - ${name}`));
    lines.push(`# tests ${pass + fail}`, `# pass ${pass}`, `# fail ${fail}`, '# duration_ms 12.5');
    return { text: lines.join('\n'), names, summary: [`# pass ${pass}`, `# fail ${fail}`] };
  });

describe('truncateOutput', () => {
  it('returns output that fits unchanged', () => {
    expect(truncateOutput('ok 1 - a\n# pass 1\n')).toBe('ok 1 - a\n# pass 1\n');
    expect(truncateOutput('x'.repeat(OUTPUT_LIMIT))).toHaveLength(OUTPUT_LIMIT);
  });

  it('never exceeds the limit', () => {
    fc.assert(
      fc.property(fc.oneof(tapLike.map((t) => t.text), fc.string({ maxLength: 3000 })), fc.integer({ min: 0, max: 3000 }), (text, limit) => {
        expect(truncateOutput(text, limit).length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps failing names and the summary lines when they fit, and says how much was cut', () => {
    fc.assert(
      fc.property(tapLike, fc.integer({ min: 1500, max: 4000 }), ({ text, names, summary }, limit) => {
        const result = truncateOutput(text, limit);
        names.forEach((name, i) => expect(result).toContain(`not ok ${i + 1} - ${name}`));
        for (const line of summary) expect(result).toContain(line);
        if (text.length > limit) expect(result).toMatch(/\[\d+ of \d+ characters cut/);
      }),
      { numRuns: 200 },
    );
  });

  it('cuts 10 MB of output to 8,000 characters keeping the failure in the middle and the summary', () => {
    const spam = 'log line that repeats\n'.repeat(250_000);
    const text = `TAP version 13\n${spam}not ok 7 - parses dates > rejects 31 February\n${spam}# tests 9\n# pass 8\n# fail 1\n`;
    const result = truncateOutput(text);
    expect(result.length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(result).toContain('not ok 7 - parses dates > rejects 31 February');
    expect(result).toContain('# fail 1');
    expect(result.startsWith('TAP version 13')).toBe(true);
    const cut = Number(/\[(\d+) of/.exec(result)?.[1]);
    expect(cut).toBeGreaterThan(text.length - OUTPUT_LIMIT);
  });

  it('handles one huge line with no newline', () => {
    const result = truncateOutput('a'.repeat(100_000) + '\n# fail 2');
    expect(result.length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(result.endsWith('# fail 2')).toBe(true);
  });

  it('recognises failing lines behind ANSI colour codes', () => {
    const text = `${'x\n'.repeat(10_000)}\x1b[31mnot ok 1 - coloured failure\x1b[0m\n${'y\n'.repeat(10_000)}`;
    expect(truncateOutput(text, 2000)).toContain('coloured failure');
  });
});

describe('formatTestReport', () => {
  const base: TestReport = { passed: 3, failed: 1, skipped: 1, todo: 0, failures: [], timedOut: [], output: '', durationMs: 5 };

  it('lists counts, each failure with its location and message, and timeouts', () => {
    const text = formatTestReport({
      ...base,
      failures: [{ name: 'math > adds', file: 'math.test.js', message: 'Expected values to be strictly equal:\n\n3 !== 4', location: 'math.test.js:4:3' }],
      timedOut: ['slow.test.js'],
    });
    expect(text).toBe(
      '3 passed, 1 failed, 1 skipped\n✖ math > adds (math.test.js:4:3)\n    Expected values to be strictly equal:\n    \n    3 !== 4\nTimed out: slow.test.js',
    );
  });

  it('says why tests did not run when the sandbox cannot run them', () => {
    expect(formatTestReport({ ...base, unsupported: 'imports node:fs: needs the full sandbox' })).toBe(
      'Tests not run: imports node:fs: needs the full sandbox',
    );
  });
});
