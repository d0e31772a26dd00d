/**
 * Building the openai SDK client for one provider (DESIGN.md §8). The SDK is loaded with a dynamic import,
 * so it is not in the initial bundle.
 *
 * What goes on the wire passes through `createWireFetch`:
 * - no `x-stainless-*` headers (the SDK's telemetry; a local server's CORS preflight that allows only
 *   `authorization, content-type`, as Ollama's does, would block the request) and no `user-agent` (browsers
 *   that let scripts set it would add it to the preflight too). A custom `fetch` is the SDK's supported
 *   hook for this; it also catches per-request headers that `defaultHeaders: {name: null}` would miss;
 * - only to the configured base URL's origin: the key can never travel anywhere else;
 * - error bodies are kept (by response headers) for classification, because the SDK drops bodies that
 *   are JSON but not objects (Gemini's `[{"error": …}]`).
 */
import { BadRequestError } from '../errors.ts';
import type { SdkErrorClasses } from './errors.ts';
import { providerHeaders } from './providers.ts';
import type { LlmSettings } from './types.ts';

type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** API versions that select Azure's deployment URLs (`/openai/deployments/<name>/…?api-version=`). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export interface WireFetch {
  fetch: FetchLike;
  /** The raw body of an error response, by its headers object (what SDK errors carry). */
  errorBody(headers: unknown): string | undefined;
}

const MAX_ERROR_BODY = 8_000;

export function createWireFetch(allowedBaseURL: string, inner: FetchLike = (input, init) => globalThis.fetch(input, init)): WireFetch {
  const allowedOrigin = new URL(allowedBaseURL).origin;
  const bodies = new WeakMap<object, string>();
  const wireFetch: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).origin !== allowedOrigin) {
      throw new BadRequestError(`Refusing to send a request to ${new URL(url).origin}: only ${allowedOrigin} (the configured base URL) gets the key.`);
    }
    const headers = new Headers(init?.headers);
    for (const name of [...headers.keys()]) {
      if (name.startsWith('x-stainless-') || name === 'user-agent') headers.delete(name);
    }
    const response = await inner(input, { ...init, headers });
    if (!response.ok) {
      const text = await response
        .clone()
        .text()
        .catch(() => undefined);
      if (text !== undefined) bodies.set(response.headers, text.slice(0, MAX_ERROR_BODY));
    }
    return response;
  };
  return {
    fetch: wireFetch,
    errorBody: (headers) => (typeof headers === 'object' && headers !== null ? bodies.get(headers) : undefined),
  };
}

/** The parts of the SDK module this layer uses (typed structurally so tests may inject a fake). */
export type OpenAiModule = typeof import('openai');
export type OpenAiClient = InstanceType<OpenAiModule['OpenAI']>;

let sdk: Promise<OpenAiModule> | undefined;

export function loadOpenAiSdk(): Promise<OpenAiModule> {
  sdk ??= import('openai');
  sdk.catch(() => (sdk = undefined));
  return sdk;
}

export function sdkErrorClasses(module: OpenAiModule): SdkErrorClasses {
  return {
    APIConnectionError: module.APIConnectionError,
    APIConnectionTimeoutError: module.APIConnectionTimeoutError,
    APIUserAbortError: module.APIUserAbortError,
  };
}

export interface ClientOptions {
  /** Until response headers arrive (the stream idle limit takes over after). Default 10 minutes. */
  timeoutMs?: number;
  /** The fetch under the wire fetch (tests). */
  fetch?: FetchLike;
}

/** Where requests go: the base URL, or for Azure the resource endpoint. */
export function requestBaseURL(settings: LlmSettings): string {
  return settings.baseURL.replace(/\/+$/, '');
}

/**
 * An SDK client for the settings. Azure OpenAI: with an `api-version` (default 2024-10-21) the SDK's
 * `AzureOpenAI` (endpoint + deployment in the path + `api-version` query + `api-key` header); with
 * `apiVersion: 'v1'`, Azure's v1 API, which is plain OpenAI at `<endpoint>/openai/v1`.
 */
export function createClient(module: OpenAiModule, settings: LlmSettings, apiKey: string, wire: WireFetch, options: ClientOptions = {}): OpenAiClient {
  const common = {
    // Local servers take no key, but the SDK requires one; they ignore it.
    apiKey: apiKey || 'no-key',
    defaultHeaders: providerHeaders(settings.provider),
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 600_000,
    fetch: wire.fetch,
    // The SDK's own logging could print request details (and did print stream fragments); we report
    // through typed errors instead, and never log a request.
    logLevel: 'off' as const,
  };
  const base = requestBaseURL(settings);
  if (settings.provider === 'azure') {
    const endpoint = base.replace(/\/openai(\/v1)?$/, '');
    if (settings.apiVersion === 'v1') return new module.OpenAI({ ...common, baseURL: `${endpoint}/openai/v1` });
    return new module.AzureOpenAI({
      ...common,
      endpoint,
      deployment: settings.deployment || settings.model,
      apiVersion: settings.apiVersion || AZURE_DEFAULT_API_VERSION,
    });
  }
  return new module.OpenAI({ ...common, baseURL: base });
}
