/**
 * Issue 12, "LLM and network": a provider that refuses the planner's forced function `tool_choice` with a
 * 400 (Anthropic's OpenAI-compatible endpoint with thinking models, some local servers). The refusal is
 * classified at the boundary (`BadRequestError.param === 'tool_choice'`), planning asks again with
 * `required`, then `auto`, and the run keeps the choice that worked.
 */
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../src/errors.ts';
import { nextFallback, refusedToolChoice } from '../../../src/l2mac/plan-tool-choice.ts';
import { PLAN_TOOL_NAME } from '../../../src/l2mac/prompts/markers.ts';
import { classifyHttpError } from '../../../src/llm/errors.ts';
import { createOpenAiLlm } from '../../../src/llm/openai.ts';
import { withRetries } from '../../../src/llm/retry.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort, ModelInfo, ToolChoice } from '../../../src/llm/types.ts';
import { createMockServer } from '../../support/mock-server.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { loadScenario, settings, startRun } from '../l2mac/harness.ts';

const FORCED = { type: 'function', function: { name: PLAN_TOOL_NAME } };
const ANTHROPIC_REFUSAL = { error: { type: 'invalid_request_error', message: 'Thinking may not be enabled when tool_choice forces tool use.' } };

type ChoiceKind = 'function' | 'required' | 'auto' | 'none' | 'absent';

function choiceKind(choice: ToolChoice | undefined): ChoiceKind {
  if (choice === undefined) return 'absent';
  return typeof choice === 'object' ? 'function' : choice;
}

/** The scripted LLM behind a provider that answers 400 to the tool choices in `refused`. */
class RefusingLlm implements LlmPort {
  readonly attempts: { kind: string; turn: number; choice: ChoiceKind }[] = [];
  constructor(
    private readonly inner: ScriptedLlm,
    private readonly refused: ReadonlySet<ChoiceKind>,
    private readonly refusal: () => Error = () => classifyHttpError({ status: 400, body: ANTHROPIC_REFUSAL }),
  ) {}
  get model() {
    return this.inner.model;
  }
  countTokens(...args: Parameters<LlmPort['countTokens']>) {
    return this.inner.countTokens(...args);
  }
  countToolTokens(...args: Parameters<LlmPort['countToolTokens']>) {
    return this.inner.countToolTokens(...args);
  }
  async complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResult> {
    const choice = choiceKind(request.toolChoice);
    this.attempts.push({ kind: request.meta.kind, turn: request.meta.turn, choice });
    if (this.refused.has(choice)) throw this.refusal();
    return this.inner.complete(request, options);
  }
}

const planAttempts = (llm: RefusingLlm) => llm.attempts.filter((a) => a.kind === 'plan').map((a) => `${a.turn}:${a.choice}`);

describe('a refused tool_choice is classified at the LLM boundary', () => {
  it('OpenAI-style body with param "tool_choice"', () => {
    const error = classifyHttpError({ status: 400, body: { error: { message: 'Invalid value for tool_choice.', type: 'invalid_request_error', param: 'tool_choice', code: null } } });
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('tool_choice');
    expect(refusedToolChoice(error)).toBe(true);
  });

  it('Anthropic wording without a param, and vLLM wording', () => {
    expect(refusedToolChoice(classifyHttpError({ status: 400, body: ANTHROPIC_REFUSAL }))).toBe(true);
    const vllm = classifyHttpError({ status: 400, body: { object: 'error', message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', code: 400 } });
    expect(refusedToolChoice(vllm)).toBe(true);
  });

  it('other 400s name another param or none, and are not a tool_choice refusal', () => {
    const temperature = classifyHttpError({ status: 400, body: { error: { message: 'Unsupported value: temperature.', param: 'temperature' } } });
    expect((temperature as BadRequestError).param).toBe('temperature');
    expect(refusedToolChoice(temperature)).toBe(false);
    const plain = classifyHttpError({ status: 400, body: { error: { message: 'Invalid request.' } } });
    expect(plain).toBeInstanceOf(BadRequestError);
    expect((plain as BadRequestError).param).toBeUndefined();
    expect(refusedToolChoice(plain)).toBe(false);
    // A context-length 400 stays on the overflow path, even when it mentions tools.
    expect(refusedToolChoice(classifyHttpError({ status: 400, body: { error: { message: 'maximum context length exceeded', code: 'context_length_exceeded', param: 'tool_choice' } } }))).toBe(false);
  });

  it('falls back from the forced choice to required, then auto, then gives up', () => {
    expect(nextFallback(undefined)).toBe('required');
    expect(nextFallback('required')).toBe('auto');
    expect(nextFallback('auto')).toBeNull();
  });
});

describe('planning when the provider refuses a forced function tool_choice', () => {
  const scenario = loadScenario('plan-retry');
  const runSettings = () => settings({ limits: { maxSteps: 3 } });

  it('asks again with "required", keeps it for every later plan call, and completes', async () => {
    const llm = new RefusingLlm(new ScriptedLlm(scenario), new Set(['function']));
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: runSettings() });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    // One refused forced call; the three plan turns of the scenario (two invalid plans, then a valid one) all with `required`.
    expect(planAttempts(llm)).toEqual(['0:function', '0:required', '1:required', '2:required']);
    expect((await store.getCheckpoint(run.id))?.planToolChoice).toBe('required');
    expect(await store.readAllFiles(run.id)).toEqual(scenario.expectedFiles);
  });

  it('falls back to "auto" when "required" is refused too', async () => {
    const llm = new RefusingLlm(new ScriptedLlm(scenario), new Set(['function', 'required']));
    const { handle } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: runSettings() });
    expect((await handle.done).status).toBe('completed');
    expect(planAttempts(llm)).toEqual(['0:function', '0:required', '0:auto', '1:auto', '2:auto']);
  });

  it('pauses with the provider message when every choice is refused, after one try of each', async () => {
    const llm = new RefusingLlm(new ScriptedLlm(scenario), new Set(['function', 'required', 'auto']));
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: runSettings() });
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'bad-request' });
    expect(run.statusReason).toContain('tool_choice forces tool use');
    expect(planAttempts(llm)).toEqual(['0:function', '0:required', '0:auto']);
    expect(await store.readAllFiles(run.id)).toEqual({});
  });

  it('does not fall back on a 400 about something else', async () => {
    const other = () => classifyHttpError({ status: 400, body: { error: { message: 'Unsupported parameter: seed.', param: 'seed' } } });
    const llm = new RefusingLlm(new ScriptedLlm(scenario), new Set(['function']), other);
    const { handle } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: runSettings() });
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'bad-request' });
    expect(planAttempts(llm)).toEqual(['0:function']);
  });

  it('over HTTP: OpenAiLlm against the mock server that refuses forced choices, through the retry decorator', async () => {
    const server = await createMockServer({ scenario, rejectForcedToolChoice: true });
    try {
      const model: ModelInfo = { ...runSettings().model, id: 'mock-model', tokenizer: 'estimate' };
      const inner = await createOpenAiLlm({ provider: 'custom', baseURL: server.url, model: 'mock-model' }, 'sk-unit', model);
      const llm = withRetries(inner, { maxRetries: 2, sleep: async () => undefined });
      const { handle } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: runSettings() });
      expect((await handle.done).status).toBe('completed');
      const choices = server.chatRequests.map((r) => choiceKind((r.body as { tool_choice?: ToolChoice }).tool_choice));
      // The refused forced call is not retried by the decorator (a 400 cannot succeed later): one attempt only.
      expect(choices.slice(0, 4)).toEqual(['function', 'required', 'required', 'required']);
      expect(choices.filter((c) => c === 'function')).toHaveLength(1);
      expect((server.chatRequests[0]?.body as { tool_choice?: unknown }).tool_choice).toEqual(FORCED);
    } finally {
      await server.close();
    }
  });
});
