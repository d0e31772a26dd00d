/**
 * The Settings form (DESIGN.md §6–§8): provider, base URL, key and where it is kept, model and its table
 * values (all editable; the context window asked for when the model is unknown), the default sandbox and
 * the run limits. Editing happens on a draft; Save validates it, stores the settings (never the key) and
 * the key (only in localStorage or sessionStorage, bound to the base URL's origin).
 */
import type { AppServices, AppSettings } from '../../app/types.ts';
import type { ConnectionReport } from '../../llm/connection-test.ts';
import type { KeyPersistence } from '../../store/key-storage.ts';
import type { Limits } from '../../l2mac/run-state.ts';
import type { LlmSettings, ModelInfo, ProviderId } from '../../llm/types.ts';
import type { SandboxChoice } from '../../sandbox/types.ts';

/** The origin of a base URL, or null when it is not a valid http(s) URL. */
export function originOf(baseURL: string): string | null {
  try {
    const url = new URL(baseURL.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** An empty number field: bound number inputs give null (or undefined) when cleared. */
function isBlank(value: string | number | null | undefined): boolean {
  return value === null || value === undefined || value === '';
}

/** A positive whole number from a form field, or null. */
export function parseCount(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(String(value).replace(/[,_\s]/g, ''));
  return Number.isInteger(number) && number > 0 ? number : null;
}

function parsePrice(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

/** A capability of the model: as the table says, or forced on or off in Settings. */
export type Capability = 'table' | 'yes' | 'no';

export const CAPABILITIES = ['reasoning', 'supportsTemperature', 'strictTools'] as const;
export type CapabilityField = (typeof CAPABILITIES)[number];

function capabilityOf(value: boolean | undefined): Capability {
  return value === undefined ? 'table' : value ? 'yes' : 'no';
}

export class SettingsForm {
  provider: ProviderId = $state('openai');
  baseURL = $state('');
  apiKey = $state('');
  keyMode: KeyPersistence = $state('tab');
  model = $state('');
  apiVersion = $state('');
  /** Editable model values; empty means "the table's value". */
  contextWindow: string | number | null = $state('');
  maxOutputTokens: string | number | null = $state('');
  priceInput: string | number | null = $state('');
  priceCachedInput: string | number | null = $state('');
  priceOutput: string | number | null = $state('');
  /** Reasoning model (`max_completion_tokens`, no temperature), temperature accepted, strict tool schemas. */
  capabilities: Record<CapabilityField, Capability> = $state({ reasoning: 'table', supportsTemperature: 'table', strictTools: 'table' });
  defaultSandbox: SandboxChoice = $state('auto');
  requirePassingTests = $state(true);
  limits: Limits = $state() as unknown as Limits;

  /** Shown when the stored key was dropped because the base URL moved to another origin. */
  keyNotice: string | null = $state(null);
  errors: Record<string, string> = $state({});
  saved = $state(false);
  testing = $state(false);
  connection: ConnectionReport | null = $state.raw(null);
  connectionError: string | null = $state(null);

  /** The base URL whose origin the current key belongs to. */
  private keyOrigin: string | null = null;
  private testAbort: AbortController | null = null;

  constructor(private readonly services: AppServices) {}

  /** The table's row for the model as typed (exact match, no fuzzy matching), or null. */
  get tableModel(): ModelInfo | null {
    const id = this.model.trim();
    return id ? this.services.llm.lookupModel(id, this.provider) : null;
  }

  get modelKnown(): boolean {
    return this.tableModel !== null;
  }

  get presets() {
    return this.services.llm.presets;
  }

  /** Fills the draft from saved settings and the stored key. */
  load(settings: AppSettings): void {
    const llm = settings.llm;
    this.provider = llm.provider;
    this.baseURL = llm.baseURL;
    this.model = llm.model;
    this.apiVersion = llm.apiVersion ?? '';
    const o = llm.modelOverrides ?? {};
    this.contextWindow = o.contextWindow ?? '';
    this.maxOutputTokens = o.maxOutputTokens ?? '';
    this.priceInput = o.prices?.input ?? '';
    this.priceCachedInput = o.prices?.cachedInput ?? '';
    this.priceOutput = o.prices?.output ?? '';
    this.capabilities = { reasoning: capabilityOf(o.reasoning), supportsTemperature: capabilityOf(o.supportsTemperature), strictTools: capabilityOf(o.strictTools) };
    this.defaultSandbox = settings.defaultSandbox;
    this.requirePassingTests = settings.requirePassingTests;
    this.limits = { ...settings.limits };
    const stored = this.services.keys.read(llm.baseURL);
    this.apiKey = stored.key ?? '';
    this.keyMode = stored.persistence ?? 'tab';
    this.keyOrigin = originOf(llm.baseURL);
    this.keyNotice = null;
    this.errors = {};
    this.saved = false;
    this.connection = null;
    this.connectionError = null;
  }

  choosePreset(id: ProviderId): void {
    const preset = this.presets.find((p) => p.id === id);
    this.provider = id;
    if (!preset) return;
    if (preset.baseURL) this.setBaseURL(preset.baseURL);
    else this.setBaseURL('');
    if (!this.modelIsCustom()) this.model = preset.defaultModel;
    if (preset.apiVersion) this.apiVersion = preset.apiVersion;
  }

  /** Whether the model field holds something other than a preset's default model. */
  private modelIsCustom(): boolean {
    const model = this.model.trim();
    return model !== '' && !this.presets.some((p) => p.defaultModel === model);
  }

  /** A new base URL; a change of origin drops the key (DESIGN.md §6) and says so. */
  setBaseURL(value: string): void {
    this.baseURL = value;
    const origin = originOf(value);
    if (origin && this.keyOrigin && origin !== this.keyOrigin && this.apiKey) {
      this.apiKey = '';
      this.keyNotice = `The key you had was for ${this.keyOrigin}. Enter the key for ${origin}.`;
    }
    if (origin) this.keyOrigin = origin;
  }

  setApiKey(value: string): void {
    this.apiKey = value;
    this.keyOrigin = originOf(this.baseURL);
    if (value) this.keyNotice = null;
  }

  validate(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (!originOf(this.baseURL)) errors.baseURL = 'Enter an http:// or https:// address, e.g. https://api.openai.com/v1.';
    if (!this.model.trim()) errors.model = 'Enter the model’s name as the provider spells it.';
    const context = parseCount(this.contextWindow);
    if (!isBlank(this.contextWindow) && context === null) errors.contextWindow = 'A whole number of tokens.';
    else if (!this.modelKnown && this.model.trim() && context === null) {
      errors.contextWindow = 'This model is not in the table: enter its context window in tokens.';
    }
    if (!isBlank(this.maxOutputTokens) && parseCount(this.maxOutputTokens) === null) errors.maxOutputTokens = 'A whole number of tokens.';
    for (const field of ['priceInput', 'priceCachedInput', 'priceOutput'] as const) {
      if (!isBlank(this[field]) && parsePrice(this[field]) === null) errors[field] = 'A price of zero or more.';
    }
    if (!(this.limits.spendPerRun > 0)) errors.spendPerRun = 'A spend cap above zero.';
    if (!(this.limits.maxSteps >= 1 && this.limits.maxSteps <= 30)) errors.maxSteps = 'Between 1 and 30 steps.';
    this.errors = errors;
    return errors;
  }

  /** The settings as the draft describes them. */
  toSettings(): AppSettings {
    const overrides: NonNullable<LlmSettings['modelOverrides']> = {};
    const context = parseCount(this.contextWindow);
    if (context !== null) overrides.contextWindow = context;
    const output = parseCount(this.maxOutputTokens);
    if (output !== null) overrides.maxOutputTokens = output;
    const input = parsePrice(this.priceInput);
    const cached = parsePrice(this.priceCachedInput);
    const out = parsePrice(this.priceOutput);
    if (input !== null || cached !== null || out !== null) {
      const base = this.tableModel?.prices ?? { input: 0, cachedInput: 0, output: 0 };
      overrides.prices = { input: input ?? base.input, cachedInput: cached ?? input ?? base.cachedInput, output: out ?? base.output };
    }
    for (const field of CAPABILITIES) {
      const value = this.capabilities[field];
      if (value !== 'table') overrides[field] = value === 'yes';
    }
    const llm: LlmSettings = { provider: this.provider, baseURL: this.baseURL.trim(), model: this.model.trim() };
    if (this.apiVersion.trim()) llm.apiVersion = this.apiVersion.trim();
    if (Object.keys(overrides).length) llm.modelOverrides = overrides;
    return {
      llm,
      defaultSandbox: this.defaultSandbox,
      requirePassingTests: this.requirePassingTests,
      limits: { ...this.limits },
    };
  }

  /** Validates and stores; returns the saved settings, or null when the form has errors. */
  async save(): Promise<AppSettings | null> {
    this.saved = false;
    if (Object.keys(this.validate()).length) return null;
    const settings = this.toSettings();
    await this.services.saveSettings(settings);
    if (this.apiKey) this.services.keys.save(this.apiKey, settings.llm.baseURL, this.keyMode);
    else this.services.keys.clear();
    this.keyOrigin = originOf(settings.llm.baseURL);
    this.saved = true;
    return settings;
  }

  /** Test connection (only on the user's click, DESIGN.md §8). */
  async testConnection(): Promise<void> {
    this.testAbort?.abort();
    this.connection = null;
    this.connectionError = null;
    if (!originOf(this.baseURL)) {
      this.validate();
      return;
    }
    const abort = new AbortController();
    this.testAbort = abort;
    this.testing = true;
    try {
      const report = await this.services.llm.testConnection(this.toSettings().llm, this.apiKey, abort.signal);
      if (!abort.signal.aborted) this.connection = report;
    } catch (error) {
      if (!abort.signal.aborted) this.connectionError = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.testAbort === abort) this.testing = false;
    }
  }

  cancelTest(): void {
    this.testAbort?.abort();
    this.testing = false;
  }
}
