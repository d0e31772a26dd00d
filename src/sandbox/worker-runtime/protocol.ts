/**
 * What the main thread and the worker sandbox's worker say to each other, and the shape of a prepared
 * module. Plain data only: everything here crosses `postMessage`.
 */

/** One static import/re-export target of a module, in source order. */
export interface ModuleRequest {
  specifier: string;
  /** The `type` import attribute (`with { type: 'json' }`), if any. */
  type?: string;
}

/** Where a request leads, decided on the main thread from the project's files. */
export type RequestTarget =
  | { kind: 'file'; path: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'error'; code: string; message: string };

/**
 * A module after the transform (see `prepare/transform.ts`): ES modules become a generator function in a
 * blob module, instantiated and evaluated by the worker's loader; JSON files are parsed by the loader.
 */
export interface TransformedModule {
  format: 'esm' | 'json';
  /** ESM: the text of the blob module whose default export is the module's generator function. */
  code: string;
  /** The module's source (after TS/JSX stripping): JSON text, or the base of position mapping. */
  source: string;
  /** Where the source's first line starts in `code`. */
  bodyOffset: number;
  /** `[sourceStart, sourceEnd, outputStart, outputEnd]` per replacement, body-relative (`positions.ts`). */
  replacements: number[];
  /**
   * Output offsets just after each rewritten callee (`(0,__l2m$n0.f)`): V8 reports a call there, Node at
   * the callee's start, so these map to the replacement's source start.
   */
  callees: number[];
  /** Uses top-level await. */
  async: boolean;
  requests: ModuleRequest[];
  /** Named and default imports, checked at link time like Node ("does not provide an export named"). */
  imports: { request: number; name: string; line: number; column: number }[];
  localExports: string[];
  /** `export { a as b } from` and `export * as ns from` (`imported: '*'`). */
  indirectExports: { name: string; request: number; imported: string }[];
  starExports: number[];
  /** String-literal specifiers of `import()` expressions. */
  dynamicSpecifiers: string[];
  /** Globals Node has and the worker lacks (`MISSING_GLOBALS`), used outside `typeof`. */
  missingGlobals: string[];
  /** No ESM syntax, but free `require`/`module`/`exports`: CommonJS, if the package says nothing else. */
  looksCommonJs: boolean;
  /** Why this module cannot run here: it needs the full sandbox, or it does not parse. */
  failure?: { kind: 'unsupported' | 'syntax'; message: string };
}

export interface PreparedModule extends TransformedModule {
  path: string;
  targets: RequestTarget[];
}

/** The project as the worker sees it: every runnable module, prepared. */
export interface PreparedProject {
  modules: Record<string, PreparedModule>;
  /** Every project path (for resolving computed `import()` specifiers). */
  paths: string[];
}

export interface TestJob {
  op: 'test';
  project: PreparedProject;
  file: string;
}

export interface RunJob {
  op: 'run';
  project: PreparedProject;
  file: string;
  args: string[];
}

/** How a file is parsed for `checkSyntax`: as Node would load it. */
export type SourceKind = 'module' | 'script' | 'detect';

/** Parse (never run) files with the browser's JavaScript engine: V8, as in Node. */
export interface CheckJob {
  op: 'check';
  files: { path: string; code: string; kind: SourceKind }[];
}

export type Job = TestJob | RunJob | CheckJob;

/** A serialised error as the report needs it. */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** Set for assertion errors. */
  expected?: string;
  actual?: string;
  operator?: string;
  /** Set when the error means "needs the full sandbox". */
  unsupported?: string;
  cause?: ErrorInfo;
}

/** Node's reporter events (`test:pass`/`test:fail`...), reduced to what the report and the TAP need. */
export type TestEvent =
  /** A test began to run (not a Node event: tells the page which test a time-out stopped). */
  | { type: 'begin'; name: string }
  | { type: 'start'; nesting: number; name: string }
  | {
      type: 'result';
      passed: boolean;
      nesting: number;
      testNumber: number;
      name: string;
      /** Names of the enclosing tests and suites, outermost first. */
      parents: string[];
      durationMs: number;
      suite: boolean;
      skip?: string | true;
      todo?: string | true;
      cancelled: boolean;
      location?: string;
      failureType?: string;
      error?: ErrorInfo;
    }
  | { type: 'plan'; nesting: number; count: number }
  | { type: 'diagnostic'; nesting: number; message: string };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'test'; event: TestEvent }
  | { type: 'unsupported'; reason: string }
  /** One file of a `check` job: `error` is V8's message when it does not parse. */
  | { type: 'syntax'; path: string; error?: string }
  | { type: 'done'; exitCode: number; error?: ErrorInfo };
