/**
 * What must hold before WebContainer may boot, and the words the user gets when it cannot (DESIGN.md §7):
 * cross-origin isolation, SharedArrayBuffer, not iOS (booting there crashes the tab), the hosts it needs,
 * the page's COEP, and the boot timeout of the `?wcBootMs=` parameter.
 */
import type { WebContainerCoep } from './webcontainer-api.ts';

/** The hosts a WebContainer loads from; a network (or an extension) that blocks them stops the boot. */
export const WEBCONTAINER_HOSTS = ['stackblitz.com', '*.staticblitz.com', '*.webcontainer-api.io'] as const;

export const DEFAULT_BOOT_TIMEOUT_MS = 20_000;

export type UnavailableCode =
  | 'ios'
  | 'not-isolated'
  | 'no-shared-array-buffer'
  | 'load-failed'
  | 'boot-timeout'
  | 'boot-failed';

export interface SupportEnvironment {
  crossOriginIsolated: boolean;
  hasSharedArrayBuffer: boolean;
  userAgent: string;
  /** `navigator.platform`: iPadOS reports "MacIntel" with a desktop user agent. */
  platform: string;
  maxTouchPoints: number;
}

export function readSupportEnvironment(): SupportEnvironment {
  const nav = (globalThis as { navigator?: Partial<Navigator> }).navigator;
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hasSharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    userAgent: nav?.userAgent ?? '',
    platform: nav?.platform ?? '',
    maxTouchPoints: nav?.maxTouchPoints ?? 0,
  };
}

/** Every browser on iOS and iPadOS is WebKit underneath, whatever its name; iPadOS poses as a Mac. */
export function isIos(environment: SupportEnvironment): boolean {
  if (/\b(iPhone|iPad|iPod)\b/.test(environment.userAgent)) return true;
  return environment.platform === 'MacIntel' && environment.maxTouchPoints > 1;
}

export type SupportResult = { supported: true } | { supported: false; code: UnavailableCode; reason: string };

/** Checked before any boot: a boot that cannot work either hangs or, on iOS, takes the tab down with it. */
export function checkWebContainerSupport(environment: SupportEnvironment): SupportResult {
  if (isIos(environment)) {
    return {
      supported: false,
      code: 'ios',
      reason: 'WebContainer is not started on iOS and iPadOS: booting it there crashes the browser tab.',
    };
  }
  if (!environment.crossOriginIsolated) {
    return {
      supported: false,
      code: 'not-isolated',
      reason:
        'This page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp, or the app’s service worker that adds them on static hosts).',
    };
  }
  if (!environment.hasSharedArrayBuffer) {
    return {
      supported: false,
      code: 'no-shared-array-buffer',
      reason: 'This browser has no SharedArrayBuffer, which WebContainer needs.',
    };
  }
  return { supported: true };
}

/** What an unavailable WebContainer means for the step gate (DESIGN.md §4 "Require passing tests"). */
export const UNAVAILABLE_GATE_EFFECT =
  'Code cannot run in WebContainer in this page. In "Automatic" mode the worker sandbox runs the tests instead; ' +
  'with "WebContainer only", the gate fails when "Require passing tests" is on, and steps complete marked ' +
  '"tests not run" when it is off.';

/** Why WebContainer cannot run in this page, in the words the UI shows. */
export interface WebContainerUnavailable {
  code: UnavailableCode;
  reason: string;
  /** What it means for the step gate. */
  gateEffect: string;
  /** Which hosts WebContainer needs, for networks that block them. */
  diagnostic: string;
}

export function describeUnavailable(code: UnavailableCode, reason: string): WebContainerUnavailable {
  return { code, reason, gateEffect: UNAVAILABLE_GATE_EFFECT, diagnostic: webContainerDiagnostic() };
}

/** For users on networks that block WebContainer: which hosts to allow. */
export function webContainerDiagnostic(): string {
  return (
    `WebContainer loads its runtime from ${WEBCONTAINER_HOSTS.join(', ')}. If this network, a firewall, a proxy ` +
    'or a browser extension blocks these hosts, or third-party cookies and storage are blocked for them, ' +
    'WebContainer cannot start: allow them, or use the worker sandbox.'
  );
}

/** The boot timeout: `?wcBootMs=<positive integer>` in the page URL (for tests), else 20 s. */
export function bootTimeoutFromSearch(search: string, fallback: number = DEFAULT_BOOT_TIMEOUT_MS): number {
  const raw = new URLSearchParams(search).get('wcBootMs');
  if (raw === null || !/^\d+$/.test(raw.trim())) return fallback;
  const value = Number(raw.trim());
  return value > 0 && Number.isSafeInteger(value) ? value : fallback;
}

export function pageBootTimeoutMs(): number {
  const search = (globalThis as { location?: { search?: string } }).location?.search ?? '';
  return bootTimeoutFromSearch(search);
}

/** The policy named by a `Cross-Origin-Embedder-Policy` header value (which may carry parameters). */
export function parseCoepHeader(value: string | null): WebContainerCoep | null {
  if (value === null) return null;
  const policy = value.split(';')[0]?.trim().toLowerCase();
  if (policy === 'require-corp' || policy === 'credentialless') return policy;
  return null;
}

/**
 * The COEP the page was served with, which WebContainer's `coep` boot option must match (it is fixed at the
 * first boot). Documents expose no response headers, so the page URL is fetched again: a same-origin GET,
 * which the app's service worker answers with the same headers it gave the page on static hosts. When that
 * fails (offline without a cache), an isolated page has the project's one COEP, `require-corp` (DESIGN.md
 * §2); a page that is not isolated never boots, so `none` is only reported, never used.
 */
export async function detectPageCoep(
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  pageUrl: string = globalThis.location?.href ?? '',
  isolated: boolean = globalThis.crossOriginIsolated === true,
): Promise<WebContainerCoep> {
  const fallback: WebContainerCoep = isolated ? 'require-corp' : 'none';
  if (!pageUrl) return fallback;
  try {
    const response = await fetchImpl(pageUrl, { method: 'GET', credentials: 'same-origin', signal: AbortSignal.timeout(5000) });
    const coep = parseCoepHeader(response.headers.get('cross-origin-embedder-policy'));
    await response.body?.cancel().catch(() => undefined);
    return coep ?? fallback;
  } catch {
    return fallback;
  }
}
