/**
 * "Test connection" (DESIGN.md §8), run only when the user clicks it: can this page reach the provider
 * (with the CORS fix for local servers when it cannot), is the key accepted, is the model there, does it
 * call tools (one tiny forced tool call), and — for Ollama — how much context the server really gives the
 * model. The result is structured for the UI to render; nothing is thrown except an abort.
 */
import { AbortError, AuthError, BadRequestError, L2macError, ModelNotFoundError, NetworkError, QuotaError, RateLimitError, isAbortError } from '../errors.ts';
import { classifyHttpError } from './errors.ts';
import { resolveModel, customModel } from './models.ts';
import { createOpenAiLlm } from './openai.ts';
import { requestBaseURL } from './openai-client.ts';
import { corsHelp, isLocalURL, OLLAMA_CONTEXT_NOTE, providerHeaders, providerPreset } from './providers.ts';
import type { CompletionRequest, LlmSettings, ModelInfo, ToolChoice } from './types.ts';

export type CheckId = 'reachable' | 'key' | 'model' | 'tools' | 'context';
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface ConnectionCheck {
  id: CheckId;
  status: CheckStatus;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export interface ConnectionReport {
  /** No check failed. */
  ok: boolean;
  checks: ConnectionCheck[];
  /** Model ids the server lists, when it lists them. */
  models?: string[];
  /** Figures the server published for the model (OpenRouter's /models), for the UI to offer as overrides. */
  modelHint?: Partial<Pick<ModelInfo, 'contextWindow' | 'maxOutputTokens' | 'prices'>>;
  /** Whether a forced `tool_choice` naming a function was accepted (planning forces one). */
  forcedToolChoice?: boolean;
  /** Ollama only: the context the loaded model got (`num_ctx`) and the model's own maximum. */
  ollama?: { allocatedContext?: number; modelContext?: number };
}

export interface ConnectionTestOptions {
  signal?: AbortSignal;
  /** For the CORS hint; default `location.origin` in a browser. */
  pageOrigin?: string;
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

const PROBE_TOOL = 'report_ready';
const PROBE_REQUEST: Omit<CompletionRequest, 'toolChoice'> = {
  messages: [{ role: 'user', content: `This is a connection test. Call the ${PROBE_TOOL} tool with ready set to true.` }],
  tools: [
    {
      type: 'function',
      function: {
        name: PROBE_TOOL,
        description: 'Report that the connection works.',
        parameters: { type: 'object', properties: { ready: { type: 'boolean' } }, required: ['ready'] },
      },
    },
  ],
  meta: { runId: 'connection-test', kind: 'step', step: 0, turn: 0, restart: 0 },
};
/** Enough for the probe; keeps a reasoning model's test cheap. */
const PROBE_REPLY_TOKENS = 1_024;
const OLLAMA_MIN_CONTEXT = 32_768;

interface ModelEntry {
  id?: unknown;
  context_length?: unknown;
  top_provider?: { max_completion_tokens?: unknown } | null;
  pricing?: { prompt?: unknown; completion?: unknown; input_cache_read?: unknown } | null;
}

const perMillion = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : Number(value) * 1_000_000);

/** OpenRouter-style metadata of one model entry, when present and numeric. */
function hintFrom(entry: ModelEntry): ConnectionReport['modelHint'] {
  const hint: NonNullable<ConnectionReport['modelHint']> = {};
  if (typeof entry.context_length === 'number' && entry.context_length > 0) hint.contextWindow = entry.context_length;
  const maxOut = entry.top_provider?.max_completion_tokens;
  if (typeof maxOut === 'number' && maxOut > 0) hint.maxOutputTokens = maxOut;
  const input = perMillion(entry.pricing?.prompt);
  const output = perMillion(entry.pricing?.completion);
  if (input !== undefined && output !== undefined && Number.isFinite(input) && Number.isFinite(output)) {
    const cached = perMillion(entry.pricing?.input_cache_read);
    hint.prices = { input, output, cachedInput: cached !== undefined && Number.isFinite(cached) ? cached : input };
  }
  return Object.keys(hint).length ? hint : undefined;
}

/** Ollama names `qwen2.5-coder` and `qwen2.5-coder:latest` the same model. */
function sameModel(a: string, b: string): boolean {
  const norm = (id: string) => (id.includes(':') ? id : `${id}:latest`);
  return a === b || norm(a) === norm(b);
}

export async function testConnection(settings: LlmSettings, apiKey: string, options: ConnectionTestOptions = {}): Promise<ConnectionReport> {
  const { signal } = options;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = requestBaseURL(settings);
  const preset = providerPreset(settings.provider);
  const local = preset?.local ?? isLocalURL(base);
  const pageOrigin = options.pageOrigin ?? (typeof location === 'undefined' ? '' : location.origin);
  const report: ConnectionReport = { ok: false, checks: [] };
  const add = (check: ConnectionCheck) => report.checks.push(check);
  const finish = () => {
    report.ok = report.checks.every((c) => c.status !== 'fail');
    return report;
  };
  const unreachable = (detail: string) => {
    add({ id: 'reachable', status: 'fail', message: `Could not reach ${base} from this page (${detail}).`, hint: local ? corsHelp(settings.provider, base, pageOrigin) : 'Check the Base URL and your network. The server must also allow this page’s origin (CORS).' });
    for (const id of ['key', 'model', 'tools'] as const) add({ id, status: 'skipped', message: 'Not checked: the server could not be reached.' });
    return finish();
  };
  if (!/^https?:\/\//i.test(base)) return unreachable('the Base URL must start with http:// or https://');

  let reachable = false;
  if (preset?.listsModels ?? true) {
    let response: Response | undefined;
    try {
      const headers: Record<string, string> = { ...providerHeaders(settings.provider) };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      response = await doFetch(`${base}/models`, { headers, signal });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw new AbortError();
      return unreachable(error instanceof Error ? error.message : String(error));
    }
    reachable = true;
    add({ id: 'reachable', status: 'ok', message: `${base} answered.` });
    if (response.status === 401 || response.status === 403) {
      const error = classifyHttpError({ status: response.status, body: await response.text().catch(() => '') });
      add({ id: 'key', status: 'fail', message: `The key was refused: ${error.message}`, hint: 'Paste the key again, or create a new one.' });
      for (const id of ['model', 'tools'] as const) add({ id, status: 'skipped', message: 'Not checked: the key was refused.' });
      return finish();
    }
    if (response.ok) {
      const body = (await response.json().catch(() => ({}))) as { data?: ModelEntry[] };
      const entries = Array.isArray(body.data) ? body.data : [];
      report.models = entries.map((e) => String(e.id ?? '')).filter(Boolean);
      if (preset?.needsKey) add({ id: 'key', status: 'ok', message: 'The key was accepted.' });
      const entry = entries.find((e) => typeof e.id === 'string' && sameModel(e.id, settings.model));
      if (entry) {
        add({ id: 'model', status: 'ok', message: `${settings.model} is available.` });
        report.modelHint = hintFrom(entry);
      } else if (report.models.length) {
        const some = report.models.slice(0, 8).join(', ');
        add({ id: 'model', status: 'fail', message: `${settings.model || '(no model)'} is not among the ${report.models.length} models the server lists.`, hint: `Available: ${some}${report.models.length > 8 ? ', …' : ''}` });
      }
    }
  }

  await probeTools(settings, apiKey, report, { reachable, local, base, pageOrigin, signal, fetch: options.fetch });
  if (settings.provider === 'ollama' && report.checks.every((c) => c.id !== 'reachable' || c.status === 'ok')) {
    await checkOllamaContext(settings.model, base, report, doFetch, signal);
  }
  return finish();
}

interface ProbeContext {
  reachable: boolean;
  local: boolean;
  base: string;
  pageOrigin: string;
  signal?: AbortSignal;
  fetch?: ConnectionTestOptions['fetch'];
}

/** One tiny tool call: forced to the probe tool, then, if a forced choice is refused, with `required`. */
async function probeTools(settings: LlmSettings, apiKey: string, report: ConnectionReport, ctx: ProbeContext): Promise<void> {
  const has = (id: CheckId) => report.checks.some((c) => c.id === id);
  /** A check from the probe; an earlier failed check of the same kind (with its hint) is kept. */
  const add = (check: ConnectionCheck) => {
    if (!report.checks.some((c) => c.id === check.id && c.status === 'fail')) setCheck(report, check);
  };
  const model: ModelInfo = resolveModel(settings) ?? customModel(settings.model, { contextWindow: 8_192 });
  let result;
  try {
    const llm = await createOpenAiLlm(settings, apiKey, { ...model, maxOutputTokens: Math.min(model.maxOutputTokens, PROBE_REPLY_TOKENS) });
    const attempt = (toolChoice: ToolChoice) => llm.complete({ ...PROBE_REQUEST, toolChoice }, { signal: ctx.signal });
    try {
      result = await attempt({ type: 'function', function: { name: PROBE_TOOL } });
      report.forcedToolChoice = true;
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      result = await attempt('required');
      report.forcedToolChoice = false;
    }
  } catch (error) {
    if (ctx.signal?.aborted || isAbortError(error)) throw new AbortError();
    const typed = error instanceof L2macError ? error : new NetworkError(String(error));
    if (!has('reachable')) {
      if (typed instanceof NetworkError) {
        add({ id: 'reachable', status: 'fail', message: `Could not reach ${ctx.base} from this page.`, hint: ctx.local ? corsHelp(settings.provider, ctx.base, ctx.pageOrigin) : 'Check the Base URL and your network.' });
        return;
      }
      add({ id: 'reachable', status: 'ok', message: `${ctx.base} answered.` });
    }
    if (typed instanceof AuthError) add({ id: 'key', status: 'fail', message: `The key was refused: ${typed.message}` });
    else if (typed instanceof ModelNotFoundError) add({ id: 'model', status: 'fail', message: `The provider does not know ${settings.model}: ${typed.message}` });
    else if (typed instanceof QuotaError) add({ id: 'key', status: 'fail', message: `The account has no credit left: ${typed.message}` });
    else if (typed instanceof RateLimitError) add({ id: 'tools', status: 'warn', message: `Rate limited while testing; try again shortly. ${typed.message}` });
    else add({ id: 'tools', status: 'fail', message: `The test request failed: ${typed.message}`, hint: 'The model may not support tool calling (function calling), which the app needs.' });
    return;
  }
  if (!has('reachable')) add({ id: 'reachable', status: 'ok', message: `${ctx.base} answered.` });
  if (!has('key') && providerPreset(settings.provider)?.needsKey) add({ id: 'key', status: 'ok', message: 'The key was accepted.' });
  // The model answered, whatever a listing said (servers alias names).
  setCheck(report, { id: 'model', status: 'ok', message: `${settings.model} answered.` });
  const called = result.message.tool_calls?.some((c) => c.function.name === PROBE_TOOL);
  if (!called) {
    add({ id: 'tools', status: 'fail', message: 'The model answered in text instead of calling the tool.', hint: 'Choose a model that supports tool calling (function calling); the app cannot work without it.' });
  } else if (report.forcedToolChoice === false) {
    add({ id: 'tools', status: 'warn', message: 'Tool calling works, but the provider refused a forced tool choice; planning will ask for any tool call instead.' });
  } else {
    add({ id: 'tools', status: 'ok', message: 'The model called the test tool.' });
  }
}

/** Ollama: the context the loaded model actually got (`/api/ps`) against its maximum (`/api/show`). */
async function checkOllamaContext(
  model: string,
  base: string,
  report: ConnectionReport,
  doFetch: NonNullable<ConnectionTestOptions['fetch']>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const origin = new URL(base).origin;
  const info: NonNullable<ConnectionReport['ollama']> = {};
  try {
    const ps = (await (await doFetch(`${origin}/api/ps`, { signal })).json()) as { models?: Array<{ name?: string; model?: string; context_length?: number }> };
    const loaded = ps.models?.find((m) => sameModel(m.name ?? m.model ?? '', model));
    if (typeof loaded?.context_length === 'number') info.allocatedContext = loaded.context_length;
    const show = (await (await doFetch(`${origin}/api/show`, { method: 'POST', body: JSON.stringify({ model }), signal })).json()) as { parameters?: string; model_info?: Record<string, unknown> };
    const maxKey = Object.keys(show.model_info ?? {}).find((k) => k.endsWith('.context_length'));
    const max = maxKey ? show.model_info?.[maxKey] : undefined;
    if (typeof max === 'number') info.modelContext = max;
    const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters ?? '')?.[1];
    if (info.allocatedContext === undefined && numCtx) info.allocatedContext = Number(numCtx);
  } catch (error) {
    if (signal?.aborted || isAbortError(error)) throw new AbortError();
  }
  report.ollama = info;
  const allocated = info.allocatedContext;
  if (allocated !== undefined && allocated >= OLLAMA_MIN_CONTEXT) {
    setCheck(report, { id: 'context', status: 'ok', message: `Ollama gives ${model} a context of ${allocated.toLocaleString('en-US')} tokens. Set the Context window to ${allocated.toLocaleString('en-US')}.` });
  } else {
    const what = allocated !== undefined ? `Ollama gives ${model} a context of only ${allocated.toLocaleString('en-US')} tokens${info.modelContext ? ` (the model supports ${info.modelContext.toLocaleString('en-US')})` : ''}.` : 'Could not tell how much context Ollama gives this model.';
    setCheck(report, { id: 'context', status: 'warn', message: what, hint: OLLAMA_CONTEXT_NOTE });
  }
}

/** Adds a check, replacing one of the same kind. */
function setCheck(report: ConnectionReport, check: ConnectionCheck): void {
  const index = report.checks.findIndex((c) => c.id === check.id);
  if (index >= 0) report.checks[index] = check;
  else report.checks.push(check);
}
