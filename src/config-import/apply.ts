/**
 * Applying an imported L2MAC config: the LLM settings replace the current ones, and the key follows the
 * origin rule of DESIGN.md §6 — first a key stored for another origin is cleared, then the file's key is
 * stored for the file's base URL origin only (never for the base URL that was set before the import).
 */
import type { LlmSettings } from '../llm/types.ts';
import type { KeyPersistence } from '../store/key-storage.ts';
import type { ImportedConfig } from './l2mac-config.ts';

/** The key store as the import needs it (`KeyStorage` of `src/store/key-storage.ts`). */
export interface ConfigKeyStore {
  setBaseUrl(url: string): { cleared: boolean };
  save(key: string, baseUrl: string, persistence: KeyPersistence): void;
}

export interface AppliedConfig<T extends { llm: LlmSettings }> {
  settings: T;
  /** A key stored for another origin was removed. */
  keyCleared: boolean;
  /** The file's key is now stored, for `keyOrigin` only. */
  keySaved: boolean;
}

export function applyImportedConfig<T extends { llm: LlmSettings }>(
  current: T,
  imported: ImportedConfig,
  keys: ConfigKeyStore,
  persistence: KeyPersistence,
): AppliedConfig<T> {
  const sameModel = imported.llm.provider === current.llm.provider && imported.llm.model === current.llm.model;
  const llm: LlmSettings = { ...imported.llm };
  // Overrides belong to one model; the stream idle limit is a preference that carries over.
  if (sameModel && current.llm.modelOverrides) llm.modelOverrides = { ...current.llm.modelOverrides };
  if (current.llm.streamIdleMs !== undefined) llm.streamIdleMs = current.llm.streamIdleMs;
  const { cleared } = keys.setBaseUrl(llm.baseURL);
  let keySaved = false;
  if (imported.apiKey !== null) {
    keys.save(imported.apiKey, llm.baseURL, persistence);
    keySaved = true;
  }
  return { settings: { ...current, llm }, keyCleared: cleared, keySaved };
}
