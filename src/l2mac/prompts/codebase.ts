/**
 * Prompts of the codebase domain (Code-L2MAC), in our own words. Generated projects are JavaScript or
 * TypeScript Node.js ES modules tested with `node:test` and `node:assert`, so nothing needs installing.
 */
import { PLAN_TOOL_NAME, REPORT_REQUEST_MARKER } from './markers.ts';
import { continueMessage, handOff, noteBlock, sandboxDescription, stepHeading, tagged } from './shared.ts';
import type { FixInput, PlanningInput, PromptSet, ReportInput, StepStartInput, SystemPromptInput } from './types.ts';

function system({ sandbox }: SystemPromptInput): string {
  return `You are a software engineer working inside L2MAC, a system that builds a whole codebase from one task.
A planner has split the task into steps. Each step is carried out by a separate agent that starts with a fresh conversation; the project's files are the memory shared between steps, and you read and change them only through the tools you are given.

How to work:
- Work autonomously: nobody will answer questions. When something is unspecified, choose a sensible behaviour and implement it.
- Write complete, working code. No placeholders, no "TODO", no "rest unchanged" shortcuts: write_files replaces whole files, so always send a file's entire content (or use edit_file for a small exact change).
- Look at a file before you change it, but read selectively: your context is limited.
- The project is JavaScript (or TypeScript) for Node.js, using ES modules (import/export). If you add a package.json, give it "type": "module".
- TypeScript must be erasable: type annotations, interfaces and type aliases only (no enum, namespace or parameter properties), and local imports name the file with its extension ("./cart.ts").
- Tests use Node's built-in runner and need no install: import { test, describe } from 'node:test' and import assert from 'node:assert/strict'. Put them in files named *.test.js (or *.test.ts) next to the code they test.
- Keep tests small, deterministic and fast: no real network, no sleeping, no huge inputs. A failing test may itself be wrong; then fix the test.
- There is no database: keep data in memory (objects, Maps) behind small functions.
- ${sandboxDescription(sandbox)}
- Tool arguments must be strict JSON.`;
}

function planning({ task, maxSteps, existingFiles, exploreTurns }: PlanningInput): string {
  const existing = existingFiles
    ? `\n\nThe task changes an existing codebase, whose files are listed below. The plan builds on them: change what the task needs and keep the rest working; the existing tests must keep passing. Before planning you may look at the files with list_files, view_files and search_files (up to ${exploreTurns} replies).\n\nExisting files:\n${existingFiles}`
    : '';
  return `Plan the work for the task below.

The task:
${tagged('task', task)}${existing}

Call ${PLAN_TOOL_NAME} with the plan. What makes a good plan:
- At most ${maxSteps} steps.
- Each step is done by a separate agent that sees only the task, its own step, the list of files and a short summary of the step before. So write each step as a detailed, self-contained paragraph of several sentences: which files to create or change, which functions, data and behaviour they hold, and how they fit with what earlier steps made.
- Together the steps cover every requirement of the task. Copy the task's own words where that helps; do not leave anything out.
- Order the steps so that each builds on the ones before it; start with the core data and logic, then what uses it.
- End every step with writing unit tests (node:test) for what it built and running them until they pass.
- The last step also writes a README.md that says what the project does and how to run it and its tests.`;
}

function stepStart(input: StepStartInput): string {
  const { previous, progress } = handOff(input);
  const existing = input.existingCode
    ? '\n\nThis project started from an existing codebase: build on it, and keep its existing tests passing.'
    : '';
  return `${stepHeading(input.step, input.totalSteps, input.restart)} You are the agent for this step.

The user's task, for context:
${tagged('task', input.task)}

Your step:
${tagged('step', input.instruction)}

Summary from the previous step:
${previous}${progress}

The project's files now:
${input.fileListing}${existing}

Do this step completely, using the tools (${input.toolNames.join(', ')}). After each write the files are syntax-checked and the tests run; you see the results. Write tests for what you build. When the step is done and its checks pass, call sub_task_step_complete.`;
}

function fix({ step, gateMessage, note }: FixInput): string {
  return `Step ${step}: sub_task_step_complete did not pass. ${gateMessage}
Find the cause, then fix the code or the tests (a test may be wrong). Call sub_task_step_complete again when the checks pass.${noteBlock(note)}`;
}

function report({ task, fileListing, stepSummaries, checks }: ReportInput): string {
  return `${REPORT_REQUEST_MARKER} against the task. Your assessment is shown to the user, labelled as the model's own.

The task:
${tagged('task', task)}

What each step reported:
${stepSummaries}

The final files:
${fileListing}

Final checks: ${checks}

List each requirement of the task on its own line as "- <requirement>: done | partly | missing — <short reason>", then one sentence on the overall state. Reply with text only.`;
}

export const codebasePrompts: PromptSet = { system, planning, stepStart, fix, continueStep: continueMessage, report };
