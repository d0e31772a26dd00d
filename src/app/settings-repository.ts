/**
 * The app's saved settings (DESIGN.md §6 `settings` object store; never the key): loaded with defaults
 * filled in for anything missing, so settings saved by an older version still load.
 */
import { DEFAULT_LIMITS, type Limits } from '../l2mac/run-state.ts';
import { presetSettings } from '../llm/providers.ts';
import type { SettingsStore } from '../store/types.ts';
import type { AppSettings } from './types.ts';

export const SETTINGS_KEY = 'app';

export function defaultSettings(): AppSettings {
  return { llm: presetSettings('openai'), defaultSandbox: 'auto', limits: { ...DEFAULT_LIMITS }, requirePassingTests: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Saved settings over the defaults; a field of the wrong type falls back to its default. */
export function withDefaults(saved: unknown): AppSettings {
  const defaults = defaultSettings();
  if (!isRecord(saved)) return defaults;
  const llm = isRecord(saved.llm) && typeof saved.llm.baseURL === 'string' && typeof saved.llm.model === 'string' ? (saved.llm as unknown as AppSettings['llm']) : defaults.llm;
  const limits: Limits = { ...defaults.limits };
  if (isRecord(saved.limits)) {
    for (const key of Object.keys(limits) as (keyof Limits)[]) {
      const value = saved.limits[key];
      if (typeof value === 'number' && Number.isFinite(value)) limits[key] = value;
    }
  }
  const sandbox = saved.defaultSandbox;
  return {
    llm,
    limits,
    defaultSandbox: sandbox === 'worker' || sandbox === 'webcontainer' || sandbox === 'auto' ? sandbox : defaults.defaultSandbox,
    requirePassingTests: typeof saved.requirePassingTests === 'boolean' ? saved.requirePassingTests : defaults.requirePassingTests,
  };
}

export class SettingsRepository {
  constructor(private readonly store: SettingsStore) {}

  async load(): Promise<AppSettings> {
    return withDefaults(await this.store.getSetting(SETTINGS_KEY));
  }

  save(settings: AppSettings): Promise<void> {
    return this.store.putSetting(SETTINGS_KEY, settings);
  }
}
