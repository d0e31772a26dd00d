/**
 * Import of an L2MAC `config.yaml` (the Python project's `~/.l2mac/config.yaml`): its `llm` section —
 * `api_type` (openai | azure), `model`, `base_url`, `api_key`, `api_version` — becomes the app's LLM
 * settings. The key in the file belongs to the file's base URL: it is stored for that origin only, after
 * any key stored for another origin has been cleared (DESIGN.md §6). Other sections are not used.
 */
import { parseDocument } from 'yaml';
import { AZURE_DEFAULT_API_VERSION } from '../llm/openai-client.ts';
import { isLocalURL } from '../llm/providers.ts';
import type { LlmSettings, ProviderId } from '../llm/types.ts';
import { originOf } from '../store/key-storage.ts';

export class ConfigImportError extends Error {
  override name = 'ConfigImportError';
}

export interface ImportedConfig {
  llm: LlmSettings;
  /** The key from the file; null when there is none or it is a placeholder such as "YOUR_API_KEY". */
  apiKey: string | null;
  /** The origin the key will be stored for (the base URL's). */
  keyOrigin: string | null;
  /** Plain-language remarks for the user: defaults used, sections not imported, a placeholder key. */
  notes: string[];
}

/** L2MAC's own defaults (`LLMCoreConfig` in l2mac/config.py). */
const L2MAC_DEFAULT_MODEL = 'gpt-4-1106-preview';
const L2MAC_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const MAX_CONFIG_BYTES = 1_000_000;

const PLACEHOLDER_KEY = /^(?:|your[_ -]?(?:openai[_ -]?)?api[_ -]?key|api[_ -]?key|sk-\.\.\.|sk-x+|x+|<.*>|\$\{.*\}|changeme|none|null|todo)$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(section: Record<string, unknown>, field: string): string | undefined {
  const value = section[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new ConfigImportError(`llm.${field} must be text, not ${Array.isArray(value) ? 'a list' : 'a section'}.`);
  return value.trim();
}

/** Our provider for an OpenAI-compatible base URL, by its well-known host. */
export function providerForBaseURL(baseURL: string): ProviderId {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return 'custom';
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (host === 'openrouter.ai') return 'openrouter';
  if (host === 'api.anthropic.com') return 'anthropic';
  if (host === 'generativelanguage.googleapis.com') return 'gemini';
  if (isLocalURL(baseURL) && url.port === '11434') return 'ollama';
  if (isLocalURL(baseURL) && url.port === '1234') return 'lmstudio';
  return 'custom';
}

function parseYaml(text: string): unknown {
  if (new TextEncoder().encode(text).length > MAX_CONFIG_BYTES) throw new ConfigImportError('This file is too large to be an L2MAC config.yaml (over 1 MB).');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0] ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
    throw new ConfigImportError(`This is not valid YAML${where}: ${error.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new ConfigImportError(`This YAML could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Reads the text of an L2MAC config.yaml; a ConfigImportError says what is wrong and where. */
export function parseL2macConfig(text: string): ImportedConfig {
  const root = parseYaml(text);
  if (!isRecord(root)) throw new ConfigImportError('This is not an L2MAC config.yaml: it should be a YAML mapping with an "llm" section.');
  const section = root.llm;
  if (section === undefined) throw new ConfigImportError('This is not an L2MAC config.yaml: it has no "llm" section (with api_type, model, base_url and api_key).');
  if (!isRecord(section)) throw new ConfigImportError('The "llm" section must be a mapping (api_type, model, base_url, api_key).');
  const notes: string[] = [];

  const apiType = (optionalText(section, 'api_type') ?? 'openai').toLowerCase();
  if (apiType !== 'openai' && apiType !== 'azure') {
    throw new ConfigImportError(`llm.api_type "${apiType}" is not supported: use openai (any OpenAI-compatible server) or azure.`);
  }
  const model = optionalText(section, 'model') || L2MAC_DEFAULT_MODEL;
  if (!optionalText(section, 'model')) notes.push(`No llm.model: using L2MAC's default, ${L2MAC_DEFAULT_MODEL}.`);

  let baseURL = optionalText(section, 'base_url');
  if (!baseURL) {
    if (apiType === 'azure') throw new ConfigImportError('llm.base_url is required for Azure: your resource endpoint, e.g. https://<resource>.openai.azure.com.');
    baseURL = L2MAC_DEFAULT_BASE_URL;
    notes.push(`No llm.base_url: using L2MAC's default, ${L2MAC_DEFAULT_BASE_URL}.`);
  }
  const origin = originOf(baseURL);
  if (origin === null) throw new ConfigImportError(`llm.base_url "${baseURL.slice(0, 200)}" is not an http(s) address.`);
  const parsedBase = new URL(baseURL);
  if (parsedBase.username || parsedBase.password) throw new ConfigImportError('llm.base_url contains a user name or password; put the key in llm.api_key instead.');

  const llm: LlmSettings =
    apiType === 'azure'
      ? // L2MAC passes `model` to Azure as the deployment name.
        { provider: 'azure', baseURL, model, deployment: model, apiVersion: optionalText(section, 'api_version') || AZURE_DEFAULT_API_VERSION }
      : { provider: providerForBaseURL(baseURL), baseURL, model };
  if (apiType === 'azure' && !optionalText(section, 'api_version')) notes.push(`No llm.api_version: using ${AZURE_DEFAULT_API_VERSION}.`);
  if (apiType === 'openai' && optionalText(section, 'api_version')) notes.push('llm.api_version is used only with api_type azure; ignored.');

  const rawKey = optionalText(section, 'api_key');
  let apiKey: string | null = rawKey ?? null;
  if (apiKey !== null && PLACEHOLDER_KEY.test(apiKey)) {
    notes.push(`llm.api_key is a placeholder ("${apiKey.slice(0, 20)}"), so no key was taken from the file.`);
    apiKey = null;
  }
  if (apiKey !== null && /\s/.test(apiKey)) throw new ConfigImportError('llm.api_key contains spaces or line breaks; check the file.');
  if (apiKey !== null && parsedBase.protocol === 'http:' && !isLocalURL(baseURL)) {
    notes.push(`The key will be sent unencrypted to ${origin} (plain http).`);
  }
  const ignored = Object.keys(root).filter((name) => name !== 'llm');
  if (ignored.length) notes.push(`Not imported (L2MAC's Python settings): ${ignored.join(', ')}.`);
  return { llm, apiKey, keyOrigin: apiKey === null ? null : origin, notes };
}
