import { describe, expect, it } from 'vitest';
import { lookupModel } from '../../../src/llm/models.ts';
import { corsHelp, isLocalURL, presetSettings, providerHeaders, providerPreset, PROVIDER_PRESETS } from '../../../src/llm/providers.ts';

describe('provider presets', () => {
  it('has every provider of DESIGN.md §8 with its base URL', () => {
    expect(PROVIDER_PRESETS.map((p) => p.id)).toEqual(['openai', 'azure', 'openrouter', 'anthropic', 'gemini', 'ollama', 'lmstudio', 'custom']);
    expect(providerPreset('ollama')).toMatchObject({ baseURL: 'http://localhost:11434/v1', needsKey: false, local: true });
    expect(providerPreset('lmstudio')).toMatchObject({ baseURL: 'http://localhost:1234/v1', needsKey: false, local: true });
    expect(providerPreset('openai')).toMatchObject({ baseURL: 'https://api.openai.com/v1', needsKey: true });
    expect(providerPreset('azure')?.apiVersion).toBe('2024-10-21');
  });

  it('has a default model the model table knows for every hosted or local preset', () => {
    for (const preset of PROVIDER_PRESETS.filter((p) => p.id !== 'custom')) {
      expect(lookupModel(preset.defaultModel, {}, preset.id), preset.id).toBeDefined();
    }
  });

  it('tells about OLLAMA_ORIGINS, num_ctx and LM Studio’s CORS switch in the notes', () => {
    expect(providerPreset('ollama')?.notes.join(' ')).toMatch(/OLLAMA_ORIGINS/);
    expect(providerPreset('ollama')?.notes.join(' ')).toMatch(/num_ctx/);
    expect(providerPreset('lmstudio')?.notes.join(' ')).toMatch(/Enable CORS/);
  });

  it('fills settings from a preset, never with a key', () => {
    expect(presetSettings('azure')).toEqual({ provider: 'azure', baseURL: '', model: 'gpt-5.4-mini', apiVersion: '2024-10-21' });
    expect(JSON.stringify(presetSettings('openai'))).not.toMatch(/key/i);
  });

  it('adds Anthropic’s browser opt-in header and nothing for others', () => {
    expect(providerHeaders('anthropic')).toEqual({ 'anthropic-dangerous-direct-browser-access': 'true' });
    expect(providerHeaders('openai')).toEqual({});
  });
});

describe('local servers and CORS', () => {
  it('recognises local and private-network base URLs', () => {
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8080/v1', 'http://gpu-box.local:8000/v1', 'http://192.168.1.20:11434/v1', 'http://10.0.0.5/v1']) {
      expect(isLocalURL(url), url).toBe(true);
    }
    for (const url of ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', 'not a url']) expect(isLocalURL(url), url).toBe(false);
  });

  it('names the fix for the page’s origin', () => {
    expect(corsHelp('ollama', 'http://localhost:11434/v1', 'https://me.github.io')).toContain('OLLAMA_ORIGINS=https://me.github.io');
    expect(corsHelp('lmstudio', 'http://localhost:1234/v1', 'https://me.github.io')).toContain('lms server start --cors');
    expect(corsHelp('custom', 'http://localhost:8000/v1', 'https://me.github.io')).toContain('authorization and content-type');
  });
});
