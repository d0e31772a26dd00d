/** Import of an L2MAC `config.yaml` into the app's settings. */
export { ConfigImportError, parseL2macConfig, providerForBaseURL, type ImportedConfig } from './l2mac-config.ts';
export { applyImportedConfig, type AppliedConfig, type ConfigKeyStore } from './apply.ts';
