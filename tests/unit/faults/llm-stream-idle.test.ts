/**
 * Issue 12, "LLM and network": a stream that goes idle is abandoned after the idle limit and retried. The
 * page's `?streamIdleMs=` sets that limit (end-to-end tests need a short one); anything but a positive
 * whole number leaves the default.
 */
import { describe, expect, it } from 'vitest';
import { streamIdleMsFromSearch } from '../../../src/app/compose.ts';

describe('?streamIdleMs= in the page URL', () => {
  it('a positive whole number sets the idle limit', () => {
    expect(streamIdleMsFromSearch('?streamIdleMs=1500')).toBe(1500);
    expect(streamIdleMsFromSearch('?wcBootMs=1500&streamIdleMs=800')).toBe(800);
  });

  it('absent, empty, zero, negative, fractional or not a number: the default stays', () => {
    for (const search of ['', '?wcBootMs=1500', '?streamIdleMs=', '?streamIdleMs=0', '?streamIdleMs=-5', '?streamIdleMs=1.5', '?streamIdleMs=abc', '?streamIdleMs=1e3', '?streamIdleMs=99999999999999999999']) {
      expect(streamIdleMsFromSearch(search), search).toBeUndefined();
    }
  });
});
