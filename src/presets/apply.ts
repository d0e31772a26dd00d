/**
 * Making a preset from the current settings and task ("Copy link"), describing it for the confirmation,
 * and applying it. Applying a preset whose base URL has another origin than the stored key's clears the
 * key (DESIGN.md §6): the key can never reach a server the user did not give it to.
 */
import type { Domain, Limits } from '../l2mac/run-state.ts';
import { providerPreset } from '../llm/providers.ts';
import type { LlmSettings } from '../llm/types.ts';
import type { SandboxChoice } from '../sandbox/types.ts';
import { originOf } from '../store/key-storage.ts';
import { PresetError, type ClassroomPreset } from './preset.ts';

/** The part of the app's settings a preset touches (the UI's `AppSettings` has this shape). */
export interface PresetTarget {
  llm: LlmSettings;
  limits: Limits;
  requirePassingTests: boolean;
  defaultSandbox: SandboxChoice;
}

/** What a run of the New run form would use. */
export interface PresetRunDraft {
  task: string;
  domain: Domain;
  promptProgram?: string[];
}

/** The key store, as far as presets need it (`KeyStorage` of `src/store/key-storage.ts`). */
export interface PresetKeyStore {
  setBaseUrl(url: string): { cleared: boolean };
  status(): { stored: boolean; origin: string | null };
}

export interface SharedFields {
  task: boolean;
  promptProgram: boolean;
  limits: boolean;
}

/** A preset of the current settings and draft (never the key: settings do not hold it). */
export function presetFromSettings(settings: PresetTarget, draft: Partial<PresetRunDraft> = {}, share: Partial<SharedFields> = {}, title?: string): ClassroomPreset {
  const { llm } = settings;
  if (llm.provider === 'scripted') throw new PresetError('A scripted demo has no provider settings to share.');
  const preset: ClassroomPreset = { v: 1, provider: llm.provider, model: llm.model };
  if (title) preset.title = title;
  if (llm.baseURL) preset.baseURL = llm.baseURL;
  if (llm.apiVersion) preset.apiVersion = llm.apiVersion;
  if (llm.deployment) preset.deployment = llm.deployment;
  if (llm.modelOverrides?.contextWindow) preset.contextWindow = llm.modelOverrides.contextWindow;
  if (llm.modelOverrides?.maxOutputTokens) preset.maxOutputTokens = llm.modelOverrides.maxOutputTokens;
  if (share.limits !== false) preset.limits = { ...settings.limits };
  preset.requirePassingTests = settings.requirePassingTests;
  preset.sandbox = settings.defaultSandbox;
  if (draft.domain) preset.domain = draft.domain;
  if (share.task !== false && draft.task?.trim()) preset.task = draft.task;
  if (share.promptProgram !== false && draft.promptProgram?.length) preset.promptProgram = [...draft.promptProgram];
  return preset;
}

/** The LLM settings a preset leads to from the current ones. */
export function presetLlmSettings(current: LlmSettings, preset: ClassroomPreset): LlmSettings {
  const provider = preset.provider ?? current.provider;
  const providerChanged = provider !== current.provider;
  const defaults = providerPreset(provider);
  const next: LlmSettings = {
    ...current,
    provider,
    baseURL: preset.baseURL ?? (providerChanged ? (defaults?.baseURL ?? '') : current.baseURL),
    model: preset.model ?? (providerChanged ? (defaults?.defaultModel ?? '') : current.model),
  };
  const modelChanged = next.model !== current.model || providerChanged;
  if (providerChanged) {
    delete next.apiVersion;
    delete next.deployment;
    if (defaults?.apiVersion) next.apiVersion = defaults.apiVersion;
  }
  if (preset.apiVersion !== undefined) next.apiVersion = preset.apiVersion;
  if (preset.deployment !== undefined) next.deployment = preset.deployment;
  // Overrides describe one model: those of another model do not carry over.
  const overrides = modelChanged ? {} : { ...current.modelOverrides };
  if (preset.contextWindow !== undefined) overrides.contextWindow = preset.contextWindow;
  if (preset.maxOutputTokens !== undefined) overrides.maxOutputTokens = preset.maxOutputTokens;
  if (Object.keys(overrides).length) next.modelOverrides = overrides;
  else delete next.modelOverrides;
  return next;
}

export interface AppliedPreset<T extends PresetTarget> {
  settings: T;
  /** For the New run form: set only for what the preset carries. */
  draft: Partial<PresetRunDraft>;
  /** The stored key was for another origin and was cleared: ask for a key for the new base URL. */
  keyCleared: boolean;
}

/** Whether applying the preset would clear the stored key (its origin differs from the new base URL's). */
export function presetClearsKey(current: PresetTarget, preset: ClassroomPreset, keys: PresetKeyStore): boolean {
  const status = keys.status();
  if (!status.stored) return false;
  return originOf(presetLlmSettings(current.llm, preset).baseURL) !== status.origin;
}

/** The settings and draft with the preset applied; clears a stored key bound to another origin. */
export function applyPreset<T extends PresetTarget>(current: T, preset: ClassroomPreset, keys: PresetKeyStore): AppliedPreset<T> {
  const llm = presetLlmSettings(current.llm, preset);
  const settings: T = {
    ...current,
    llm,
    limits: { ...current.limits, ...preset.limits },
    requirePassingTests: preset.requirePassingTests ?? current.requirePassingTests,
    defaultSandbox: preset.sandbox ?? current.defaultSandbox,
  };
  const keyCleared = keys.status().stored ? keys.setBaseUrl(llm.baseURL).cleared : false;
  const draft: Partial<PresetRunDraft> = {};
  if (preset.task !== undefined) draft.task = preset.task;
  if (preset.domain !== undefined) draft.domain = preset.domain;
  if (preset.promptProgram !== undefined) draft.promptProgram = [...preset.promptProgram];
  return { settings, draft, keyCleared };
}

export interface PresetLine {
  label: string;
  value: string;
  /** The value differs from the current one. */
  changed: boolean;
}

const LIMIT_LABELS: Partial<Record<keyof Limits, string>> = {
  maxSteps: 'Steps in a plan',
  turnsPerStep: 'Turns per step',
  restartsPerStep: 'Restarts per step',
  toolCallsPerReply: 'Tool calls per reply',
  spendPerRun: 'Spend per run (USD)',
  repeatedReplies: 'Repeated replies',
  testTimeoutPerFileMs: 'Test timeout per file (ms)',
  testTimeoutPerRunMs: 'Test timeout per run (ms)',
  runFileTimeoutMs: 'run_file timeout (ms)',
  llmRetries: 'LLM retries',
  completionReserveCap: 'Completion reserve (tokens)',
  planExploreTurns: 'Planning look-around turns',
  planRetries: 'Plan retries',
};

const SANDBOX_LABELS: Record<SandboxChoice, string> = { auto: 'Automatic', worker: 'Worker only', webcontainer: 'WebContainer only' };

/** What the confirmation shows: every setting the preset would set, marked when it changes something. */
export function describePreset(current: PresetTarget, preset: ClassroomPreset): PresetLine[] {
  const llm = presetLlmSettings(current.llm, preset);
  const lines: PresetLine[] = [];
  const add = (label: string, value: string, before: string) => lines.push({ label, value, changed: value !== before });
  if (preset.provider !== undefined) add('Provider', providerPreset(llm.provider)?.label ?? llm.provider, providerPreset(current.llm.provider)?.label ?? current.llm.provider);
  if (preset.baseURL !== undefined || llm.baseURL !== current.llm.baseURL) add('Base URL', llm.baseURL, current.llm.baseURL);
  if (preset.model !== undefined || llm.model !== current.llm.model) add('Model', llm.model, current.llm.model);
  if (preset.deployment !== undefined) add('Deployment', preset.deployment, current.llm.deployment ?? '');
  if (preset.apiVersion !== undefined) add('API version', preset.apiVersion, current.llm.apiVersion ?? '');
  if (preset.contextWindow !== undefined) add('Context window (tokens)', String(preset.contextWindow), String(current.llm.modelOverrides?.contextWindow ?? ''));
  if (preset.maxOutputTokens !== undefined) add('Output limit (tokens)', String(preset.maxOutputTokens), String(current.llm.modelOverrides?.maxOutputTokens ?? ''));
  for (const [name, value] of Object.entries(preset.limits ?? {}) as [keyof Limits, number][]) {
    add(LIMIT_LABELS[name] ?? name, String(value), String(current.limits[name]));
  }
  if (preset.requirePassingTests !== undefined) add('Require passing tests', preset.requirePassingTests ? 'on' : 'off', current.requirePassingTests ? 'on' : 'off');
  if (preset.sandbox !== undefined) add('Sandbox', SANDBOX_LABELS[preset.sandbox], SANDBOX_LABELS[current.defaultSandbox]);
  if (preset.domain !== undefined) lines.push({ label: 'Domain', value: preset.domain, changed: true });
  if (preset.task !== undefined) lines.push({ label: 'Task', value: preset.task, changed: true });
  if (preset.promptProgram !== undefined) {
    lines.push({ label: 'Prompt program', value: preset.promptProgram.map((step, i) => `${i + 1}. ${step}`).join('\n'), changed: true });
  }
  return lines;
}
