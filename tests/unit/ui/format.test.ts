import { describe, expect, it } from 'vitest';
import { formatElapsed, formatTokens, formatUsd } from '../../../src/ui/model/format.ts';

describe('formats', () => {
  it('shows money with enough digits that a cheap run is not $0.00', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(2)).toBe('$2.00');
    expect(formatUsd(0.0123)).toBe('$0.012');
    expect(formatUsd(0.00042)).toBe('$0.0004');
  });

  it('shows elapsed time as m:ss or h:mm:ss', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
  });

  it('compacts large token counts', () => {
    expect(formatTokens(12_345)).toBe('12,345');
    expect(formatTokens(1_234_567)).toBe('1.2M');
  });
});
