import { describe, expect, it } from 'vitest';
import { applyImportedConfig, ConfigImportError, parseL2macConfig, providerForBaseURL } from '../../../src/config-import/index.ts';
import type { LlmSettings } from '../../../src/llm/types.ts';
import { KeyStorage } from '../../../src/store/key-storage.ts';
import { MemoryStorage } from '../../support/memory-storage.ts';

function storage() {
  const local = new MemoryStorage();
  const session = new MemoryStorage();
  return { local, session, keys: new KeyStorage({ local, session }) };
}

const OPENAI_CONFIG = `# ~/.l2mac/config.yaml
llm:
  api_type: "openai"
  model: "gpt-4-turbo-preview"
  base_url: "https://api.openai.com/v1"
  api_key: "sk-proj-realkey1234567890"
llm_settings:
  temperature: 0.01
setup:
  debug_mode: true
`;

const AZURE_CONFIG = `llm:
  api_type: azure
  model: my-gpt4-deployment
  base_url: https://contoso.openai.azure.com/
  api_key: 0123456789abcdef0123456789abcdef
  api_version: 2024-06-01
`;

const current = { llm: { provider: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b', modelOverrides: { contextWindow: 32_768 }, streamIdleMs: 90_000 } as LlmSettings, limits: { maxSteps: 10 } };

describe('parsing an L2MAC config.yaml', () => {
  it('reads the llm section of an OpenAI config, and says what it did not import', () => {
    const imported = parseL2macConfig(OPENAI_CONFIG);
    expect(imported.llm).toEqual({ provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-4-turbo-preview' });
    expect(imported.apiKey).toBe('sk-proj-realkey1234567890');
    expect(imported.keyOrigin).toBe('https://api.openai.com');
    expect(imported.notes).toEqual(["Not imported (L2MAC's Python settings): llm_settings, setup."]);
  });

  it('reads an Azure config: the model is the deployment, with its API version', () => {
    const imported = parseL2macConfig(AZURE_CONFIG);
    expect(imported.llm).toEqual({ provider: 'azure', baseURL: 'https://contoso.openai.azure.com/', model: 'my-gpt4-deployment', deployment: 'my-gpt4-deployment', apiVersion: '2024-06-01' });
    expect(imported.keyOrigin).toBe('https://contoso.openai.azure.com');
    expect(parseL2macConfig('llm:\n  api_type: azure\n  model: d\n  base_url: https://r.openai.azure.com\n').llm.apiVersion).toBe('2024-10-21');
  });

  it("uses L2MAC's defaults for a missing model and base URL, and treats placeholder keys as none", () => {
    const imported = parseL2macConfig('llm:\n  api_key: "YOUR_API_KEY"\n');
    expect(imported.llm).toEqual({ provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-4-1106-preview' });
    expect(imported.apiKey).toBeNull();
    expect(imported.keyOrigin).toBeNull();
    expect(imported.notes.join(' ')).toMatch(/No llm\.model.*No llm\.base_url.*placeholder/);
    for (const placeholder of ['""', 'sk-...', '"<your key>"', 'changeme', '${OPENAI_API_KEY}']) {
      expect(parseL2macConfig(`llm:\n  api_key: ${placeholder}\n`).apiKey, placeholder).toBeNull();
    }
  });

  it('recognises well-known OpenAI-compatible hosts', () => {
    expect(providerForBaseURL('https://openrouter.ai/api/v1')).toBe('openrouter');
    expect(providerForBaseURL('http://localhost:11434/v1')).toBe('ollama');
    expect(providerForBaseURL('http://127.0.0.1:1234/v1')).toBe('lmstudio');
    expect(providerForBaseURL('https://generativelanguage.googleapis.com/v1beta/openai')).toBe('gemini');
    expect(providerForBaseURL('https://llm.school.example/v1')).toBe('custom');
    expect(parseL2macConfig('llm:\n  base_url: http://localhost:11434/v1\n  model: llama3.1\n').llm.provider).toBe('ollama');
  });

  it('warns when a key would travel over plain http to another machine', () => {
    expect(parseL2macConfig('llm:\n  base_url: http://gpu-box.example:8000/v1\n  api_key: abcdef123456\n').notes.join(' ')).toMatch(/unencrypted to http:\/\/gpu-box\.example:8000/);
    expect(parseL2macConfig('llm:\n  base_url: http://localhost:8000/v1\n  api_key: abcdef123456\n').notes.join(' ')).not.toMatch(/unencrypted/);
  });

  it('refuses invalid files with a clear message', () => {
    const cases: [string, RegExp][] = [
      ['llm:\n  model: [a\n  b: c\n', /not valid YAML \(line \d+, column \d+\)/],
      ['- just\n- a list\n', /should be a YAML mapping/],
      ['setup:\n  debug_mode: true\n', /no "llm" section/],
      ['llm: gpt-4\n', /"llm" section must be a mapping/],
      ['llm:\n  api_type: anthropic\n', /api_type "anthropic" is not supported: use openai .* or azure/],
      ['llm:\n  api_type: azure\n  model: d\n', /base_url is required for Azure/],
      ['llm:\n  base_url: ftp://example.org\n', /not an http\(s\) address/],
      ['llm:\n  base_url: https://user:pw@example.org/v1\n', /user name or password/],
      ['llm:\n  model: [a, b]\n', /llm\.model must be text, not a list/],
      ['llm:\n  api_key: "sk-abc def"\n', /contains spaces/],
      ['llm:\n  model: a\n  model: b\n', /not valid YAML/],
      ['a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nllm: {}\n', /could not be read|alias/i],
      ['x'.repeat(1_000_001), /too large/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseL2macConfig(text);
      } catch (e) {
        error = e;
      }
      expect(error, text.slice(0, 40)).toBeInstanceOf(ConfigImportError);
      expect((error as Error).message, text.slice(0, 40)).toMatch(message);
    }
  });
});

describe('applying an imported config', () => {
  it("stores the file's key for the file's base URL origin only, after clearing a key of another origin", () => {
    const { keys, local, session } = storage();
    keys.save('ollama-has-no-key-but-say-it-does', 'http://localhost:11434/v1', 'device');
    const applied = applyImportedConfig(current, parseL2macConfig(OPENAI_CONFIG), keys, 'tab');
    expect(applied.keyCleared).toBe(true);
    expect(applied.keySaved).toBe(true);
    expect(keys.status()).toEqual({ stored: true, persistence: 'tab', origin: 'https://api.openai.com' });
    expect(local.length).toBe(0);
    expect(session.length).toBe(1);
    // The key is for OpenAI's origin: asked for any other base URL, nothing comes back (and it is cleared).
    expect(keys.read('https://api.openai.com/v1/').key).toBe('sk-proj-realkey1234567890');
    expect(keys.read('http://localhost:11434/v1').key).toBeNull();
    expect(keys.status().stored).toBe(false);
  });

  it('replaces the LLM settings, keeping a preference but not another model’s overrides', () => {
    const { keys } = storage();
    const applied = applyImportedConfig(current, parseL2macConfig(OPENAI_CONFIG), keys, 'device');
    expect(applied.settings.llm).toEqual({ provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-4-turbo-preview', streamIdleMs: 90_000 });
    expect(applied.settings.limits).toEqual(current.limits);
    const same = applyImportedConfig(current, parseL2macConfig('llm:\n  base_url: http://localhost:11434/v1\n  model: qwen2.5-coder:7b\n'), keys, 'device');
    expect(same.settings.llm.modelOverrides).toEqual({ contextWindow: 32_768 });
  });

  it('a file without a key leaves a key of the same origin alone, and clears one of another origin', () => {
    const { keys } = storage();
    keys.save('sk-kept-for-openai-123456', 'https://api.openai.com/v1', 'device');
    const sameOrigin = applyImportedConfig(current, parseL2macConfig('llm:\n  base_url: https://api.openai.com/v1\n  model: gpt-5.4\n'), keys, 'device');
    expect(sameOrigin).toMatchObject({ keyCleared: false, keySaved: false });
    expect(keys.read('https://api.openai.com/v1').key).toBe('sk-kept-for-openai-123456');
    const otherOrigin = applyImportedConfig(current, parseL2macConfig('llm:\n  base_url: https://openrouter.ai/api/v1\n  model: x\n'), keys, 'device');
    expect(otherOrigin).toMatchObject({ keyCleared: true, keySaved: false });
    expect(keys.status().stored).toBe(false);
  });
});
