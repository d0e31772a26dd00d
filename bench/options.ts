/** Command-line options of `npm run bench` (see the README, "Performance"). */

export const FIGURES = ['overhead', 'checks', 'tokens', 'store', 'load', 'sync', 'scale'] as const;
export type FigureId = (typeof FIGURES)[number];

export interface BenchOptions {
  /** Fewer repetitions and sizes: a smoke run of every figure (figures are then noisier). */
  quick: boolean;
  /** Repetitions of each timed figure (default 5; 2 with --quick). */
  runs: number;
  only: ReadonlySet<FigureId>;
  /** Skip everything that needs Chromium (figures then say "not measured"). */
  skipBrowser: boolean;
  /** Where the JSON goes. */
  out: string;
  port: number;
}

export const USAGE = `npm run bench [-- options]
  --quick            fewer repetitions (a smoke run; noisier figures)
  --runs N           repetitions of each timed figure (default 5)
  --only a,b         only these figures: ${FIGURES.join(', ')}
  --skip-browser     Node figures only
  --out FILE         JSON output (default bench-results/latest.json)
  --port N           port of vite preview for the browser figures (default 4210)`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    const inline = argv.find((a) => a.startsWith(`${name}=`));
    return inline ? inline.slice(name.length + 1) : i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const runs = Number(value('--runs') ?? (quick ? 2 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1\n${USAGE}`);
  const onlyText = value('--only');
  const only = new Set<FigureId>();
  for (const name of onlyText ? onlyText.split(',') : FIGURES) {
    if (!(FIGURES as readonly string[]).includes(name)) throw new Error(`Unknown figure "${name}".\n${USAGE}`);
    only.add(name as FigureId);
  }
  const port = Number(value('--port') ?? process.env.PREVIEW_PORT ?? 4210);
  return { quick, runs, only, skipBrowser: argv.includes('--skip-browser'), out: value('--out') ?? 'bench-results/latest.json', port };
}
