/** The shape of `bench-results/latest.json`. Times in milliseconds, sizes in bytes, shares in 0–1. */
import type { overheadFigureOf } from './core/overhead.ts';
import type { ScaleResult } from './core/scale.ts';
import type { acrossRuns, Summary } from './core/stats.ts';
import type { SyncResult } from './core/sync-bench.ts';
import type { WebContainerSyncResult } from './node/webcontainer-sync.ts';
import type { TokensResult } from './tokens/tokens-bench.ts';

export type AcrossRuns = ReturnType<typeof acrossRuns>;
export interface NotMeasured {
  notMeasured: string;
}

export type OverheadFigure = ReturnType<typeof overheadFigureOf>;

export interface SyntaxFigure {
  coldMs: number;
  results: { files: number; lines: number; summary: Summary }[];
}

export interface TestRunFigure {
  testFiles: number;
  initialSyncMs: number;
  perWrite: Summary;
  passed: number;
  failed: number;
}

export interface StoreFigure {
  files: number;
  bytes: number;
  bulkWriteMs: number;
  readAllMs: number;
  readTen: AcrossRuns;
  turnCommit: AcrossRuns;
}

export interface NodeFigures {
  loadBefore: number[];
  loadAfter: number[];
  overhead?: OverheadFigure[];
  syntax?: SyntaxFigure;
  nodeTests?: TestRunFigure[];
  tokens?: TokensResult;
  memoryStore?: StoreFigure;
  syncNode?: SyncResult;
  syncWebContainer?: WebContainerSyncResult | NotMeasured;
  scale?: ScaleResult[];
}

export interface AssetBytes {
  file: string;
  raw: number;
  gzip: number;
}

export interface LoadBytes {
  js: { raw: number; gzip: number; files: AssetBytes[] };
  css: { raw: number; gzip: number; files: AssetBytes[] };
  html: { raw: number; gzip: number };
  /** JS and CSS the page had fetched when the button "Run" appeared (a cross-check: no lazy chunk). */
  fetchedBeforeRun?: { js: number; css: number; files: string[] } | NotMeasured;
}

export interface LoadTimes {
  samples: number;
  firstContentfulPaint: Summary;
  /** Navigation start to a visible button "Run" (disabled until a task is typed). */
  runVisible: Summary | NotMeasured;
  /** Navigation start to the button "Run" enabled, a task typed into "Task" in the page the moment it exists. */
  runInteractive: Summary | NotMeasured;
}

export interface BrowserFigures {
  chromium: string;
  loadBefore: number[];
  loadAfter: number[];
  overhead?: OverheadFigure[] | NotMeasured;
  syntax?: SyntaxFigure | NotMeasured;
  workerTests?: TestRunFigure[] | NotMeasured;
  idbStore?: StoreFigure | NotMeasured;
  loadBytes?: LoadBytes | NotMeasured;
  loadTimes?: LoadTimes | NotMeasured;
  monaco?: { samples: number; import: Summary; firstRender: Summary; total: Summary } | NotMeasured;
  scale?: ScaleResult | NotMeasured;
  treeComponent?: { files: number; samples: number; mount: Summary; toFrame: Summary; treeItemsInDom: number } | NotMeasured;
  treeInApp?: { files: number; samples: number; toTree: Summary; baselineFiles: number; baselineToTree: Summary } | NotMeasured;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramBytes: number;
  node: string;
  chromium: string | null;
  platform: string;
  date: string;
  commit: string;
  /** Uncommitted changes to tracked files when the figures were taken. */
  dirty: boolean;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

export interface TargetVerdict {
  target: string;
  figure: string;
  verdict: 'PASS' | 'MISS' | 'NOT MEASURED';
  detail: string;
}

export interface BenchResults {
  format: 'l2mac-bench/1';
  machine: Machine;
  options: { quick: boolean; runs: number; figures: string[] };
  node: NodeFigures | NotMeasured;
  browser: BrowserFigures | NotMeasured;
  targets: TargetVerdict[];
}
