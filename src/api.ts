/**
 * The library API (DESIGN.md §4 "API"): one call from a task to its files, in Node (tests, benchmarks) as
 * in the browser. It composes the control unit with an LLM (an OpenAI-compatible endpoint, wrapped in the
 * retry policy, or a ready `LlmPort`), a store (memory by default) and a sandbox.
 */
import { AbortError, RunPausedError } from './errors.ts';
import { runL2MAC, type RunHandle } from './l2mac/run.ts';
import { RunFailedError } from './l2mac/run-errors.ts';
import { DEFAULT_LIMITS, type Domain, type Limits } from './l2mac/run-state.ts';
import type { RunEventListener } from './l2mac/events.ts';
import { resolveModel } from './llm/models.ts';
import { createOpenAiLlm } from './llm/openai.ts';
import { withRetries, type RetryPolicy } from './llm/retry.ts';
import type { LlmPort, LlmSettings, ModelInfo, ProviderId } from './llm/types.ts';
import type { Sandbox, SandboxChoice, SandboxFactory } from './sandbox/types.ts';
import { MemoryStore } from './store/memory.ts';
import type { FileStore, RunSettings } from './store/types.ts';

export interface GenerateOptions {
  /** A ready LLM port (e.g. the scripted LLM), used as given. Otherwise `baseURL`, `apiKey` and `model`. */
  llm?: LlmPort;
  /** OpenAI-compatible endpoint, e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1". */
  baseURL?: string;
  /** Sent only to `baseURL`; never stored. */
  apiKey?: string;
  model?: string;
  provider?: ProviderId;
  /** Overrides of the model table's row; for a model the table does not know, `contextWindow` is required. */
  modelInfo?: Partial<Omit<ModelInfo, 'id'>>;
  retry?: RetryPolicy;
  /** Where the run lives (default: a new MemoryStore). */
  store?: FileStore;
  /** Runs the generated tests (codebase). Without one, files are syntax-checked only. */
  sandbox?: Sandbox;
  sandboxFactory?: SandboxFactory;
  limits?: Partial<Limits>;
  /** On by default: a step completes only when its tests ran and passed (DESIGN.md §4). */
  requirePassingTests?: boolean;
  /** Your own steps instead of a generated plan. */
  promptProgram?: string[];
  /** Pause after planning for review: the call then rejects with RunPausedError (reason plan review). */
  planFirst?: boolean;
  /** Starting files: the task changes this existing codebase. */
  files?: Record<string, string>;
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Receives the run's handle as soon as the run exists (to pause it, add notes, or read its id). */
  onStart?: (handle: RunHandle) => void;
}

function endpointModel(options: GenerateOptions): ModelInfo {
  const id = options.model ?? '';
  const model = resolveModel({ model: id, provider: options.provider ?? 'custom', modelOverrides: options.modelInfo ?? {} });
  if (!model) {
    throw new TypeError(`The model "${id}" is not in the model table: give modelInfo.contextWindow (in tokens); it is never guessed from the name.`);
  }
  return model;
}

async function llmFor(options: GenerateOptions): Promise<{ llm: LlmPort; settings: LlmSettings }> {
  if (options.llm) {
    return { llm: options.llm, settings: { provider: options.provider ?? 'custom', baseURL: options.baseURL ?? '', model: options.llm.model.id } };
  }
  if (!options.baseURL || !options.model) throw new TypeError('Give either `llm`, or `baseURL`, `apiKey` and `model`.');
  const settings: LlmSettings = { provider: options.provider ?? 'custom', baseURL: options.baseURL, model: options.model };
  const model = endpointModel(options);
  const inner = await createOpenAiLlm(settings, options.apiKey ?? '', model, {
    completionReserveCap: options.limits?.completionReserveCap ?? DEFAULT_LIMITS.completionReserveCap,
  });
  return { llm: withRetries(inner, { maxRetries: options.limits?.llmRetries ?? DEFAULT_LIMITS.llmRetries, ...options.retry }), settings };
}

/** Runs the task to the end and returns the final files; a paused run rejects with RunPausedError. */
export async function generate(task: string, domain: Domain, options: GenerateOptions): Promise<Record<string, string>> {
  if (domain === 'codebase' && !options.sandbox && !options.sandboxFactory && options.requirePassingTests !== false) {
    // Without a sandbox no test can run, so no step could ever pass its gate.
    throw new TypeError('generateCodebase needs a sandbox (or sandboxFactory) to run the generated tests, or requirePassingTests: false.');
  }
  const { llm, settings: llmSettings } = await llmFor(options);
  const store = options.store ?? new MemoryStore();
  const settings: RunSettings = {
    llm: llmSettings,
    model: llm.model,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    requirePassingTests: options.requirePassingTests ?? true,
    sandbox: (options.sandbox?.kind === 'worker' ? 'worker' : 'auto') satisfies SandboxChoice,
    planFirst: options.planFirst ?? false,
    ...(options.promptProgram ? { promptProgram: options.promptProgram } : {}),
  };
  const handle = await runL2MAC({
    task,
    domain,
    settings,
    store,
    llm,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.sandboxFactory ? { sandboxFactory: options.sandboxFactory } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  options.onStart?.(handle);
  const run = await handle.done;
  const files = await store.readAllFiles(run.id);
  switch (run.status) {
    case 'completed':
      return files;
    case 'paused':
      throw new RunPausedError(run.id, run.statusReason ?? run.pauseReason ?? 'paused', files);
    case 'cancelled':
      throw new AbortError(`Run ${run.id} was cancelled.`);
    default:
      throw new RunFailedError(run.id, run.statusReason ?? run.status, files);
  }
}

/** A whole codebase (JavaScript/TypeScript Node ES modules with node:test tests) from one task. */
export function generateCodebase(task: string, options: GenerateOptions): Promise<Record<string, string>> {
  return generate(task, 'codebase', options);
}

/** A whole book (Markdown: `outline.md` and its linked chapter files) from one request. */
export function generateBook(task: string, options: GenerateOptions): Promise<Record<string, string>> {
  return generate(task, 'book', options);
}
