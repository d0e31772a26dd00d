import { describe, expect, it } from 'vitest';
import { looksLikeZip, progressBar, progressText } from '../../../src/ui/import/import-view.ts';

describe('the import component\'s words', () => {
  it('progress while listing is indeterminate; while reading it counts files', () => {
    expect(progressText(null)).toBe('Starting…');
    expect(progressText({ phase: 'listing', done: 1234, total: null })).toBe('Looking through the files… 1,234 found');
    expect(progressText({ phase: 'reading', done: 120, total: 5000 })).toBe('Reading 120 of 5,000 files');
    expect(progressBar({ phase: 'listing', done: 5, total: null })).toEqual({ value: null, max: 1 });
    expect(progressBar({ phase: 'reading', done: 5, total: 10 })).toEqual({ value: 5, max: 10 });
  });

  it('a dropped file is taken for a zip by its name or type', () => {
    expect(looksLikeZip({ name: 'Project.ZIP', type: '' })).toBe(true);
    expect(looksLikeZip({ name: 'x', type: 'application/x-zip-compressed' })).toBe(true);
    expect(looksLikeZip({ name: 'notes.txt', type: 'text/plain' })).toBe(false);
  });
});
