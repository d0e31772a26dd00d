import { describe, expect, test } from 'vitest';
import {
  UNAVAILABLE_GATE_EFFECT,
  WEBCONTAINER_HOSTS,
  bootTimeoutFromSearch,
  checkWebContainerSupport,
  detectPageCoep,
  isIos,
  parseCoepHeader,
  webContainerDiagnostic,
  type SupportEnvironment,
} from '../../../src/sandbox/webcontainer-support.ts';

const desktopChrome: SupportEnvironment = {
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  platform: 'Linux x86_64',
  maxTouchPoints: 0,
};

describe('support check before boot', () => {
  test('an isolated desktop Chromium with SharedArrayBuffer is supported', () => {
    expect(checkWebContainerSupport(desktopChrome)).toEqual({ supported: true });
  });

  test('a page without cross-origin isolation is refused with the headers it needs', () => {
    const result = checkWebContainerSupport({ ...desktopChrome, crossOriginIsolated: false });
    expect(result).toMatchObject({ supported: false, code: 'not-isolated' });
    expect(result.supported === false && result.reason).toMatch(/Cross-Origin-Embedder-Policy: require-corp/);
  });

  test('no SharedArrayBuffer is refused', () => {
    expect(checkWebContainerSupport({ ...desktopChrome, hasSharedArrayBuffer: false })).toMatchObject({
      supported: false,
      code: 'no-shared-array-buffer',
    });
  });

  test.each([
    ['iPhone Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1', 'iPhone', 5],
    ['Chrome on iOS', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 CriOS/130.0 Mobile/15E148 Safari/604.1', 'iPhone', 5],
    ['iPad (desktop user agent)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15', 'MacIntel', 5],
  ])('never boots on iOS: %s, even when isolated', (_label, userAgent, platform, maxTouchPoints) => {
    const environment = { ...desktopChrome, userAgent, platform, maxTouchPoints };
    expect(isIos(environment)).toBe(true);
    const result = checkWebContainerSupport(environment);
    expect(result).toMatchObject({ supported: false, code: 'ios' });
    expect(result.supported === false && result.reason).toMatch(/crashes the browser tab/);
  });

  test('a Mac with a mouse is not iOS', () => {
    expect(isIos({ ...desktopChrome, platform: 'MacIntel', maxTouchPoints: 0, userAgent: 'Mozilla/5.0 (Macintosh)' })).toBe(false);
  });
});

describe('diagnostic and gate effect', () => {
  test('names every host WebContainer needs', () => {
    const text = webContainerDiagnostic();
    for (const host of ['stackblitz.com', '*.staticblitz.com', '*.webcontainer-api.io']) expect(text).toContain(host);
    expect(WEBCONTAINER_HOSTS).toHaveLength(3);
  });

  test('says what unavailability means for the gate', () => {
    expect(UNAVAILABLE_GATE_EFFECT).toMatch(/worker sandbox/);
    expect(UNAVAILABLE_GATE_EFFECT).toMatch(/Require passing tests/);
  });
});

describe('?wcBootMs= boot timeout', () => {
  test.each([
    ['', 20_000],
    ['?wcBootMs=1500', 1500],
    ['?other=1&wcBootMs=300', 300],
    ['?wcBootMs=0', 20_000],
    ['?wcBootMs=-5', 20_000],
    ['?wcBootMs=abc', 20_000],
    ['?wcBootMs=1e3', 20_000],
  ])('%s → %i ms', (search, expected) => {
    expect(bootTimeoutFromSearch(search)).toBe(expected);
  });
});

describe('page COEP', () => {
  test('reads the policy from the header, ignoring parameters and case', () => {
    expect(parseCoepHeader('require-corp')).toBe('require-corp');
    expect(parseCoepHeader('Credentialless; report-to="x"')).toBe('credentialless');
    expect(parseCoepHeader('unsafe-none')).toBeNull();
    expect(parseCoepHeader(null)).toBeNull();
  });

  test('asks the page URL for its headers', async () => {
    const seen: string[] = [];
    const fetchStub = (async (url: string) => {
      seen.push(url);
      return new Response('<html>', { headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' } });
    }) as typeof fetch;
    expect(await detectPageCoep(fetchStub, 'https://app.example/run?x=1', true)).toBe('credentialless');
    expect(seen).toEqual(['https://app.example/run?x=1']);
  });

  test('an isolated page whose headers cannot be read has the project COEP, require-corp', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await detectPageCoep(failing, 'https://app.example/', true)).toBe('require-corp');
    const headerless = (async () => new Response('')) as typeof fetch;
    expect(await detectPageCoep(headerless, 'https://app.example/', true)).toBe('require-corp');
    expect(await detectPageCoep(headerless, 'https://app.example/', false)).toBe('none');
  });
});
