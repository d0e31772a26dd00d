/**
 * The tool sets of DESIGN.md §5 and their JSON schemas as sent to the model. One schema per tool serves
 * both the request and the argument check (`validate.ts`).
 */
import type { ToolSpec } from '../../llm/types.ts';
import { PLAN_TOOL_NAME } from '../prompts/markers.ts';
import type { Domain } from '../run-state.ts';
import { deleteFiles } from './delete-files.ts';
import { editFile } from './edit-file.ts';
import { listFiles } from './list-files.ts';
import { runFile } from './run-file.ts';
import { runTests } from './run-tests.ts';
import { searchFiles } from './search-files.ts';
import { subTaskStepComplete } from './step-complete.ts';
import type { ToolDefinition, ToolName } from './types.ts';
import { viewFiles } from './view-files.ts';
import { writeFiles } from './write-files.ts';

// Each definition is typed with its own argument shape; the dispatcher hands them checked arguments.
type AnyTool = ToolDefinition<never>;

const READ_ONLY: AnyTool[] = [listFiles, viewFiles, searchFiles];
const CODEBASE_STEP: AnyTool[] = [...READ_ONLY, writeFiles, editFile, deleteFiles, runTests, runFile, subTaskStepComplete];
const BOOK_STEP: AnyTool[] = [...READ_ONLY, writeFiles, editFile, deleteFiles, subTaskStepComplete];

/** The tools a step's agent may call. */
export function stepTools(domain: Domain): readonly AnyTool[] {
  return domain === 'book' ? BOOK_STEP : CODEBASE_STEP;
}

/** The read-only tools offered while planning over existing files. */
export function readOnlyTools(): readonly AnyTool[] {
  return READ_ONLY;
}

/** The forced planning tool (DESIGN.md §5): its schema caps the plan at `maxSteps`. */
export function planToolSpec(maxSteps: number): ToolSpec {
  return {
    type: 'function',
    function: {
      name: PLAN_TOOL_NAME,
      description:
        'Give the plan: a list of steps, each carried out by a separate agent with a fresh context. ' +
        'Each step is a detailed, self-contained paragraph and ends by writing and running tests for what it built.',
      parameters: {
        type: 'object',
        properties: {
          steps: {
            type: 'array',
            minItems: 1,
            maxItems: maxSteps,
            items: { type: 'string', description: 'One step: a detailed, self-contained paragraph.' },
          },
        },
        required: ['steps'],
      },
    },
  };
}

export function toolSpec(tool: AnyTool): ToolSpec {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

export function toolNames(tools: readonly AnyTool[]): ToolName[] {
  return tools.map((t) => t.name);
}
