/**
 * Preset links: the preset travels in the URL FRAGMENT (`#preset=v1.<base64url JSON>`), which browsers
 * never send to the server hosting the app, so a static host's logs do not see it either. Versioned by the
 * `v1.` prefix and the preset's own `v`; validated on the way in and on the way out.
 */
import { PresetError, validatePreset, type ClassroomPreset, type ValidatedPreset } from './preset.ts';

export const PRESET_PARAM = 'preset';
const PREFIX = 'v1.';
/** Far above any real preset (a 30-step program of 5,000 characters is ~200 KB encoded); refuses junk early. */
export const MAX_ENCODED_LENGTH = 400_000;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new PresetError('The preset in the link is damaged (unexpected characters).');
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(encoded.length / 4) * 4, '='));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PresetError('The preset in the link is damaged (not UTF-8 text).');
  }
}

export interface EncodeOptions {
  /**
   * Secrets that must not appear anywhere in the link (e.g. the stored API key): encoding fails if one
   * does, whatever field it hides in.
   */
  secrets?: readonly string[];
}

/** The fragment value for a preset (`v1.…`), after validation; key-like fields never get in. */
export function encodePreset(input: ClassroomPreset | Record<string, unknown>, options: EncodeOptions = {}): string {
  const { preset } = validatePreset(input);
  const json = JSON.stringify(preset);
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 8 && json.includes(secret)) throw new PresetError('The preset would contain your API key. Remove it from the task, prompt program and base URL.');
  }
  const encoded = `${PREFIX}${toBase64Url(json)}`;
  if (encoded.length > MAX_ENCODED_LENGTH) throw new PresetError('The preset is too large for a link: shorten the task or the prompt program.');
  return encoded;
}

/** A link to the app at `pageUrl` that carries the preset (any existing fragment is replaced). */
export function presetLink(pageUrl: string, preset: ClassroomPreset | Record<string, unknown>, options: EncodeOptions = {}): string {
  const url = new URL(pageUrl);
  url.hash = `${PRESET_PARAM}=${encodePreset(preset, options)}`;
  return url.href;
}

export type PresetReadResult = ({ ok: true } & ValidatedPreset) | { ok: false; error: string };

/** Decodes and validates a fragment value; never throws (a bad link is a message, and nothing is applied). */
export function decodePreset(value: string): PresetReadResult {
  try {
    if (value.length > MAX_ENCODED_LENGTH) throw new PresetError('The preset in the link is too large.');
    if (!value.startsWith(PREFIX)) {
      const version = /^v(\d+)\./.exec(value)?.[1];
      throw new PresetError(version ? `This preset link uses format v${version}, which this version of the app cannot read.` : 'The preset in the link is damaged (no version).');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromBase64Url(value.slice(PREFIX.length)));
    } catch (error) {
      if (error instanceof PresetError) throw error;
      throw new PresetError('The preset in the link is damaged (not valid JSON). Ask for the link again.');
    }
    return { ok: true, ...validatePreset(parsed) };
  } catch (error) {
    return { ok: false, error: error instanceof PresetError ? error.message : `The preset in the link could not be read: ${String(error)}` };
  }
}

/** The preset in a location's fragment (`location.hash`), or null when the link carries none. */
export function readPresetFromHash(hash: string): PresetReadResult | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return null;
  const value = new URLSearchParams(fragment).get(PRESET_PARAM);
  return value === null ? null : decodePreset(value);
}

/** Removes the preset from the address bar (after it was applied or dismissed), keeping the rest. */
export function clearPresetFromLocation(location: Location = window.location, history: History = window.history): void {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has(PRESET_PARAM)) return;
  params.delete(PRESET_PARAM);
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
}
