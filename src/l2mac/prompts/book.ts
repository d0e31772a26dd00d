/**
 * Prompts of the book domain, in our own words. A book is Markdown files: `outline.md`, written first, links
 * every chapter file (`chapters/NN-slug.md`); the gate checks that the outline exists and every linked
 * chapter exists and is not empty (DESIGN.md §5).
 */
import { PLAN_TOOL_NAME, REPORT_REQUEST_MARKER } from './markers.ts';
import { continueMessage, handOff, noteBlock, stepHeading, tagged } from './shared.ts';
import type { FixInput, PlanningInput, PromptSet, ReportInput, StepStartInput, SystemPromptInput } from './types.ts';

export const OUTLINE_PATH = 'outline.md';

// The book domain runs no code, so the sandbox does not appear in its prompts.
function system(_input: SystemPromptInput): string {
  return `You are an author working inside L2MAC, a system that writes a whole book from one request.
A planner has split the work into steps. Each step is carried out by a separate agent that starts with a fresh conversation; the book's files are the memory shared between steps, and you read and change them only through the tools you are given.

How to work:
- Work autonomously: nobody will answer questions. When something is unspecified, make a sensible choice and keep to it.
- Write complete text in Markdown. No placeholders and no "to be continued": write_files replaces whole files, so always send a file's entire content (or use edit_file for a small exact change).
- The book's plan lives in ${OUTLINE_PATH}: a title, then one Markdown link per chapter in reading order, each to a file chapters/NN-slug.md (NN is the two-digit chapter number), each with a short description of the chapter.
- Keep every chapter consistent with the outline and with the chapters before it: names, facts, tone and terms. Read the outline and the neighbouring chapters before you write.
- A chapter may be long; write it in one file, in one call if you can.
- Tool arguments must be strict JSON.`;
}

function planning({ task, maxSteps, existingFiles, exploreTurns }: PlanningInput): string {
  const existing = existingFiles
    ? `\n\nThe book already has files, listed below; the plan builds on them. You may look at them with list_files, view_files and search_files first (up to ${exploreTurns} replies).\n\nExisting files:\n${existingFiles}`
    : '';
  return `Plan the writing of the book below.

The request:
${tagged('task', task)}${existing}

Call ${PLAN_TOOL_NAME} with the plan. What makes a good plan:
- At most ${maxSteps} steps.
- Step 1 writes ${OUTLINE_PATH}: the title and a linked, described list of every chapter file (chapters/NN-slug.md).
- Each later step writes one or more chapters in order. Each step is done by a separate agent that sees only the request, its own step, the list of files and a short summary of the step before, so describe each step in several self-contained sentences: which chapters, what they cover, and how they connect to the rest.
- Together the steps cover everything the request asks for.
- End every step by checking that the files it wrote match the outline.`;
}

function stepStart(input: StepStartInput): string {
  const { previous, progress } = handOff(input);
  return `${stepHeading(input.step, input.totalSteps, input.restart)} You are the author for this step.

The user's request, for context:
${tagged('task', input.task)}

Your step:
${tagged('step', input.instruction)}

Summary from the previous step:
${previous}${progress}

The book's files now:
${input.fileListing}

Do this step completely, using the tools (${input.toolNames.join(', ')}). When it is done, call sub_task_step_complete: it checks that ${OUTLINE_PATH} exists and that every chapter it links exists and is not empty.`;
}

function fix({ step, gateMessage, note }: FixInput): string {
  return `Step ${step}: sub_task_step_complete did not pass. ${gateMessage}
Write what is missing, then call sub_task_step_complete again.${noteBlock(note)}`;
}

function report({ task, fileListing, stepSummaries, checks }: ReportInput): string {
  return `${REPORT_REQUEST_MARKER} against the request. Your assessment is shown to the user, labelled as the model's own.

The request:
${tagged('task', task)}

What each step reported:
${stepSummaries}

The final files:
${fileListing}

Final check: ${checks}

List each thing the request asked for on its own line as "- <item>: done | partly | missing — <short reason>", then one sentence on the book as a whole. Reply with text only.`;
}

export const bookPrompts: PromptSet = { system, planning, stepStart, fix, continueStep: continueMessage, report };
