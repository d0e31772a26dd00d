import { describe, expect, it } from 'vitest';
import type { AppServices, AppSettings } from '../../../src/app/types.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { lookupModel, resolveModel } from '../../../src/llm/models.ts';
import { PROVIDER_PRESETS } from '../../../src/llm/providers.ts';
import { KeyStorage } from '../../../src/store/key-storage.ts';
import { originOf, parseCount, SettingsForm } from '../../../src/ui/state/settings-form.svelte.ts';
import { MemoryStorage } from '../../support/memory-storage.ts';

function setup(initial: Partial<AppSettings['llm']> = {}) {
  const local = new MemoryStorage();
  const session = new MemoryStorage();
  const keys = new KeyStorage({ local, session });
  const saved: AppSettings[] = [];
  const services = {
    keys,
    llm: { presets: PROVIDER_PRESETS, lookupModel: (id: string, provider?: never) => lookupModel(id, {}, provider) ?? null },
    saveSettings: async (settings: AppSettings) => void saved.push(settings),
  } as unknown as AppServices;
  const settings: AppSettings = {
    llm: { provider: 'custom', baseURL: 'http://127.0.0.1:8000/v1', model: 'local-model', ...initial },
    defaultSandbox: 'auto',
    limits: { ...DEFAULT_LIMITS },
    requirePassingTests: true,
  };
  const form = new SettingsForm(services);
  return { form, keys, local, session, saved, settings };
}

describe('SettingsForm', () => {
  it('asks for the context window of a model the table does not know, and not of one it knows', () => {
    const { form, settings } = setup();
    form.load(settings);
    form.contextWindow = null;
    expect(form.validate().contextWindow).toMatch(/not in the table/);
    form.contextWindow = '32,768';
    expect(form.validate()).toEqual({});
    expect(form.toSettings().llm.modelOverrides).toEqual({ contextWindow: 32768 });

    form.provider = 'openai';
    form.model = 'gpt-5.4-mini';
    form.contextWindow = null;
    expect(form.modelKnown).toBe(true);
    expect(form.validate()).toEqual({});
    expect(form.toSettings().llm.modelOverrides).toBeUndefined();
  });

  it('edits every model value of the table: output limit, the three prices and the capabilities, which reach the resolved model', () => {
    const { form, settings } = setup({ provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-5.4-mini' });
    form.load(settings);
    expect(form.capabilities).toEqual({ reasoning: 'table', supportsTemperature: 'table', strictTools: 'table' });
    form.maxOutputTokens = '2,000';
    form.priceInput = '1.5';
    form.priceOutput = 6;
    form.capabilities = { reasoning: 'yes', supportsTemperature: 'no', strictTools: 'table' };
    expect(form.validate()).toEqual({});
    const overrides = form.toSettings().llm.modelOverrides;
    // An unset cached price follows the input price.
    expect(overrides).toEqual({ maxOutputTokens: 2000, prices: { input: 1.5, cachedInput: 1.5, output: 6 }, reasoning: true, supportsTemperature: false });
    const resolved = resolveModel(form.toSettings().llm);
    expect(resolved).toMatchObject({ maxOutputTokens: 2000, reasoning: true, supportsTemperature: false, strictTools: lookupModel('gpt-5.4-mini', {}, 'openai')?.strictTools });

    form.load(form.toSettings());
    expect(form.capabilities).toEqual({ reasoning: 'yes', supportsTemperature: 'no', strictTools: 'table' });
    form.priceOutput = -1;
    expect(form.validate().priceOutput).toMatch(/zero or more/);
  });

  it('drops the key when the base URL moves to another origin, and keeps it for another path', () => {
    const { form, keys, settings } = setup();
    keys.save('sk-one', settings.llm.baseURL, 'device');
    form.load(settings);
    expect(form.apiKey).toBe('sk-one');
    expect(form.keyMode).toBe('device');
    form.setBaseURL('http://127.0.0.1:8000/other/v1');
    expect(form.apiKey).toBe('sk-one');
    form.setBaseURL('https://api.example.com/v1');
    expect(form.apiKey).toBe('');
    expect(form.keyNotice).toContain('http://127.0.0.1:8000');
  });

  it('saves the key only in the chosen storage, bound to the new origin, and never in the settings', async () => {
    const { form, local, session, saved, settings } = setup();
    form.load(settings);
    form.contextWindow = 8192;
    form.setApiKey('sk-two');
    form.keyMode = 'tab';
    expect(await form.save()).not.toBeNull();
    expect(local.length).toBe(0);
    expect(session.getItem('l2mac.apiKey')).toContain('sk-two');
    expect(JSON.stringify(saved)).not.toContain('sk-two');
  });

  it('refuses a base URL that is not http(s)', async () => {
    const { form, saved, settings } = setup();
    form.load(settings);
    form.setBaseURL('ftp://example.com');
    expect(await form.save()).toBeNull();
    expect(form.errors.baseURL).toBeDefined();
    expect(saved).toEqual([]);
  });
});

describe('field parsing', () => {
  it('reads whole numbers with separators and the origin of http(s) URLs only', () => {
    expect(parseCount('128,000')).toBe(128000);
    expect(parseCount('1.5')).toBeNull();
    expect(parseCount(null)).toBeNull();
    expect(originOf('http://127.0.0.1:11434/v1')).toBe('http://127.0.0.1:11434');
    expect(originOf('javascript:alert(1)')).toBeNull();
  });
});
