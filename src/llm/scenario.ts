/**
 * The one scenario format (DESIGN.md §8) read by the scripted LLM (`scripted.ts`), the mock
 * OpenAI-compatible server of the tests (`tests/support/mock-server.ts`) and the offline demos
 * (`public/demos/*.json`).
 *
 * A scenario is a list of replies, each keyed on where the request sits in the run (kind, step, turn,
 * restart) and, optionally, a substring that the request's last message must contain. The same request
 * always gets the same reply, so a retried or resumed request replays correctly.
 */
import { ScriptDesyncError } from '../errors.ts';
import {
  PLAN_TOOL_NAME,
  PROGRESS_REQUEST_MARKER,
  REPORT_REQUEST_MARKER,
  RESTART_HEADER_PATTERN,
  STEP_HEADER_PATTERN,
  SUMMARY_REQUEST_MARKER,
} from '../l2mac/prompts/markers.ts';
import type { AssistantMessage, ChatMessage, RequestKind, RequestMeta, ToolChoice, ToolSpec, Usage } from './types.ts';

export const SCENARIO_FORMAT = 'l2mac-scenario/1';

export interface ScenarioKey {
  kind: RequestKind;
  step: number;
  turn: number;
  /** Default 0. */
  restart?: number;
  /** The request's last message must contain this text. */
  lastMessageIncludes?: string;
}

export interface ScenarioToolCall {
  /** Default: `call_<step>_<turn>_<index>`. */
  id?: string;
  name: string;
  /** An object is sent as JSON; a string is sent as is (to script malformed arguments). */
  arguments: unknown;
}

export interface ScenarioReply {
  content?: string | null;
  toolCalls?: ScenarioToolCall[];
}

export interface ScenarioTurn {
  key: ScenarioKey;
  reply: ScenarioReply;
  /** Reported usage; estimated from the request when absent. */
  usage?: Partial<Usage>;
  /** A note for people reading the scenario. */
  note?: string;
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  name: string;
  title: string;
  description?: string;
  domain: 'codebase' | 'book';
  task: string;
  /** Limits the run is meant to use (e.g. a step cap). */
  settings?: { maxSteps?: number; requirePassingTests?: boolean };
  turns: ScenarioTurn[];
  /** Files the run starts from (an existing codebase, DESIGN.md §4 "Existing code and follow-ups"). */
  startingFiles?: Record<string, string>;
  /** The files a complete run ends with (checked by tests). */
  expectedFiles?: Record<string, string>;
}

const KINDS: readonly RequestKind[] = ['plan', 'step', 'summary', 'progress', 'report'];

function fail(where: string, what: string): never {
  throw new Error(`Invalid scenario: ${where}: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Validates parsed JSON as a scenario, with a message naming the first problem. */
export function parseScenario(input: unknown): Scenario {
  if (!isRecord(input)) fail('root', 'not an object');
  if (input.format !== SCENARIO_FORMAT) fail('format', `expected "${SCENARIO_FORMAT}"`);
  for (const field of ['name', 'title', 'task'] as const) {
    if (typeof input[field] !== 'string' || input[field] === '') fail(field, 'missing or not a string');
  }
  if (input.domain !== 'codebase' && input.domain !== 'book') fail('domain', 'must be "codebase" or "book"');
  if (!Array.isArray(input.turns)) fail('turns', 'not an array');
  for (const field of ['startingFiles', 'expectedFiles'] as const) {
    const files = input[field];
    if (files === undefined) continue;
    if (!isRecord(files) || !Object.values(files).every((v) => typeof v === 'string')) {
      fail(field, 'an object of path → text');
    }
  }
  input.turns.forEach((turn: unknown, i: number) => {
    const where = `turns[${i}]`;
    if (!isRecord(turn)) fail(where, 'not an object');
    const key = turn.key;
    if (!isRecord(key)) fail(`${where}.key`, 'not an object');
    if (!KINDS.includes(key.kind as RequestKind)) fail(`${where}.key.kind`, `one of ${KINDS.join(', ')}`);
    if (!isCount(key.step)) fail(`${where}.key.step`, 'a whole number ≥ 0');
    if (!isCount(key.turn)) fail(`${where}.key.turn`, 'a whole number ≥ 0');
    if (key.restart !== undefined && !isCount(key.restart)) fail(`${where}.key.restart`, 'a whole number ≥ 0');
    if (key.lastMessageIncludes !== undefined && typeof key.lastMessageIncludes !== 'string') {
      fail(`${where}.key.lastMessageIncludes`, 'a string');
    }
    const reply = turn.reply;
    if (!isRecord(reply)) fail(`${where}.reply`, 'not an object');
    if (reply.content !== undefined && reply.content !== null && typeof reply.content !== 'string') {
      fail(`${where}.reply.content`, 'a string or null');
    }
    if (reply.toolCalls !== undefined) {
      if (!Array.isArray(reply.toolCalls)) fail(`${where}.reply.toolCalls`, 'an array');
      reply.toolCalls.forEach((call: unknown, j: number) => {
        if (!isRecord(call) || typeof call.name !== 'string') fail(`${where}.reply.toolCalls[${j}]`, 'needs a name');
        if (!('arguments' in call)) fail(`${where}.reply.toolCalls[${j}]`, 'needs arguments');
      });
    }
  });
  return input as unknown as Scenario;
}

/** `step/2/3`, `step/2/0@r1`, with the substring when there is one. */
export function formatKey(key: ScenarioKey): string {
  const restart = key.restart ? `@r${key.restart}` : '';
  const includes = key.lastMessageIncludes ? ` [last message includes ${JSON.stringify(key.lastMessageIncludes)}]` : '';
  return `${key.kind}/${key.step}/${key.turn}${restart}${includes}`;
}

function lastMessageText(messages: readonly ChatMessage[]): string {
  const last = messages[messages.length - 1];
  return last?.content ?? '';
}

/**
 * The reply for a request, or a ScriptDesyncError naming what the scenario expected at this point and
 * what the request actually was.
 */
export function findScenarioTurn(scenario: Scenario, meta: RequestMeta, messages: readonly ChatMessage[]): ScenarioTurn {
  const last = lastMessageText(messages);
  const sameKey = scenario.turns.filter(
    (t) =>
      t.key.kind === meta.kind &&
      t.key.step === meta.step &&
      t.key.turn === meta.turn &&
      (t.key.restart ?? 0) === meta.restart,
  );
  const match = sameKey.find((t) => t.key.lastMessageIncludes === undefined || last.includes(t.key.lastMessageIncludes));
  if (match) return match;
  const actual = `${formatKey({ kind: meta.kind, step: meta.step, turn: meta.turn, restart: meta.restart })} (last message: ${JSON.stringify(last.slice(0, 160))})`;
  const near = sameKey.length
    ? sameKey
    : scenario.turns.filter((t) => t.key.kind === meta.kind && t.key.step === meta.step);
  const expected = near.length ? near.map((t) => formatKey(t.key)).join(' | ') : '(no reply for this kind and step)';
  throw new ScriptDesyncError(
    `The scenario "${scenario.name}" has no reply for ${actual}. Expected one of: ${expected}.`,
    expected,
    actual,
  );
}

/** The assistant message a scenario reply stands for. */
export function scenarioMessage(turn: ScenarioTurn, meta: Pick<RequestMeta, 'step' | 'turn' | 'restart'>): AssistantMessage {
  const calls = turn.reply.toolCalls ?? [];
  const message: AssistantMessage = { role: 'assistant', content: turn.reply.content ?? null };
  if (calls.length) {
    message.tool_calls = calls.map((call, i) => ({
      id: call.id ?? `call_${meta.step}_${meta.turn}${meta.restart ? `_r${meta.restart}` : ''}_${i}`,
      type: 'function',
      function: {
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
  }
  return message;
}

/** The request fields the mock server sees on the wire. */
export interface WireRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  tool_choice?: ToolChoice;
}

/**
 * The scenario key of a request from its content alone (no `meta` is ever sent to a provider). Relies on
 * the phrases of `src/l2mac/prompts/markers.ts`.
 */
export function deriveRequestMeta(request: WireRequest, runId = 'wire'): RequestMeta {
  const messages = request.messages;
  const turn = messages.filter((m) => m.role === 'assistant').length;
  const firstUser = messages.find((m) => m.role === 'user')?.content ?? '';
  const last = messages[messages.length - 1];
  const lastUser = last?.role === 'user' ? last.content : '';
  const restart = Number(RESTART_HEADER_PATTERN.exec(firstUser)?.[1] ?? 0);
  const stepMatch = STEP_HEADER_PATTERN.exec(firstUser);
  const step = stepMatch ? Number(stepMatch[1]) : 0;

  let kind: RequestKind = 'step';
  if (lastUser.includes(REPORT_REQUEST_MARKER)) kind = 'report';
  else if (lastUser.includes(PROGRESS_REQUEST_MARKER)) kind = 'progress';
  else if (lastUser.includes(SUMMARY_REQUEST_MARKER)) kind = 'summary';
  else if (request.tools?.some((t) => t.function.name === PLAN_TOOL_NAME)) kind = 'plan';

  return { runId, kind, step: kind === 'plan' || kind === 'report' ? 0 : step, turn, restart };
}
