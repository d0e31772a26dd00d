/**
 * A mock OpenAI-compatible server for every test that talks to an LLM over HTTP (vitest in-process, and
 * Playwright specs, which run in Node). Plain `node:http` on 127.0.0.1 at a random port.
 *
 * - Plays the one scenario format (`src/llm/scenario.ts`): a request's key is derived from its content with
 *   `deriveRequestMeta` (no `meta` ever reaches a provider); a request the scenario does not expect gets a
 *   400 naming the expected and the actual key. Without a scenario it echoes the last message (and calls the
 *   forced tool, if any).
 * - Replies streamed (`chat.completion.chunk` SSE) or not (`chat.completion` JSON); `GET …/models`; any path
 *   ending in `/chat/completions` is the chat route, so Azure-style deployment paths work too.
 * - `rejectForcedToolChoice`: a 400 for a `tool_choice` naming a function (as some providers answer).
 * - CORS: echoes `Origin` and `Access-Control-Request-Headers`; `strictCors` allows only `authorization,
 *   content-type` (as Ollama does), so a browser blocks a request carrying anything else.
 * - Faults (`mock-faults.ts`), programmatic or over HTTP: `POST /__mock/faults` (a spec or a list),
 *   `DELETE /__mock/faults`, `POST /__mock/release` `{name}`, `GET /__mock/requests`, `POST /__mock/scenario`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { estimateMessageTokens, estimateToolTokens } from '../../src/llm/estimate.ts';
import { deriveRequestMeta, findScenarioTurn, scenarioMessage, type Scenario, type WireRequest } from '../../src/llm/scenario.ts';
import type { AssistantMessage, ChatMessage, ToolChoice, ToolSpec, Usage } from '../../src/llm/types.ts';
import { handleControl } from './mock-control.ts';
import { MockFaults, type FaultSpec, type HoldFault, type MockRoute, type StatusFault } from './mock-faults.ts';
import { completionBody, faultResponse, streamChunks } from './mock-replies.ts';

export interface MockServerOptions {
  scenario?: Scenario;
  /** Allow only `authorization, content-type` in preflights. */
  strictCors?: boolean;
  /**
   * Listed by `GET /models` (an id, or a whole entry such as OpenRouter's with `context_length` and
   * `pricing`). When given, a chat request for another model gets a 404 `model_not_found`.
   */
  models?: Array<string | ({ id: string } & Record<string, unknown>)>;
  /**
   * Behave like Ollama's native API for the `num_ctx` check: `POST /api/show` (Modelfile `parameters`, the
   * model's maximum `contextLength`) and `GET /api/ps` (`loadedContext`: what the loaded model got).
   * Absent: those routes answer 404, as on other servers.
   */
  ollama?: { parameters?: string; contextLength?: number; loadedContext?: number };
  /**
   * Refuse a `tool_choice` that names a function with a 400 worded as Anthropic's OpenAI-compatible endpoint
   * words it for thinking models (no `param`); `required` and `auto` are accepted.
   */
  rejectForcedToolChoice?: boolean;
}

export interface RecordedRequest {
  /** 0-based position among all requests this server received. */
  seq: number;
  method: string;
  /** Path with query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** `chat` or `models` with the 1-based index on that route, for requests on those routes. */
  route?: MockRoute;
  routeIndex?: number;
}

export interface MockServer {
  /** Base URL for an OpenAI client: `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Every request, preflights and control requests included, in arrival order. */
  requests: RecordedRequest[];
  /** The POST …/chat/completions requests only. */
  readonly chatRequests: RecordedRequest[];
  faults: MockFaults;
  setScenario(scenario: Scenario | undefined): void;
  setStrictCors(strict: boolean): void;
  close(): Promise<void>;
}

const STRICT_ALLOWED_HEADERS = 'authorization, content-type';
let replyCounter = 0;

function corsHeaders(req: IncomingMessage, strict: boolean): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': typeof req.headers.origin === 'string' ? req.headers.origin : '*',
    vary: 'Origin',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': strict || typeof requested !== 'string' ? STRICT_ALLOWED_HEADERS : requested,
    'access-control-expose-headers': 'retry-after, retry-after-ms, x-request-id',
    // No preflight caching: a test may switch strict mode on the same origin.
    'access-control-max-age': '0',
    'cross-origin-resource-policy': 'cross-origin',
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The reply without a scenario: an echo, or a call of the forced (or first required) tool with `{}`. */
function echoMessage(messages: ChatMessage[], tools: ToolSpec[] | undefined, toolChoice: ToolChoice | undefined): AssistantMessage {
  const forced = typeof toolChoice === 'object' ? toolChoice.function.name : toolChoice === 'required' ? tools?.[0]?.function.name : undefined;
  if (forced) return { role: 'assistant', content: null, tool_calls: [{ id: 'call_echo_0', type: 'function', function: { name: forced, arguments: '{}' } }] };
  const last = messages[messages.length - 1];
  return { role: 'assistant', content: `echo: ${last?.content ?? ''}` };
}

function estimateUsage(request: WireRequest, message: AssistantMessage): Usage {
  const prompt = request.messages.reduce((sum, m) => sum + estimateMessageTokens(m), 3) + estimateToolTokens(request.tools ?? []);
  return { inputTokens: prompt, cachedInputTokens: 0, outputTokens: estimateMessageTokens(message) };
}

export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  let scenario = options.scenario;
  let strict = options.strictCors ?? false;
  const requests: RecordedRequest[] = [];
  const counts: Record<MockRoute, number> = { chat: 0, models: 0 };
  const faults = new MockFaults(() => ({ ...counts }));
  const sockets = new Set<Socket>();
  const modelIds = () => (options.models ?? []).map((m) => (typeof m === 'string' ? m : m.id));

  async function handleChat(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, cors: Record<string, string>) {
    const index = record.routeIndex ?? 0;
    const applicable = faults.matching('chat', index);
    for (const hold of applicable.filter((f): f is HoldFault => f.kind === 'hold')) await faults.waitForRelease(hold, index);
    if (res.destroyed || req.socket.destroyed) return;
    const status = applicable.find((f): f is StatusFault => f.kind === 'status');
    if (status) {
      const { body, headers } = faultResponse(status);
      res.writeHead(status.status, { ...cors, ...headers });
      res.end(body);
      return;
    }
    const body = record.body as (WireRequest & { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } }) | undefined;
    if (!body || !Array.isArray(body.messages)) {
      sendJson(res, 400, { error: { message: 'messages is required', type: 'invalid_request_error', param: 'messages', code: null } }, cors);
      return;
    }
    if (options.rejectForcedToolChoice && typeof body.tool_choice === 'object' && body.tool_choice !== null) {
      sendJson(res, 400, { error: { message: 'Thinking may not be enabled when tool_choice forces tool use.', type: 'invalid_request_error' } }, cors);
      return;
    }
    const model = body.model ?? 'mock-model';
    if (options.models && !modelIds().includes(model)) {
      sendJson(res, 404, { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } }, cors);
      return;
    }

    let message: AssistantMessage;
    let usage: Usage;
    if (scenario) {
      const meta = deriveRequestMeta(body);
      try {
        const turn = findScenarioTurn(scenario, meta, body.messages);
        message = scenarioMessage(turn, meta);
        usage = { ...estimateUsage(body, message), ...turn.usage };
      } catch (error) {
        const desync = error as { message: string; expected?: string; actual?: string };
        sendJson(res, 400, { error: { message: desync.message, type: 'invalid_request_error', param: null, code: 'scenario_desync', expected: desync.expected, actual: desync.actual } }, cors);
        return;
      }
    } else {
      message = echoMessage(body.messages, body.tools, body.tool_choice);
      usage = estimateUsage(body, message);
    }

    const ids = { id: `chatcmpl-mock${++replyCounter}`, created: Math.floor(Date.now() / 1000), model };
    const delayMs = applicable.reduce((ms, f) => (f.kind === 'delay' ? f.chunkDelayMs : ms), 0);
    const cut = applicable.find((f) => f.kind === 'cut');
    const idle = applicable.find((f) => f.kind === 'idle');
    const streamError = applicable.find((f) => f.kind === 'stream-error');

    if (!body.stream) {
      await sleep(delayMs);
      if (cut) return void req.socket.destroy();
      if (idle) return;
      sendJson(res, 200, completionBody(message, usage, ids), { ...cors, 'x-request-id': ids.id });
      return;
    }

    const plan = streamChunks(message, usage, ids, body.stream_options?.include_usage === true);
    const stopAt = (fault: FaultSpec | undefined) =>
      fault && 'afterChunks' in fault && fault.afterChunks !== undefined ? fault.afterChunks : plan.midpoint;
    res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': ids.id });
    const cutNow = () => (cut?.kind === 'cut' && cut.graceful ? void res.end() : void req.socket.destroy());
    for (let i = 0; i < plan.chunks.length; i++) {
      if (res.destroyed) return;
      if (cut && i === stopAt(cut)) return cutNow();
      if (idle && i === stopAt(idle)) return;
      if (streamError && i === stopAt(streamError)) {
        const code = streamError.code ?? 'server_error';
        res.end(`data: ${JSON.stringify({ error: { message: streamError.message ?? 'Upstream provider error.', type: 'server_error', code } })}\n\n`);
        return;
      }
      await sleep(delayMs);
      // Wait until the chunk is flushed, so that a cut after it really delivers it first.
      await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(plan.chunks[i])}\n\n`, () => resolve()));
    }
    if (cut && stopAt(cut) >= plan.chunks.length) return cutNow();
    if (idle && stopAt(idle) >= plan.chunks.length) return;
    res.end('data: [DONE]\n\n');
  }

  function handleModels(res: ServerResponse, record: RecordedRequest, cors: Record<string, string>) {
    const status = faults.matching('models', record.routeIndex ?? 0).find((f): f is StatusFault => f.kind === 'status');
    if (status) {
      const { body, headers } = faultResponse(status);
      res.writeHead(status.status, { ...cors, ...headers });
      res.end(body);
      return;
    }
    const entries = (options.models ?? ['mock-model']).map((m) => (typeof m === 'string' ? { id: m, object: 'model', created: 0, owned_by: 'mock' } : m));
    sendJson(res, 200, { object: 'list', data: entries }, cors);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const text = method === 'POST' || method === 'DELETE' ? await readBody(req) : '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { seq: requests.length, method, path, headers: { ...req.headers }, body };
    const pathname = path.split('?')[0] ?? '';
    let route: MockRoute | undefined;
    if (method === 'POST' && pathname.endsWith('/chat/completions')) route = 'chat';
    else if (method === 'GET' && pathname.endsWith('/models')) route = 'models';
    if (route) {
      counts[route] += 1;
      record.route = route;
      record.routeIndex = counts[route];
    }
    requests.push(record);
    const cors = corsHeaders(req, strict);

    if (method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (text && body === undefined) {
      sendJson(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } }, cors);
      return;
    }
    if (pathname.startsWith('/__mock/')) {
      const answer = handleControl(record, { faults, requests, setScenario: (next) => (scenario = next) });
      return sendJson(res, answer.status, answer.body, cors);
    }
    if (route === 'chat') return handleChat(req, res, record, cors);
    if (route === 'models') return handleModels(res, record, cors);
    const ollama = options.ollama;
    if (method === 'POST' && pathname === '/api/show' && ollama) {
      return sendJson(res, 200, { parameters: ollama.parameters ?? '', model_info: ollama.contextLength ? { 'general.architecture': 'llama', 'llama.context_length': ollama.contextLength } : {} }, cors);
    }
    if (method === 'GET' && pathname === '/api/ps' && ollama) {
      const name = (requests.findLast((r) => r.route === 'chat')?.body as { model?: string } | undefined)?.model;
      const loaded = ollama.loadedContext !== undefined && name ? [{ name, model: name, context_length: ollama.loadedContext }] : [];
      return sendJson(res, 200, { models: loaded }, cors);
    }
    if (method === 'GET' && pathname === '/health') return sendJson(res, 200, { ok: true }, cors);
    sendJson(res, 404, { error: { message: `Invalid URL (${method} ${pathname})`, type: 'invalid_request_error', param: null, code: null } }, cors);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock server bug: ${(error as Error).message}` } }, {});
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.route === 'chat');
    },
    faults,
    setScenario(next) {
      scenario = next;
    },
    setStrictCors(next) {
      strict = next;
    },
    async close() {
      faults.releaseAll();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
