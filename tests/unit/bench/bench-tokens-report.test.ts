/**
 * The token figure, the model of the original's requests, the bundle analysis and the report: they run
 * and keep the properties the printed figures rely on. A character-level encoder stands in for the
 * tokenizer. No assertion is about time.
 */
import { describe, expect, it } from 'vitest';
import { charactersPerSource, decodeVlq, groupOf } from '../../../bench/browser/composition.ts';
import { htmlAssets, initialFiles } from '../../../bench/browser/load.ts';
import { renderReport } from '../../../bench/report/table.ts';
import { evaluateTargets } from '../../../bench/report/targets.ts';
import type { BenchResults, BrowserFigures, NodeFigures } from '../../../bench/results.ts';
import { pythonListRepr } from '../../../bench/tokens/original-model.ts';
import { analyzeSeries, commonPrefixLength, seriesTotals } from '../../../bench/tokens/prefix.ts';
import { TOKEN_PLAN } from '../../../bench/tokens/scenario.ts';
import { measureTokens } from '../../../bench/tokens/tokens-bench.ts';

const characters = (text: string) => [...text].map((c) => c.codePointAt(0) ?? 0);

describe('figure 3: tokens', () => {
  it('measures prefixes within a group only', () => {
    const user = (content: string) => ({ role: 'user' as const, content });
    const figures = analyzeSeries(
      [
        { group: 'a', label: 'a0', messages: [user('hello')] },
        { group: 'a', label: 'a1', messages: [user('hello'), user('world')] },
        { group: 'b', label: 'b0', messages: [user('other')] },
      ],
      characters,
    );
    expect(figures.map((f) => f.prefixTokens)).toEqual([null, figures[0]?.tokens, null]);
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2);
    const totals = seriesTotals(figures);
    expect(totals.followUps).toBe(1);
    expect(totals.previousReuse).toBe(1);
  });

  it('runs the 5-step scenario: our contexts are append-only, the original model keeps its structure', async () => {
    const result = await measureTokens(characters, 'characters', [10, 300]);
    const ours = result.ours.requests;
    expect(ours[0]?.label).toBe('plan');
    expect(ours.filter((r) => r.label.endsWith('summary'))).toHaveLength(TOKEN_PLAN.length);
    // Every follow-up request starts with the whole previous request of its step.
    expect(result.ours.totals.previousReuse).toBe(1);
    expect(result.original.totals.previousReuse).toBe(1);
    // The original has no list_files turn (the list is in every prompt) and no report request.
    expect(result.original.skippedTurns).toBe(1);
    expect(result.original.requests.some((r) => r.group === 'report')).toBe(false);
    expect(result.perGroup.map((g) => g.group)).toEqual(['plan', 'step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'report']);
    // Past 200 files our listing collapses folders; the original's list keeps growing.
    const [small, large] = result.listing;
    expect(large && small && large.original.chars / small.original.chars).toBeGreaterThan(20);
    expect(large && large.ours.chars < large.original.chars).toBe(true);
  });

  it('writes the original list of paths as Python does', () => {
    expect(pythonListRepr(['app.js', 'src/a.test.js'])).toBe("['app.js', 'src/a.test.js']");
    expect(pythonListRepr([])).toBe('[]');
  });
});

describe('figure 5: bundle analysis', () => {
  it('walks the manifest from the HTML entry through static imports only', () => {
    const manifest = {
      'index.html': { file: 'assets/main.js', isEntry: true, imports: ['_shared.js'], css: ['assets/main.css'], dynamicImports: ['src/lazy.ts'] },
      '_shared.js': { file: 'assets/shared.js', imports: ['index.html'] },
      'src/lazy.ts': { file: 'assets/lazy.js' },
    };
    expect(initialFiles(manifest)).toEqual({ js: ['assets/main.js', 'assets/shared.js'], css: ['assets/main.css'] });
    const html = '<script type="module" crossorigin src="/assets/main.js"></script><link rel="modulepreload" href="/assets/shared.js"><link rel="stylesheet" href="/assets/main.css"><link rel="manifest" href="/m.json">';
    expect(htmlAssets(html)).toEqual({ js: ['assets/main.js', 'assets/shared.js'], css: ['assets/main.css'] });
  });

  it('decodes source-map segments and attributes characters to sources', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('IAAM')).toEqual([4, 0, 0, 6]);
    expect(decodeVlq('gBAAD')).toEqual([16, 0, 0, -1]);
    // "abcdef": columns 0–1 from source 0, 2–5 from source 1.
    const counts = charactersPerSource('abcdef', { sources: ['x', 'y'], mappings: 'AAAA,ECAA' });
    expect(counts.get(0)).toBe(2);
    expect(counts.get(1)).toBe(5);
    expect(groupOf('../../node_modules/@babel/parser/lib/index.js')).toBe('npm: @babel/parser');
    expect(groupOf('../../src/ui/components/RunView.svelte')).toBe('src/ui');
  });
});

describe('targets and report', () => {
  const summary = { n: 3, median: 1, p95: 2, min: 1, max: 2 };
  const runs = { ...summary, runs: 3, spread: [1, 1] as [number, number] };
  const overhead = (median: number, last = 1) => [
    { files: 1000, turns: 40, turn: { ...runs, median }, growth: { first: 1, last, ratio: last }, gateMs: 50, commit: runs },
  ];
  const node: NodeFigures = { loadBefore: [0], loadAfter: [0], overhead: overhead(7), syntax: { coldMs: 20, results: [{ files: 1, lines: 60, summary }] } };
  const browser: BrowserFigures = { chromium: '156', loadBefore: [0], loadAfter: [0], overhead: overhead(3, 3), treeComponent: { notMeasured: 'no tree' } };

  it('says PASS, MISS and NOT MEASURED, never hiding a miss', () => {
    const verdicts = new Map(evaluateTargets(node, browser).map((t) => [t.target, t.verdict]));
    expect(verdicts.get('median < 5 ms per turn (Node, 1,000 files)')).toBe('MISS');
    expect(verdicts.get('not growing with turns (Node)')).toBe('PASS');
    expect(verdicts.get('median < 15 ms per turn (Chromium, 1,000 files)')).toBe('PASS');
    expect(verdicts.get('not growing with turns (Chromium)')).toBe('MISS');
    expect(verdicts.get('the tree renders 1,000 files < 100 ms')).toBe('NOT MEASURED');
    expect(verdicts.get('cacheable prefix share ≥ 90 %')).toBe('NOT MEASURED');
    expect(verdicts.get('syntax check of one file < 5 ms (Node)')).toBe('PASS');
  });

  it('renders every section with the machine and the verdicts', () => {
    const results: BenchResults = {
      format: 'l2mac-bench/1',
      machine: { cpu: 'CPU', cores: 2, ramBytes: 2 ** 30, node: 'v20', chromium: '156', platform: 'linux', date: '2026-01-01', commit: 'abc', dirty: false, loadAverageAtStart: [1, 1, 1], loadAverageAtEnd: [1, 1, 1] },
      options: { quick: false, runs: 3, figures: [] },
      node,
      browser,
      targets: evaluateTargets(node, browser),
    };
    const text = renderReport(results);
    for (const heading of ['### 1.', '### 2.', '### 3.', '### 4.', '### 5.', '### 6.', '### 7.', '### Targets']) expect(text).toContain(heading);
    expect(text).toContain('| median < 5 ms per turn (Node, 1,000 files) | MISS |');
    expect(text).toContain('not measured: no tree');
  });
});
