/**
 * The targets of issue 13, judged on the figures: PASS, MISS or NOT MEASURED (with the reason). A miss is
 * never hidden or rounded away.
 */
import type { BrowserFigures, NodeFigures, NotMeasured, OverheadFigure, SyntaxFigure, TargetVerdict } from '../results.ts';

/** "Not growing with turns": the last ten turns within 25 % (or 0.25 ms, below timer noise) of the first ten. */
export const GROWTH_TOLERANCE = { ratio: 1.25, absoluteMs: 0.25 };
export const KB = 1000;

export function isMeasured<T extends object>(value: T | NotMeasured | undefined): value is T {
  return value !== undefined && !('notMeasured' in value);
}

function reasonOf(value: object | NotMeasured | undefined, figure: string): string {
  if (value === undefined) return `${figure} was not run (see --only / --skip-browser)`;
  return 'notMeasured' in value ? value.notMeasured : '';
}

function verdict(target: string, figure: string, pass: boolean, detail: string): TargetVerdict {
  return { target, figure, verdict: pass ? 'PASS' : 'MISS', detail };
}

function notMeasured(target: string, figure: string, reason: string): TargetVerdict {
  return { target, figure, verdict: 'NOT MEASURED', detail: reason };
}

function at1000(overhead: OverheadFigure[] | NotMeasured | undefined): OverheadFigure | NotMeasured | undefined {
  if (!isMeasured(overhead)) return overhead;
  return overhead.find((o) => o.files === 1000) ?? { notMeasured: 'no run with 1,000 files' };
}

function overheadTargets(env: string, overhead: OverheadFigure[] | NotMeasured | undefined, limitMs: number): TargetVerdict[] {
  const figure = `control-unit overhead per turn, ${env}, 1,000 files`;
  const target = `median < ${limitMs} ms per turn (${env}, 1,000 files)`;
  const growthTarget = `not growing with turns (${env})`;
  const big = at1000(overhead);
  if (!isMeasured(big)) {
    const reason = reasonOf(big, figure);
    return [notMeasured(target, figure, reason), notMeasured(growthTarget, `turn-time growth, ${env}`, reason)];
  }
  const out = [verdict(target, figure, big.turn.median < limitMs, `median ${big.turn.median.toFixed(2)} ms, p95 ${big.turn.p95.toFixed(2)} ms`)];
  const sizes = overhead as OverheadFigure[];
  const growing = sizes.filter((o) => o.growth.last > o.growth.first * GROWTH_TOLERANCE.ratio && o.growth.last - o.growth.first > GROWTH_TOLERANCE.absoluteMs);
  const detail = sizes.map((o) => `${o.files} files: ${o.growth.first.toFixed(2)} → ${o.growth.last.toFixed(2)} ms (×${o.growth.ratio.toFixed(2)})`).join('; ');
  out.push(verdict(growthTarget, `turns 1–10 vs the last 10 of ${big.turns}, ${env}`, growing.length === 0, detail));
  return out;
}

function syntaxTarget(env: string, syntax: SyntaxFigure | NotMeasured | undefined): TargetVerdict {
  const target = `syntax check of one file < 5 ms (${env})`;
  const figure = `in-app syntax check, 1 file of 60 lines, ${env}`;
  if (!isMeasured(syntax)) return notMeasured(target, figure, reasonOf(syntax, figure));
  const one = syntax.results.find((r) => r.files === 1);
  if (!one) return notMeasured(target, figure, 'no one-file measurement');
  return verdict(target, figure, one.summary.median < 5, `median ${one.summary.median.toFixed(2)} ms warm (first call in the ${env === 'Node' ? 'process' : 'page'}: ${syntax.coldMs.toFixed(1)} ms)`);
}

export function evaluateTargets(node: NodeFigures | NotMeasured, browser: BrowserFigures | NotMeasured): TargetVerdict[] {
  const n: Partial<NodeFigures> = isMeasured(node) ? node : {};
  const b: Partial<BrowserFigures> = isMeasured(browser) ? browser : {};
  const nodeReason = isMeasured(node) ? undefined : node;
  const browserReason = isMeasured(browser) ? undefined : browser;
  const out: TargetVerdict[] = [];

  out.push(...overheadTargets('Node', n.overhead ?? nodeReason, 5));
  out.push(...overheadTargets('Chromium', b.overhead ?? browserReason, 15));

  const tokensTarget = 'cacheable prefix share ≥ 90 %';
  const tokensFigure = 'tokens of each follow-up request that are an exact prefix of the previous request of its step (5-step scenario)';
  if (n.tokens) {
    const t = n.tokens.ours.totals;
    out.push(verdict(tokensTarget, tokensFigure, t.prefixShare >= 0.9, `${(t.prefixShare * 100).toFixed(1)} % token-weighted (median request ${(t.medianRequestShare * 100).toFixed(1)} %)`));
  } else out.push(notMeasured(tokensTarget, tokensFigure, reasonOf(nodeReason, 'the token figure')));

  const jsTarget = 'initial JS < 150 KB gzip';
  const jsFigure = 'JS loaded by index.html before any lazy chunk (gzip level 6; KB = 1,000 bytes)';
  const bytes = b.loadBytes ?? browserReason;
  if (isMeasured(bytes)) {
    out.push(verdict(jsTarget, jsFigure, bytes.js.gzip < 150 * KB, `${(bytes.js.gzip / KB).toFixed(1)} KB gzip (${(bytes.js.raw / KB).toFixed(1)} KB raw) in ${bytes.js.files.length} files`));
  } else out.push(notMeasured(jsTarget, jsFigure, reasonOf(bytes, 'the load figure')));

  const treeTarget = 'the tree renders 1,000 files < 100 ms';
  const treeFigure = 'file tree component, 1,000 files, mount to the next frame (fresh page)';
  const tree = b.treeComponent ?? browserReason;
  if (isMeasured(tree)) {
    out.push(verdict(treeTarget, treeFigure, tree.toFrame.median < 100, `median ${tree.toFrame.median.toFixed(1)} ms to the next frame (mount and layout ${tree.mount.median.toFixed(1)} ms)`));
  } else out.push(notMeasured(treeTarget, treeFigure, reasonOf(tree, 'the tree figure')));

  out.push(syntaxTarget('Node', n.syntax ?? nodeReason));
  out.push(syntaxTarget('Chromium', b.syntax ?? browserReason));
  return out;
}
