import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import {
  applyPreset,
  clearPresetFromLocation,
  decodePreset,
  describePreset,
  encodePreset,
  presetClearsKey,
  presetFromSettings,
  presetLink,
  readPresetFromHash,
  validatePreset,
  type ClassroomPreset,
  type PresetTarget,
} from '../../../src/presets/index.ts';
import { KeyStorage } from '../../../src/store/key-storage.ts';
import { MemoryStorage } from '../../support/memory-storage.ts';

const current: PresetTarget = {
  llm: { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-5.4-mini' },
  limits: { ...DEFAULT_LIMITS },
  requirePassingTests: true,
  defaultSandbox: 'auto',
};

const classroom: ClassroomPreset = {
  v: 1,
  title: 'Week 3',
  provider: 'ollama',
  baseURL: 'http://localhost:11434/v1',
  model: 'qwen2.5-coder:7b',
  contextWindow: 32_768,
  limits: { maxSteps: 4, spendPerRun: 0.5 },
  requirePassingTests: false,
  sandbox: 'worker',
  domain: 'codebase',
  task: 'Write a to-do list module with tests — «ünïcode» too.',
  promptProgram: ['Write todo.js with add and list.', 'Write tests for it.'],
};

function hashOf(link: string): string {
  return new URL(link).hash;
}

function rawLink(payload: unknown): string {
  return `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

describe('preset links', () => {
  it('round-trip every field through the URL fragment, and never touch the path or query', () => {
    const link = presetLink('https://school.example/l2mac/?lang=en#old', classroom);
    const url = new URL(link);
    expect(url.pathname).toBe('/l2mac/');
    expect(url.search).toBe('?lang=en');
    expect(url.hash.startsWith('#preset=v1.')).toBe(true);
    const read = readPresetFromHash(url.hash);
    expect(read).toEqual({ ok: true, preset: classroom, notices: [] });
  });

  it('strip key-like fields when encoding, at any depth', () => {
    const leaky = { ...classroom, apiKey: 'sk-live-secret', api_key: 'x', token: 'y', Authorization: 'Bearer z', limits: { maxSteps: 4, secretKey: 'q' } };
    const encoded = encodePreset(leaky);
    const json = Buffer.from(encoded.slice(3), 'base64url').toString('utf8');
    expect(json).not.toMatch(/apiKey|api_key|token"|Authorization|secret/i);
    const read = decodePreset(encoded);
    expect(read.ok && read.preset).toEqual({ ...classroom, limits: { maxSteps: 4 } });
  });

  it('strip key-like fields when decoding a hand-made link, and say so', () => {
    const read = decodePreset(rawLink({ v: 1, model: 'm', apiKey: 'abc', credentials: { password: 'p' }, nested: { accessToken: 't' } }));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.preset).toEqual({ v: 1, model: 'm' });
    expect(JSON.stringify(read.preset)).not.toMatch(/abc|"p"|"t"/);
    expect(read.notices.join(' ')).toMatch(/Ignored apiKey, credentials, nested\.accessToken: a preset never carries an API key/);
  });

  it('remove credentials hidden in the base URL (user info, key query parameters)', () => {
    const read = decodePreset(rawLink({ v: 1, baseURL: 'https://user:pass@gateway.example/v1?key=AIzaSyA-very-secret&api-version=2024-10-21&access_token=x' }));
    expect(read.ok && read.preset.baseURL).toBe('https://gateway.example/v1?api-version=2024-10-21');
    expect(read.ok && read.notices.join(' ')).toMatch(/Removed a credential from the base URL/);
    expect(encodePreset({ v: 1, baseURL: 'https://u:p@h.example/v1' })).not.toContain(Buffer.from('u:p').toString('base64url'));
  });

  it('refuse a preset whose text looks like an API key, and the stored key itself anywhere', () => {
    expect(() => encodePreset({ ...classroom, task: 'use sk-proj-abcdefghijklmnopqrstuvwx please' })).toThrow(/looks like an API key/);
    expect(decodePreset(rawLink({ v: 1, promptProgram: ['key: sk-ant-abcdefghijklmnopqrstuvwxyz'] }))).toEqual({ ok: false, error: expect.stringMatching(/looks like an API key/) });
    expect(() => encodePreset({ ...classroom, task: 'my key is classroom-key-2024' }, { secrets: ['classroom-key-2024'] })).toThrow(/would contain your API key/);
  });

  it('never carry the key, whatever the input (property)', () => {
    const keyName = fc.constantFrom('apiKey', 'api_key', 'API-KEY', 'key', 'token', 'accessToken', 'secret', 'password', 'authorization', 'bearer', 'credentials');
    fc.assert(
      fc.property(keyName, fc.stringMatching(/^[A-Za-z0-9]{12,30}$/), fc.boolean(), (name, secret, nested) => {
        const input: Record<string, unknown> = { ...classroom };
        if (nested) input.limits = { maxSteps: 3, [name]: `zz${secret}zz` };
        else input[name] = `zz${secret}zz`;
        const encoded = encodePreset(input);
        expect(Buffer.from(encoded.slice(3), 'base64url').toString('utf8')).not.toContain(secret);
        const read = decodePreset(rawLink(input));
        expect(read.ok).toBe(true);
        expect(JSON.stringify(read)).not.toContain(`zz${secret}zz`);
      }),
      { numRuns: 200 },
    );
  });

  it('turn bad input into a clear message and nothing else', () => {
    const cases: [string, RegExp][] = [
      ['v2.abc', /format v2, which this version of the app cannot read/],
      ['garbage', /damaged \(no version\)/],
      ['v1.!!!', /damaged \(unexpected characters\)/],
      ['v1.' + Buffer.from('not json').toString('base64url'), /not valid JSON/],
      [rawLink([1, 2]), /not an object/],
      [rawLink({ v: 2 }), /newer version of the app/],
      [rawLink({ v: 1, provider: 'evil' }), /"provider" must be one of/],
      [rawLink({ v: 1, baseURL: 'javascript:alert(1)' }), /must start with http/],
      [rawLink({ v: 1, baseURL: 'not a url' }), /not a valid address/],
      [rawLink({ v: 1, limits: { maxSteps: 99 } }), /"limits\.maxSteps" must be a whole number from 1 to 30/],
      [rawLink({ v: 1, limits: { maxSteps: 2.5 } }), /whole number/],
      [rawLink({ v: 1, limits: { bogus: 1 } }), /"limits\.bogus" is not a limit/],
      [rawLink({ v: 1, sandbox: 'docker' }), /"sandbox" must be one of auto, worker, webcontainer/],
      [rawLink({ v: 1, task: 42 }), /"task" must be text/],
      [rawLink({ v: 1, task: 'x'.repeat(20_001) }), /too long/],
      [rawLink({ v: 1, promptProgram: [] }), /non-empty list/],
      [rawLink({ v: 1, promptProgram: ['a', ''] }), /Step 2 of "promptProgram"/],
      [rawLink({ v: 1, limits: { maxSteps: 2 }, promptProgram: ['a', 'b', 'c'] }), /3 steps; at most 2/],
      [rawLink({ v: 1, requirePassingTests: 'yes' }), /true or false/],
      [rawLink({ v: 1, contextWindow: -5 }), /"contextWindow"/],
    ];
    for (const [value, message] of cases) {
      const read = decodePreset(value);
      expect(read, value.slice(0, 40)).toEqual({ ok: false, error: expect.stringMatching(message) });
    }
  });

  it('reads only the preset parameter of the fragment, and none at all is not an error', () => {
    expect(readPresetFromHash('')).toBeNull();
    expect(readPresetFromHash('#section-2')).toBeNull();
    const encoded = encodePreset({ v: 1, model: 'm' });
    expect(readPresetFromHash(`#a=1&preset=${encoded}`)).toMatchObject({ ok: true, preset: { model: 'm' } });
  });

  it('is removed from the address bar after use, keeping the rest', () => {
    const calls: string[] = [];
    const location = { hash: `#preset=${encodePreset({ v: 1, model: 'm' })}&tab=files`, pathname: '/app/', search: '?x=1' } as Location;
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => calls.push(url) } as unknown as History;
    clearPresetFromLocation(location, history);
    expect(calls).toEqual(['/app/?x=1#tab=files']);
  });

  it('ignores fields from a newer app, with a notice', () => {
    const read = decodePreset(rawLink({ v: 1, model: 'm', theme: 'dark' }));
    expect(read).toEqual({ ok: true, preset: { v: 1, model: 'm' }, notices: ['Ignored fields this app does not know: theme.'] });
  });
});

describe('presets from and onto settings', () => {
  it('"Copy link" takes the settings and draft, and only what it is told to share', () => {
    const settings: PresetTarget = { ...current, llm: { ...current.llm, modelOverrides: { contextWindow: 64_000 } } };
    const preset = presetFromSettings(settings, { task: 'Build it', domain: 'book', promptProgram: ['one'] });
    expect(preset).toMatchObject({ v: 1, provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-5.4-mini', contextWindow: 64_000, task: 'Build it', domain: 'book', promptProgram: ['one'], sandbox: 'auto', requirePassingTests: true });
    expect(preset.limits).toEqual(DEFAULT_LIMITS);
    const bare = presetFromSettings(settings, { task: 'Build it', promptProgram: ['one'] }, { task: false, promptProgram: false, limits: false });
    expect(bare.task).toBeUndefined();
    expect(bare.promptProgram).toBeUndefined();
    expect(bare.limits).toBeUndefined();
    expect(() => presetFromSettings({ ...current, llm: { provider: 'scripted', baseURL: '', model: 'scripted' } })).toThrow(/scripted demo/);
  });

  it('applies everything it carries and returns the draft for the New run form', () => {
    const keys = new KeyStorage({ local: new MemoryStorage(), session: new MemoryStorage() });
    const applied = applyPreset(current, classroom, keys);
    expect(applied.settings.llm).toEqual({ provider: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b', modelOverrides: { contextWindow: 32_768 } });
    expect(applied.settings.limits).toEqual({ ...DEFAULT_LIMITS, maxSteps: 4, spendPerRun: 0.5 });
    expect(applied.settings.requirePassingTests).toBe(false);
    expect(applied.settings.defaultSandbox).toBe('worker');
    expect(applied.draft).toEqual({ task: classroom.task, domain: 'codebase', promptProgram: classroom.promptProgram });
    expect(applied.keyCleared).toBe(false);
  });

  it('a provider without a base URL gets the provider default; a new model drops the old model overrides', () => {
    const withOverrides: PresetTarget = { ...current, llm: { ...current.llm, modelOverrides: { contextWindow: 1_000_000 } } };
    const keys = new KeyStorage({ local: new MemoryStorage(), session: new MemoryStorage() });
    const applied = applyPreset(withOverrides, { v: 1, provider: 'openrouter' }, keys);
    expect(applied.settings.llm).toEqual({ provider: 'openrouter', baseURL: 'https://openrouter.ai/api/v1', model: 'openai/gpt-5.4-mini' });
    const sameModel = applyPreset(withOverrides, { v: 1, limits: { maxSteps: 3 } }, keys);
    expect(sameModel.settings.llm.modelOverrides).toEqual({ contextWindow: 1_000_000 });
  });

  it('clears a stored key when the base URL moves to another origin, and keeps it on the same origin', () => {
    const local = new MemoryStorage();
    const keys = new KeyStorage({ local, session: new MemoryStorage() });
    keys.save('sk-the-teachers-key-1234', 'https://api.openai.com/v1', 'device');

    expect(presetClearsKey(current, { v: 1, baseURL: 'https://api.openai.com/v1/', model: 'gpt-5.4' }, keys)).toBe(false);
    const same = applyPreset(current, { v: 1, baseURL: 'https://api.openai.com/v1/', model: 'gpt-5.4' }, keys);
    expect(same.keyCleared).toBe(false);
    expect(keys.read('https://api.openai.com/v1').key).toBe('sk-the-teachers-key-1234');

    expect(presetClearsKey(current, classroom, keys)).toBe(true);
    const moved = applyPreset(current, { v: 1, baseURL: 'https://evil.example/v1' }, keys);
    expect(moved.keyCleared).toBe(true);
    expect(keys.status().stored).toBe(false);
    expect(local.length).toBe(0);
    expect(keys.read('https://evil.example/v1').key).toBeNull();
  });

  it('describes what will be applied, marking the changes', () => {
    const lines = describePreset(current, classroom);
    const byLabel = Object.fromEntries(lines.map((l) => [l.label, l]));
    expect(byLabel['Provider']).toEqual({ label: 'Provider', value: 'Ollama (local)', changed: true });
    expect(byLabel['Base URL']?.value).toBe('http://localhost:11434/v1');
    expect(byLabel['Steps in a plan']).toEqual({ label: 'Steps in a plan', value: '4', changed: true });
    expect(byLabel['Sandbox']).toEqual({ label: 'Sandbox', value: 'Worker only', changed: true });
    expect(byLabel['Require passing tests']?.value).toBe('off');
    expect(byLabel['Prompt program']?.value).toBe('1. Write todo.js with add and list.\n2. Write tests for it.');
    expect(lines.some((l) => /key/i.test(l.label))).toBe(false);
    expect(describePreset(current, { v: 1, limits: { maxSteps: 10 } })).toEqual([{ label: 'Steps in a plan', value: '10', changed: false }]);
  });

  it('validates what it shares: a preset from settings passes validation unchanged', () => {
    const preset = presetFromSettings(current, { task: 'T', domain: 'codebase' });
    expect(validatePreset(preset).preset).toEqual(preset);
    expect(hashOf(presetLink('https://x.example/', preset))).toMatch(/^#preset=v1\./);
  });
});
