/**
 * A classroom preset: the settings and task a teacher shares as a link (provider, base URL, model, limits,
 * task, an optional prompt program) — never an API key. This module holds the shape and its validation;
 * `link.ts` puts it in a URL fragment, `apply.ts` applies it to the app's settings.
 */
import { DEFAULT_LIMITS, MAX_STEPS_CEILING, type Domain, type Limits } from '../l2mac/run-state.ts';
import type { ProviderId } from '../llm/types.ts';
import type { SandboxChoice } from '../sandbox/types.ts';

export const PRESET_VERSION = 1;

export type PresetProvider = Exclude<ProviderId, 'scripted'>;

export interface ClassroomPreset {
  v: typeof PRESET_VERSION;
  /** A name for the preset, shown in the confirmation ("Week 3: a to-do API"). */
  title?: string;
  provider?: PresetProvider;
  baseURL?: string;
  model?: string;
  /** Azure OpenAI only. */
  apiVersion?: string;
  deployment?: string;
  /** The model's context window in tokens (needed for models the app's table does not know). */
  contextWindow?: number;
  maxOutputTokens?: number;
  limits?: Partial<Limits>;
  requirePassingTests?: boolean;
  sandbox?: SandboxChoice;
  domain?: Domain;
  task?: string;
  promptProgram?: string[];
}

export class PresetError extends Error {
  override name = 'PresetError';
}

const PROVIDERS: readonly PresetProvider[] = ['openai', 'azure', 'openrouter', 'anthropic', 'gemini', 'ollama', 'lmstudio', 'custom'];
const SANDBOXES: readonly SandboxChoice[] = ['auto', 'worker', 'webcontainer'];
const DOMAINS: readonly Domain[] = ['codebase', 'book'];

export const MAX_TASK_CHARS = 20_000;
export const MAX_STEP_CHARS = 5_000;
const MAX_FIELD_CHARS = 500;

/** Allowed range of each limit a preset may set (whole numbers unless noted). */
export const LIMIT_RANGES: Readonly<Record<keyof Limits, readonly [number, number]>> = {
  maxSteps: [1, MAX_STEPS_CEILING],
  turnsPerStep: [1, 500],
  restartsPerStep: [0, 50],
  toolCallsPerReply: [1, 200],
  spendPerRun: [0, 10_000],
  repeatedReplies: [1, 50],
  testTimeoutPerFileMs: [100, 600_000],
  testTimeoutPerRunMs: [100, 3_600_000],
  runFileTimeoutMs: [100, 600_000],
  llmRetries: [0, 50],
  completionReserveCap: [256, 1_000_000],
  planExploreTurns: [0, 50],
  planRetries: [0, 20],
};

/** The preset's own field names (and the limits'), never taken for credentials ("maxOutputTokens"). */
const OWN_FIELDS = new Set([
  'v', 'title', 'provider', 'baseURL', 'model', 'apiVersion', 'deployment', 'contextWindow', 'maxOutputTokens', 'limits',
  'requirePassingTests', 'sandbox', 'domain', 'task', 'promptProgram', ...Object.keys(DEFAULT_LIMITS),
]);

const CREDENTIAL_WORD = /key|token|secret|passw|pwd|auth|bearer|credential|cookie|session/i;

/**
 * Whether a field name could carry a credential (`apiKey`, `api_key`, `token`, `Authorization`, …). A preset
 * never holds one: such fields are dropped, at any depth, before a link is made and again when one is read.
 */
export function isKeyLikeName(name: string): boolean {
  return !OWN_FIELDS.has(name) && CREDENTIAL_WORD.test(name);
}

/** Strings shaped like well-known API keys (OpenAI/Anthropic `sk-…`, Google `AIza…`, GitHub, Slack, a JWT). */
const KEY_LIKE_VALUE = /\b(?:sk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/;

export function looksLikeKey(text: string): boolean {
  return KEY_LIKE_VALUE.test(text);
}

/** Removes key-like fields at any depth; returns the cleaned value and the paths removed. */
export function stripKeyLikeFields(value: unknown, path = ''): { value: unknown; removed: string[] } {
  if (Array.isArray(value)) {
    const removed: string[] = [];
    const items = value.map((item, i) => {
      const inner = stripKeyLikeFields(item, `${path}[${i}]`);
      removed.push(...inner.removed);
      return inner.value;
    });
    return { value: items, removed };
  }
  if (typeof value !== 'object' || value === null) return { value, removed: [] };
  const removed: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    const here = path ? `${path}.${name}` : name;
    if (isKeyLikeName(name)) {
      removed.push(here);
      continue;
    }
    const cleaned = stripKeyLikeFields(inner, here);
    removed.push(...cleaned.removed);
    out[name] = cleaned.value;
  }
  return { value: out, removed };
}

/**
 * A base URL without anything that could be a credential: user name and password, and query parameters
 * named like keys (`?key=`, `?api-key=`), which some providers accept. Returns the cleaned URL and whether
 * something was removed; throws for a URL that is not absolute http(s).
 */
export function cleanBaseURL(raw: string): { url: string; removed: boolean } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PresetError(`The base URL "${raw.slice(0, 100)}" is not a valid address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PresetError(`The base URL must start with http:// or https:// (got ${url.protocol}).`);
  let removed = false;
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    removed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (isKeyLikeName(name) || looksLikeKey(url.searchParams.get(name) ?? '')) {
      url.searchParams.delete(name);
      removed = true;
    }
  }
  url.hash = '';
  return { url: url.href.replace(/\?$/, ''), removed };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(input: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new PresetError(`"${field}" must be text.`);
  if (value.length > max) throw new PresetError(`"${field}" is too long (${value.length} characters; at most ${max}).`);
  return value;
}

function wholeNumber(value: unknown, field: string, min: number, max: number, whole = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < min || value > max) {
    throw new PresetError(`"${field}" must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}.`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new PresetError(`"${field}" must be one of ${allowed.join(', ')}.`);
  return value as T;
}

function limitsOf(value: unknown): Partial<Limits> {
  if (!isRecord(value)) throw new PresetError('"limits" must be an object.');
  const limits: Partial<Limits> = {};
  for (const [name, raw] of Object.entries(value)) {
    const range = LIMIT_RANGES[name as keyof Limits];
    if (!range) throw new PresetError(`"limits.${name}" is not a limit this app knows (known: ${Object.keys(DEFAULT_LIMITS).join(', ')}).`);
    limits[name as keyof Limits] = wholeNumber(raw, `limits.${name}`, range[0], range[1], name !== 'spendPerRun');
  }
  return limits;
}

export interface ValidatedPreset {
  preset: ClassroomPreset;
  /** Things the reader should know: key-like fields that were dropped, fields from a newer app ignored. */
  notices: string[];
}

const KNOWN_FIELDS = new Set([...OWN_FIELDS].filter((name) => !(name in DEFAULT_LIMITS)));

/**
 * Checks untrusted input (a decoded link, or settings about to be shared) and returns a clean preset:
 * key-like fields and URL credentials removed, every field type- and range-checked, nothing else kept.
 * Throws PresetError naming the first problem; a value that looks like an API key anywhere is refused.
 */
export function validatePreset(input: unknown): ValidatedPreset {
  if (!isRecord(input)) throw new PresetError('The preset is not an object.');
  const stripped = stripKeyLikeFields(input);
  const raw = stripped.value as Record<string, unknown>;
  const notices: string[] = [];
  if (stripped.removed.length) notices.push(`Ignored ${stripped.removed.join(', ')}: a preset never carries an API key or other credential.`);
  if (raw.v !== PRESET_VERSION) {
    throw new PresetError(typeof raw.v === 'number' && raw.v > PRESET_VERSION ? `This preset was made by a newer version of the app (format ${raw.v}); reload the page to update.` : `Unknown preset format ${JSON.stringify(raw.v)}.`);
  }
  const unknown = Object.keys(raw).filter((name) => !KNOWN_FIELDS.has(name));
  if (unknown.length) notices.push(`Ignored fields this app does not know: ${unknown.join(', ')}.`);

  const preset: ClassroomPreset = { v: PRESET_VERSION };
  const title = text(raw, 'title', 200);
  if (title !== undefined) preset.title = title;
  if (raw.provider !== undefined) preset.provider = oneOf(raw.provider, 'provider', PROVIDERS);
  const baseURL = text(raw, 'baseURL', 2_000);
  if (baseURL !== undefined) {
    const cleaned = cleanBaseURL(baseURL);
    if (cleaned.removed) notices.push('Removed a credential from the base URL: a preset never carries one.');
    preset.baseURL = cleaned.url;
  }
  for (const field of ['model', 'apiVersion', 'deployment'] as const) {
    const value = text(raw, field, MAX_FIELD_CHARS);
    if (value !== undefined) preset[field] = value.trim();
  }
  if (raw.contextWindow !== undefined) preset.contextWindow = wholeNumber(raw.contextWindow, 'contextWindow', 1_024, 100_000_000);
  if (raw.maxOutputTokens !== undefined) preset.maxOutputTokens = wholeNumber(raw.maxOutputTokens, 'maxOutputTokens', 1, 10_000_000);
  if (raw.limits !== undefined) preset.limits = limitsOf(raw.limits);
  if (raw.requirePassingTests !== undefined) {
    if (typeof raw.requirePassingTests !== 'boolean') throw new PresetError('"requirePassingTests" must be true or false.');
    preset.requirePassingTests = raw.requirePassingTests;
  }
  if (raw.sandbox !== undefined) preset.sandbox = oneOf(raw.sandbox, 'sandbox', SANDBOXES);
  if (raw.domain !== undefined) preset.domain = oneOf(raw.domain, 'domain', DOMAINS);
  const task = text(raw, 'task', MAX_TASK_CHARS);
  if (task !== undefined) preset.task = task;
  if (raw.promptProgram !== undefined) {
    const steps = raw.promptProgram;
    if (!Array.isArray(steps) || steps.length === 0) throw new PresetError('"promptProgram" must be a non-empty list of steps.');
    const cap = preset.limits?.maxSteps ?? MAX_STEPS_CEILING;
    if (steps.length > cap) throw new PresetError(`"promptProgram" has ${steps.length} steps; at most ${cap}.`);
    preset.promptProgram = steps.map((step, i) => {
      if (typeof step !== 'string' || step.trim() === '') throw new PresetError(`Step ${i + 1} of "promptProgram" must be non-empty text.`);
      if (step.length > MAX_STEP_CHARS) throw new PresetError(`Step ${i + 1} of "promptProgram" is too long (at most ${MAX_STEP_CHARS} characters).`);
      return step;
    });
  }
  const values = [preset.title, preset.baseURL, preset.model, preset.apiVersion, preset.deployment, preset.task, ...(preset.promptProgram ?? [])];
  if (values.some((value) => value !== undefined && looksLikeKey(value))) {
    throw new PresetError('The preset contains text that looks like an API key. Remove it: a preset link must never carry a key.');
  }
  return { preset, notices };
}
