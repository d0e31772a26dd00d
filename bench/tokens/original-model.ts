/**
 * A MODEL of how the original L2MAC (Python, v0.0.3; `/work/shared/reference/l2mac-original.md` §1–§2)
 * builds its requests, to set its token use beside ours on the same agent behaviour. It is not the
 * original's code and does not use its prompt texts: every prompt here is this project's wording, so that
 * only the structure differs:
 *
 * - every step's context starts with the system prompt AND the whole planning message (task + planning
 *   instructions), then the step instruction with the file list, advice, previous summary and tool names;
 * - the file list is the Python list repr of every path, untruncated, and is repeated in every control
 *   message (the "is the step done?" message after each tool result, and the fix message after a failed
 *   gate);
 * - code changes are whole-file rewrites only (no edit tool: an `edit_file` of our run becomes a
 *   `write_files` of the whole new file), and there is no `list_files` tool (such turns are left out; the
 *   list is in every prompt already);
 * - six tools are offered in steps (complete, view, run file, run tests, write, delete);
 * - at overflow (window minus request under 700 tokens) single messages are deleted from index 3.
 *
 * Tool results are our run's own (same checks, same outcomes), so only the context structure differs.
 */
import type { AssistantMessage, ChatMessage, CompletionRequest, ToolCall, ToolMessage, ToolSpec } from '../../src/llm/types.ts';
import { tagged } from '../../src/l2mac/prompts/shared.ts';
import type { SeriesRequest } from './prefix.ts';

/** The original's step tools, named as ours (run_python_file → run_file, pytest_files → run_tests). */
export const ORIGINAL_STEP_TOOLS = ['sub_task_step_complete', 'view_files', 'run_file', 'run_tests', 'write_files', 'delete_files'];

/** Test-writing advice the original inserts in step and fix messages (our own words). */
const TEST_ADVICE =
  'Advice on tests: keep each test small and its expected value unambiguous; avoid large inputs; a failing test may itself be wrong, ' +
  'so rewrite it when it is; delete a test that keeps failing for no good reason.';

/** `['a.js', 'b.js']`: Python's repr of a list of strings (paths hold no quotes here). */
export function pythonListRepr(paths: readonly string[]): string {
  return `[${paths.map((p) => `'${p}'`).join(', ')}]`;
}

function functionsProvided(): string {
  return ORIGINAL_STEP_TOOLS.map((n) => `\`${n}\``).join(', ');
}

function executeInstruction(instruction: string, fileNames: string, previousSummary: string): string {
  return `Your objective is to carry out this step of the plan:
${tagged('step', instruction)}

Build on the project's existing files: ${fileNames}
Implement it completely, with no placeholders. You may view files, but your context is limited, so view only what you need.
${TEST_ADVICE}
Summary of the previous step: "${previousSummary}"
Reply only with a call to one of these functions: ${functionsProvided()}. Write code only with write_files, as whole files.`;
}

function cycleMessage(step: number, instruction: string, fileNames: string): string {
  return `Has step ${step} been completed?
${tagged('step', instruction)}
If it has, call sub_task_step_complete. If not, reflect and write the full corrected code, building on the existing files: ${fileNames}
Implement it completely, with no placeholders. Reply only with a call to one of these functions: ${functionsProvided()}. Write code only with write_files, as whole files.`;
}

function fixMessage(error: string, fileNames: string): string {
  return `${error}
Reflect on the errors and write the full corrected code, building on the existing files: ${fileNames}
${TEST_ADVICE}
Reply only with a call to one of these functions: ${functionsProvided()}. Write code only with write_files, as whole files.`;
}

interface Turn {
  assistant: AssistantMessage;
  tools: ToolMessage[];
  /** The control message our run sent after the turn (the summary request after a passed gate). */
  control: ChatMessage | undefined;
}

/** The turns of a step context: each assistant message with its tool messages and the message after. */
export function turnsOf(messages: readonly ChatMessage[], fixedCount = 2): Turn[] {
  const turns: Turn[] = [];
  for (let i = fixedCount; i < messages.length; i++) {
    const message = messages[i] as ChatMessage;
    if (message.role === 'assistant') turns.push({ assistant: message, tools: [], control: undefined });
    else if (message.role === 'tool') turns.at(-1)?.tools.push(message);
    else {
      const last = turns.at(-1);
      if (last) last.control = message;
    }
  }
  return turns;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Applies a call to the files, and gives the call as the original would make it (whole files only). */
function applyCall(call: ToolCall, files: Map<string, string>): ToolCall {
  const args = parseJson(call.function.arguments);
  switch (call.function.name) {
    case 'write_files': {
      for (const f of (args.list_of_file_objects as { file_path: string; file_contents: string }[]) ?? []) files.set(f.file_path, f.file_contents);
      return call;
    }
    case 'edit_file': {
      const path = String(args.file_path);
      const before = files.get(path) ?? '';
      const after = before.replace(String(args.old_text), () => String(args.new_text));
      files.set(path, after);
      const whole = { list_of_file_objects: [{ file_path: path, file_contents: after }] };
      return { ...call, function: { name: 'write_files', arguments: JSON.stringify(whole) } };
    }
    case 'delete_files': {
      for (const path of (args.files as string[]) ?? []) files.delete(path);
      return call;
    }
    default:
      return call;
  }
}

export interface OriginalModelInput {
  /** The prompt program both run. */
  plan: readonly string[];
  /** Our run's requests, in order (captured from the LLM port). */
  ours: readonly CompletionRequest[];
  /** Each step's hand-off summary, as our run recorded it. */
  summaries: readonly string[];
  /** Our step tool specs (the original's six are taken from them) and our plan tool spec. */
  stepTools: readonly ToolSpec[];
  planTool: ToolSpec;
  contextWindow: number;
  /** Tokens of a request (for the overflow rule). */
  countTokens: (request: Pick<SeriesRequest, 'messages' | 'tools'>) => number;
}

export interface OriginalModelResult {
  requests: SeriesRequest[];
  /** Messages deleted one at a time at overflow. */
  overflowDeletions: number;
  /** Our turns that had no counterpart (list_files only). */
  skippedTurns: number;
}

export function originalRequests(input: OriginalModelInput): OriginalModelResult {
  const planning = input.ours.find((r) => r.meta.kind === 'plan');
  if (!planning) throw new Error('The run has no planning request.');
  const [system, planningMessage] = planning.messages;
  if (!system || !planningMessage) throw new Error('The planning request lacks its two messages.');
  const stepTools = ORIGINAL_STEP_TOOLS.map((name) => input.stepTools.find((t) => t.function.name === name)).filter((t): t is ToolSpec => t !== undefined);
  const requests: SeriesRequest[] = [{ group: 'plan', label: 'plan', messages: [system, planningMessage], tools: [input.planTool, ...stepTools] }];
  const files = new Map<string, string>();
  let overflowDeletions = 0;
  let skippedTurns = 0;
  const fit = (messages: ChatMessage[]) => {
    while (messages.length > 3 && input.contextWindow - input.countTokens({ messages, tools: stepTools }) < 700) {
      messages.splice(3, 1);
      overflowDeletions++;
    }
  };

  input.plan.forEach((instruction, index) => {
    const step = index + 1;
    const ours = input.ours.filter((r) => r.meta.step === step && (r.meta.kind === 'step' || r.meta.kind === 'summary')).at(-1);
    if (!ours) throw new Error(`The run has no request of step ${step}.`);
    const previous = index === 0 ? '' : (input.summaries[index - 1] ?? '');
    const messages: ChatMessage[] = [system, planningMessage, { role: 'user', content: executeInstruction(instruction, pythonListRepr([...files.keys()]), previous) }];
    let turn = 0;
    for (const t of turnsOf(ours.messages)) {
      const calls = t.assistant.tool_calls ?? [];
      if (calls.length && calls.every((c) => c.function.name === 'list_files')) {
        skippedTurns++;
        continue;
      }
      fit(messages);
      requests.push({ group: `step ${step}`, label: `step ${step} turn ${turn++}`, messages: [...messages], tools: stepTools });
      const converted = calls.map((c) => applyCall(c, files));
      messages.push(converted.length ? { ...t.assistant, tool_calls: converted } : t.assistant);
      const names = new Map(calls.map((c) => [c.id, c.function.name]));
      for (const tool of t.tools) {
        messages.push(tool);
        const result = parseJson(tool.content);
        const fileNames = pythonListRepr([...files.keys()]);
        if (names.get(tool.tool_call_id) === 'sub_task_step_complete') {
          messages.push(
            result.status === 'ok' ? (t.control as ChatMessage) : { role: 'user', content: fixMessage(String(result.message ?? ''), fileNames) },
          );
        } else {
          messages.push({ role: 'user', content: cycleMessage(step, instruction, fileNames) });
        }
      }
      if (!t.tools.length) messages.push({ role: 'user', content: cycleMessage(step, instruction, pythonListRepr([...files.keys()])) });
    }
    fit(messages);
    requests.push({ group: `step ${step}`, label: `step ${step} summary`, messages: [...messages], tools: stepTools });
  });
  return { requests, overflowDeletions, skippedTurns };
}
