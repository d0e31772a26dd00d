/** Classroom presets: shareable links carrying settings and a task, never a key. */
export { PRESET_VERSION, PresetError, validatePreset, stripKeyLikeFields, cleanBaseURL, isKeyLikeName, looksLikeKey, type ClassroomPreset, type ValidatedPreset } from './preset.ts';
export { PRESET_PARAM, encodePreset, decodePreset, presetLink, readPresetFromHash, clearPresetFromLocation, type PresetReadResult, type EncodeOptions } from './link.ts';
export {
  applyPreset,
  describePreset,
  presetClearsKey,
  presetFromSettings,
  presetLlmSettings,
  type AppliedPreset,
  type PresetKeyStore,
  type PresetLine,
  type PresetRunDraft,
  type PresetTarget,
  type SharedFields,
} from './apply.ts';
