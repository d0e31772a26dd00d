/** The printed report: Markdown tables (so they can go into the README as they are). */
import { formatBytes, formatMs, type Summary } from '../core/stats.ts';
import type { BenchResults, BrowserFigures, NodeFigures, NotMeasured, OverheadFigure, TestRunFigure } from '../results.ts';
import { isMeasured, KB } from './targets.ts';

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function why(value: object | NotMeasured | undefined): string {
  return value && 'notMeasured' in value ? `not measured: ${value.notMeasured}` : 'not run';
}

const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'n/a');
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const med = (s: Summary) => formatMs(s.median);
const rate = (count: number, ms: number) => (ms > 0 ? `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s` : 'n/a');

function overheadRows(env: string, figures: OverheadFigure[] | NotMeasured | undefined): string[][] {
  if (!isMeasured(figures)) return [[env, why(figures), '', '', '', '', '', '']];
  return figures.map((o) => [
    env,
    String(o.files),
    formatMs(o.turn.median),
    formatMs(o.turn.p95),
    formatMs(o.growth.first),
    formatMs(o.growth.last),
    formatMs(o.gateMs),
    formatMs(o.commit.median),
  ]);
}

function testRows(name: string, runs: TestRunFigure[] | NotMeasured | undefined): string[][] {
  if (!isMeasured(runs)) return [[name, why(runs), '', '']];
  return runs.map((r) => [name, String(r.testFiles), med(r.perWrite), `${r.passed} passed, ${r.failed} failed`]);
}

function section(title: string, body: string): string {
  return `\n### ${title}\n\n${body}\n`;
}

export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const n: Partial<NodeFigures> = isMeasured(results.node) ? results.node : {};
  const b: Partial<BrowserFigures> = isMeasured(results.browser) ? results.browser : {};
  // Why a whole part has no figures (it failed or was skipped); undefined when the part ran.
  const nodeWhy = isMeasured(results.node) ? undefined : results.node;
  const browserWhy = isMeasured(results.browser) ? undefined : results.browser;
  const out: string[] = [];
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${formatBytes(m.ramBytes)} RAM; Node ${m.node}; ${m.chromium ? `Chromium ${m.chromium}` : 'no Chromium'}; ` +
      `${m.date}; commit ${m.commit.slice(0, 12)}${m.dirty ? ' (with uncommitted changes)' : ''}; load average ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ` +
      `${m.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at end. ${results.options.runs} runs per figure${results.options.quick ? ' (--quick)' : ''}; medians over runs.`,
  );

  out.push(
    section(
      '1. Control-unit overhead per LLM turn (zero-latency scripted LLM, instant sandbox, store commit included)',
      table(
        ['where', 'files in store', 'median', 'p95', 'turns 1–10', 'turns 31–40', 'gate turn', 'commitTurn'],
        [...overheadRows('Node, memory store', n.overhead ?? nodeWhy), ...overheadRows('Chromium, IndexedDB', b.overhead ?? browserWhy)],
      ),
    ),
  );

  const syntaxRows = (env: string, s: BrowserFigures['syntax']) =>
    isMeasured(s) ? s.results.map((r) => [`in-app syntax check, ${env}`, `${r.files} × ${r.lines} lines`, med(r.summary), r.files === 1 ? `first call ${formatMs(s.coldMs)}` : '']) : [[`in-app syntax check, ${env}`, why(s), '', '']];
  out.push(
    section(
      '2. Check latency per write',
      table(
        ['check', 'files', 'median', 'note'],
        [
          ...syntaxRows('Node', n.syntax ?? nodeWhy),
          ...syntaxRows('Chromium', b.syntax ?? browserWhy),
          ...testRows('sync 1 file + all tests, Node sandbox', n.nodeTests ?? nodeWhy).map((r) => [r[0] as string, `${r[1]} test files`, r[2] as string, r[3] as string]),
          ...testRows('sync 1 file + all tests, worker sandbox (Chromium)', b.workerTests ?? browserWhy).map((r) => [r[0] as string, `${r[1]} test files`, r[2] as string, r[3] as string]),
        ],
      ),
    ),
  );

  if (n.tokens) {
    const t = n.tokens;
    out.push(
      section(
        `3. Tokens (scenario "${t.scenario}", ${t.tokenizer}; the original is a model of its request building, not its code)`,
        [
          table(
            ['', 'requests', 'input tokens', 'prefix share (follow-ups, token-weighted)', 'median request share', 'previous request repeated'],
            [
              ['L2MAC Web', String(t.ours.totals.requests), t.ours.totals.inputTokens.toLocaleString('en-US'), pct(t.ours.totals.prefixShare), pct(t.ours.totals.medianRequestShare), pct(t.ours.totals.previousReuse)],
              ['original (model)', String(t.original.totals.requests), t.original.totals.inputTokens.toLocaleString('en-US'), pct(t.original.totals.prefixShare), pct(t.original.totals.medianRequestShare), pct(t.original.totals.previousReuse)],
            ],
          ),
          '',
          table(['context', 'L2MAC Web tokens', 'original (model) tokens'], t.perGroup.map((g) => [g.group, g.ours.toLocaleString('en-US'), g.original.toLocaleString('en-US')])),
          '',
          table(
            ['files in store', 'lines', 'our listing (once per step context)', 'original list (in every control message)', 'original, 10th request of a step'],
            t.listing.map((l) => [String(l.files), l.lines.toLocaleString('en-US'), `${l.ours.tokens.toLocaleString('en-US')} tokens`, `${l.original.tokens.toLocaleString('en-US')} tokens`, `${(l.original.tokens * 10).toLocaleString('en-US')} tokens`]),
          ),
        ].join('\n'),
      ),
    );
  } else out.push(section('3. Tokens', why(nodeWhy)));

  const storeRows = (name: string, s: BrowserFigures['idbStore']) =>
    isMeasured(s)
      ? [[name, `${rate(s.files, s.bulkWriteMs)} (${s.files} × ${formatBytes(s.bytes / s.files)} in one commit: ${formatMs(s.bulkWriteMs)})`, `${rate(s.files, s.readAllMs)} (readAllFiles ${formatMs(s.readAllMs)})`, med(s.readTen), `${formatMs(s.turnCommit.median)} / ${formatMs(s.turnCommit.p95)}`]]
      : [[name, why(s), '', '', '']];
  out.push(
    section(
      '4. Store',
      table(['store', 'files written', 'files read', 'readFiles (10 paths)', 'commitTurn of a write turn, median / p95'], [...storeRows('IndexedDB (Chromium)', b.idbStore ?? browserWhy), ...storeRows('memory (Node, for comparison)', n.memoryStore ?? nodeWhy)]),
    ),
  );

  const loadRows: string[][] = [];
  if (isMeasured(b.loadBytes)) {
    const l = b.loadBytes;
    loadRows.push(['initial JS', `${kb(l.js.raw)} raw, ${kb(l.js.gzip)} gzip (${l.js.files.length} files)`]);
    loadRows.push(['initial CSS', `${kb(l.css.raw)} raw, ${kb(l.css.gzip)} gzip (${l.css.files.length} files)`]);
    if (isMeasured(l.fetchedBeforeRun)) loadRows.push(['fetched when "Run" appeared (cross-check)', `${kb(l.fetchedBeforeRun.js)} JS, ${kb(l.fetchedBeforeRun.css)} CSS`]);
  } else loadRows.push(['initial JS and CSS', why(b.loadBytes ?? browserWhy)]);
  if (isMeasured(b.loadTimes)) {
    loadRows.push(['first contentful paint', `${med(b.loadTimes.firstContentfulPaint)} (median of ${b.loadTimes.samples})`]);
    loadRows.push(['button "Run" visible', isMeasured(b.loadTimes.runVisible) ? med(b.loadTimes.runVisible) : why(b.loadTimes.runVisible)]);
    loadRows.push(['button "Run" enabled (a task typed the moment "Task" exists)', isMeasured(b.loadTimes.runInteractive) ? med(b.loadTimes.runInteractive) : why(b.loadTimes.runInteractive)]);
  } else loadRows.push(['load times', why(b.loadTimes ?? browserWhy)]);
  loadRows.push(['Monaco lazy load (import + first render)', isMeasured(b.monaco) ? `${med(b.monaco.total)} (${med(b.monaco.import)} + ${med(b.monaco.firstRender)})` : why(b.monaco ?? browserWhy)]);
  out.push(section('5. Load (vite preview, headless Chromium, fresh context per sample)', table(['figure', 'value'], loadRows)));

  const syncRows: string[][] = [];
  if (n.syncNode) {
    const s = n.syncNode;
    syncRows.push(['Node sandbox', `${s.syncs[0]?.files ?? 0} files, ${formatBytes(s.syncs[0]?.bytes ?? 0)}`, s.afterOneChange ? `${s.afterOneChange.files} file, ${formatBytes(s.afterOneChange.bytes)}` : 'no sync', '']);
  } else syncRows.push(['Node sandbox', why(nodeWhy), '', '']);
  const wc = n.syncWebContainer ?? nodeWhy;
  if (isMeasured(wc)) {
    const first = wc.containerWrites.find((w) => w.afterSync === 1);
    const second = wc.containerWrites.find((w) => w.afterSync === 2);
    syncRows.push([
      'WebContainer adapter (fake WebContainer)',
      `${wc.syncs[0]?.files ?? 0} files, ${formatBytes(wc.syncs[0]?.bytes ?? 0)}`,
      wc.afterOneChange ? `${wc.afterOneChange.files} file, ${formatBytes(wc.afterOneChange.bytes)}` : 'no sync',
      `${first ? `${first.files} files, ${formatBytes(first.bytes)}` : 'nothing'}, then ${second ? `${second.files} file(s), ${formatBytes(second.bytes)}` : 'nothing'} ` +
        `(plus its helper files: ${first?.helperFiles ?? 0} then ${second?.helperFiles ?? 0}, ${formatBytes(second?.helperBytes ?? 0)}: the gate's list of files to check)`,
    ]);
  } else syncRows.push(['WebContainer adapter', why(wc), '', '']);
  out.push(section('6. Sync: one file of a 500-file project changes', table(['sandbox', 'first sync', 'sync after the change', 'written by the adapter'], syncRows)));

  const scaleRows: string[][] = [];
  if (n.scale?.length) {
    const runs = n.scale;
    const total = runs.map((r) => r.totalMs).sort((x, y) => x - y)[Math.floor((runs.length - 1) / 2)] as number;
    const r = runs[0];
    if (r) scaleRows.push(['Node, memory store', `${r.files} files, ${r.lines.toLocaleString('en-US')} lines, ${r.requests} requests`, formatMs(total), `heap ${formatBytes(Math.max(...runs.map((x) => x.peakHeapUsed)))}, RSS ${formatBytes(Math.max(...runs.map((x) => x.peakRss ?? 0)))}`]);
  } else scaleRows.push(['Node, memory store', why(nodeWhy), '', '']);
  const bs = b.scale ?? browserWhy;
  if (isMeasured(bs)) scaleRows.push(['Chromium, IndexedDB', `${bs.files} files, ${bs.lines.toLocaleString('en-US')} lines, ${bs.requests} requests`, formatMs(bs.totalMs), `JS heap ${formatBytes(bs.peakHeapUsed)}`]);
  else scaleRows.push(['Chromium, IndexedDB', why(bs), '', '']);
  const tree = b.treeComponent ?? browserWhy;
  scaleRows.push(['file tree component, 1,000 files', isMeasured(tree) ? `${tree.treeItemsInDom} rows in the DOM (virtualised)` : '', isMeasured(tree) ? `${med(tree.toFrame)} to the next frame (mount ${med(tree.mount)})` : why(tree), '']);
  const inApp = b.treeInApp ?? browserWhy;
  scaleRows.push(['file tree in the app (navigation to first treeitem)', '', isMeasured(inApp) ? `${med(inApp.toTree)} with 1,000 files, ${med(inApp.baselineToTree)} with 10` : why(inApp), '']);
  out.push(section('7. Scale: a run writing 1,000 files and 100,000 lines', table(['where', 'run', 'total time', 'peak memory'], scaleRows)));

  out.push(section('Targets (issue 13)', table(['target', 'verdict', 'measured'], results.targets.map((t) => [t.target, t.verdict, t.detail]))));
  return out.join('\n');
}
