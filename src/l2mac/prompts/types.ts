/** The prompt set of a domain: one template function per prompt (CONVENTIONS.md). */
import type { SandboxKind } from '../../sandbox/types.ts';

export interface SystemPromptInput {
  /** The active sandbox, named in the prompt (DESIGN.md §7); null when nothing can run. */
  sandbox: SandboxKind | null;
}

export interface PlanningInput {
  task: string;
  maxSteps: number;
  /** The compact listing of existing files, or null for a fresh project. */
  existingFiles: string | null;
  /** Replies allowed for looking at existing files before the plan. */
  exploreTurns: number;
}

export interface StepStartInput {
  step: number;
  totalSteps: number;
  restart: number;
  task: string;
  instruction: string;
  /** The previous step's hand-off summary, verbatim ('' for the first step). */
  previousSummary: string;
  /** The progress summary the step restarts from after a context restart. */
  progressSummary: string | null;
  fileListing: string;
  toolNames: string[];
  /** The run started from existing files (an import or a follow-up). */
  existingCode: boolean;
}

export interface FixInput {
  step: number;
  /** The gate's message: each failing test and syntax error. */
  gateMessage: string;
  note: string | null;
}

export interface ContinueInput {
  step: number;
  /** The checks after this reply's last write failed. */
  checksFailed: boolean;
  note: string | null;
  /** The model repeated itself: ask it to change approach. */
  nudge: boolean;
}

export interface ReportInput {
  task: string;
  fileListing: string;
  /** "Step 1: <summary>" lines. */
  stepSummaries: string;
  /** A plain sentence about the final checks. */
  checks: string;
}

export interface PromptSet {
  system(input: SystemPromptInput): string;
  planning(input: PlanningInput): string;
  stepStart(input: StepStartInput): string;
  fix(input: FixInput): string;
  continueStep(input: ContinueInput): string;
  report(input: ReportInput): string;
}
