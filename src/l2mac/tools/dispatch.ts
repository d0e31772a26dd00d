/**
 * Runs one tool call from the model. Whatever the model sends — malformed JSON, missing or ill-typed
 * fields, an unknown tool — and whatever a tool throws becomes an error result the model sees; none of it
 * stops the run (the original L2MAC died on the first failing test). Only a cancellation and an
 * unavailable sandbox, which are about the run and not the call, propagate.
 */
import { errorMessage, isAbortError, SandboxUnavailableError } from '../../errors.ts';
import type { ToolCall } from '../../llm/types.ts';
import { errorResult } from './result.ts';
import type { ToolContext, ToolDefinition, ToolOutcome } from './types.ts';
import { schemaProblem } from './validate.ts';

/** Parses a tool call's argument string; an empty string means no arguments. */
export function parseArguments(raw: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

export async function dispatchToolCall(
  call: ToolCall,
  tools: readonly ToolDefinition<never>[],
  context: ToolContext,
): Promise<ToolOutcome> {
  const name = call.function?.name;
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    return errorResult(
      `Unknown tool ${JSON.stringify(name)}. The tools you can call here are: ${tools.map((t) => t.name).join(', ')}.`,
    );
  }
  const parsed = parseArguments(typeof call.function.arguments === 'string' ? call.function.arguments : '');
  if (!parsed.ok) {
    return errorResult(
      `The arguments of ${tool.name} are not valid JSON (${parsed.reason}). Nothing was done. ` +
        'Send strict JSON; if the reply was cut off, send less per call (fewer or smaller files).',
    );
  }
  const problem = schemaProblem(tool.parameters, parsed.value);
  if (problem) return errorResult(`Invalid arguments for ${tool.name}: ${problem}. Nothing was done.`);
  try {
    return await (tool as ToolDefinition<unknown>).run(parsed.value, context);
  } catch (error) {
    if (isAbortError(error) || error instanceof SandboxUnavailableError) throw error;
    return errorResult(`${tool.name} failed: ${errorMessage(error)}. You may try again.`);
  }
}
