/**
 * Provider presets (DESIGN.md §8): where each OpenAI-compatible provider lives, whether it needs a key, a
 * default model, and what users need to know to reach it from a browser page.
 */
import type { LlmSettings, ProviderId } from './types.ts';

export type PresetId = Exclude<ProviderId, 'scripted'>;

export interface ProviderPreset {
  id: PresetId;
  label: string;
  /** Empty when the user must give it (Azure endpoint, custom). */
  baseURL: string;
  /** Placeholder for the Base URL field. */
  baseURLHint: string;
  needsKey: boolean;
  defaultModel: string;
  /** Runs on the user's machine: a failed request is most often CORS or the server not running. */
  local: boolean;
  /** Serves `GET /models` under the base URL. */
  listsModels: boolean;
  /** Extra request headers the provider needs from a browser. */
  headers?: Readonly<Record<string, string>>;
  /** Azure only: the default `api-version`. */
  apiVersion?: string;
  /** Shown beside the preset in Settings. */
  notes: readonly string[];
  keyHelpUrl?: string;
}

export const OLLAMA_CONTEXT_NOTE =
  'Ollama silently truncates prompts longer than the context it allocates (num_ctx; 4k by default on most machines), so the agent loses its instructions without any error. Give it at least 32k: `OLLAMA_CONTEXT_LENGTH=32768 ollama serve` (or `PARAMETER num_ctx 32768` in a Modelfile), and set the Context window here to the same number.';

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    baseURLHint: 'https://api.openai.com/v1',
    needsKey: true,
    defaultModel: 'gpt-5.4-mini',
    local: false,
    listsModels: true,
    notes: ['Use a project key with a spending limit: it is stored in this browser and sent only to api.openai.com.'],
    keyHelpUrl: 'https://platform.openai.com/api-keys',
  },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    baseURL: '',
    baseURLHint: 'https://<resource>.openai.azure.com',
    needsKey: true,
    defaultModel: 'gpt-5.4-mini',
    local: false,
    listsModels: false,
    apiVersion: '2024-10-21',
    notes: [
      'Base URL is your resource endpoint; Deployment is the name you gave the deployment; Model is the model it runs (for limits and prices).',
      'API version: a dated version such as 2024-10-21 (deployment URLs), or v1 for Azure’s v1 API.',
      'The resource must allow this page’s origin (CORS) for browser calls.',
    ],
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    baseURLHint: 'https://openrouter.ai/api/v1',
    needsKey: true,
    defaultModel: 'openai/gpt-5.4-mini',
    local: false,
    listsModels: true,
    notes: ['Model ids are vendor/model, e.g. openai/gpt-5.4-mini. Test connection reads the model’s live context length and prices.'],
    keyHelpUrl: 'https://openrouter.ai/settings/keys',
  },
  {
    id: 'anthropic',
    label: 'Anthropic (OpenAI-compatible)',
    baseURL: 'https://api.anthropic.com/v1',
    baseURLHint: 'https://api.anthropic.com/v1',
    needsKey: true,
    defaultModel: 'claude-sonnet-5',
    local: false,
    listsModels: false,
    // Anthropic answers browser (CORS) requests only when they opt in with this header.
    headers: { 'anthropic-dangerous-direct-browser-access': 'true' },
    notes: [
      'Uses Anthropic’s OpenAI SDK compatibility endpoint, which Anthropic describes as meant for testing and comparison.',
      'Claude 5 models reject a non-default temperature; the app never sends one to them.',
    ],
    keyHelpUrl: 'https://console.anthropic.com/settings/keys',
  },
  {
    id: 'gemini',
    label: 'Google Gemini (OpenAI-compatible)',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    baseURLHint: 'https://generativelanguage.googleapis.com/v1beta/openai',
    needsKey: true,
    defaultModel: 'gemini-2.5-pro',
    local: false,
    listsModels: true,
    notes: ['Uses the Gemini API’s OpenAI compatibility endpoint with a Google AI Studio key.'],
    keyHelpUrl: 'https://aistudio.google.com/apikey',
  },
  {
    id: 'ollama',
    label: 'Ollama (local)',
    baseURL: 'http://localhost:11434/v1',
    baseURLHint: 'http://localhost:11434/v1',
    needsKey: false,
    defaultModel: 'qwen2.5-coder:7b',
    local: true,
    listsModels: true,
    notes: [
      'Ollama accepts pages from other origins only when told to: start it with OLLAMA_ORIGINS set to this page’s origin.',
      OLLAMA_CONTEXT_NOTE,
      'Pick a model that supports tool calling (e.g. qwen2.5-coder, llama3.1, gpt-oss).',
    ],
  },
  {
    id: 'lmstudio',
    label: 'LM Studio (local)',
    baseURL: 'http://localhost:1234/v1',
    baseURLHint: 'http://localhost:1234/v1',
    needsKey: false,
    defaultModel: 'openai/gpt-oss-20b',
    local: true,
    listsModels: true,
    notes: [
      'Turn on “Enable CORS” in LM Studio’s server settings (or start it with `lms server start --cors`).',
      'Load the model with a context length of at least 32k and set the Context window here to the same number.',
    ],
  },
  {
    id: 'custom',
    label: 'Custom (OpenAI-compatible)',
    baseURL: '',
    baseURLHint: 'https://your-server.example/v1',
    needsKey: false,
    defaultModel: '',
    local: false,
    listsModels: true,
    notes: ['Any server speaking OpenAI chat completions with tool calls (vLLM, llama.cpp server, LiteLLM, …). It must allow this page’s origin (CORS).'],
  },
];

export function providerPreset(id: ProviderId): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((preset) => preset.id === id);
}

/** Settings filled from a preset (the key is never part of settings). */
export function presetSettings(id: PresetId): LlmSettings {
  const preset = providerPreset(id);
  if (!preset) throw new Error(`Unknown provider preset: ${id}`);
  const settings: LlmSettings = { provider: id, baseURL: preset.baseURL, model: preset.defaultModel };
  if (preset.apiVersion) settings.apiVersion = preset.apiVersion;
  return settings;
}

/** Headers a provider needs on every request from a browser. */
export function providerHeaders(provider: ProviderId): Record<string, string> {
  return { ...(providerPreset(provider)?.headers ?? {}) };
}

const LOCAL_HOSTS = /^(localhost|127(?:\.\d+){3}|\[::1\]|0\.0\.0\.0|[^.]+\.local|10(?:\.\d+){3}|192\.168(?:\.\d+){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d+){2})$/i;

/** Whether a base URL points at the user's machine or local network. */
export function isLocalURL(baseURL: string): boolean {
  try {
    return LOCAL_HOSTS.test(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}

/**
 * What to do when a local server cannot be reached from this page. A browser reports a CORS refusal exactly
 * like a server that is not running ("Failed to fetch"), so the hint covers both.
 */
export function corsHelp(provider: ProviderId, baseURL: string, pageOrigin: string): string {
  const origin = pageOrigin || 'this page’s origin';
  const notRunning = `Check that the server at ${baseURL} is running.`;
  if (provider === 'ollama') {
    return `${notRunning} If it is, Ollama is refusing this page: restart it with OLLAMA_ORIGINS=${origin} (e.g. \`OLLAMA_ORIGINS=${origin} ollama serve\`; on macOS \`launchctl setenv OLLAMA_ORIGINS "${origin}"\` then restart the app; for the Linux service add Environment="OLLAMA_ORIGINS=${origin}" with \`systemctl edit ollama\`).`;
  }
  if (provider === 'lmstudio') {
    return `${notRunning} If it is, LM Studio is refusing this page: turn on “Enable CORS” in its server settings (or \`lms server start --cors\`).`;
  }
  return `${notRunning} If it is, it must send CORS headers allowing ${origin} and the headers authorization and content-type.`;
}
