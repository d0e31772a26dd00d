import { describe, expect, it } from 'vitest';
import { formatPromptProgram, parsePromptProgram } from '../../../src/ui/model/prompt-program.ts';

describe('parsePromptProgram', () => {
  it('takes one step per non-empty line', () => {
    expect(parsePromptProgram('Write the parser\n\n  Write the CLI  \r\n')).toEqual(['Write the parser', 'Write the CLI']);
  });

  it('reads a numbered or bulleted list whose items span lines', () => {
    const text = '1. Write the parser\n   with tests\n2) Write the CLI\n- Document it';
    expect(parsePromptProgram(text)).toEqual(['Write the parser\nwith tests', 'Write the CLI', 'Document it']);
  });

  it('round-trips through its text form', () => {
    const steps = ['One\nmore detail', 'Two', 'Three'];
    expect(parsePromptProgram(formatPromptProgram(steps))).toEqual(steps);
  });

  it('gives no steps for blank text', () => {
    expect(parsePromptProgram('  \n \n')).toEqual([]);
  });
});
