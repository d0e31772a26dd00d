/**
 * The New run form (DESIGN.md §9): task, domain, step cap, "Require passing tests", sandbox (the default
 * from Settings, overridable here), an optional prompt program, the cost estimate, Run and Plan first.
 */
import type { AppServices, AppSettings, StartRunInput } from '../../app/types.ts';
import type { RunCostEstimate } from '../../llm/usage.ts';
import { MAX_STEPS_CEILING, type Domain } from '../../l2mac/run-state.ts';
import type { SandboxChoice } from '../../sandbox/types.ts';
import { parsePromptProgram } from '../model/prompt-program.ts';
import { importOrigin } from '../../import/origin.ts';
import type { ImportProgress, ImportResult } from '../../import/pipeline.ts';

export class NewRunForm {
  task = $state('');
  domain: Domain = $state('codebase');
  maxSteps: number = $state(10);
  requirePassingTests = $state(true);
  sandbox: SandboxChoice = $state('auto');
  useProgram = $state(false);
  programText = $state('');
  /** Start from another run's files (a follow-up task). */
  fromRun: { id: string; title: string } | null = $state(null);
  /** Imported starting files (a folder or a zip), with what was kept and left out. */
  imported: ImportResult | null = $state.raw(null);
  importing: ImportProgress | null = $state.raw(null);
  importError: string | null = $state(null);
  error: string | null = $state(null);
  starting = $state(false);
  private importAbort: AbortController | null = null;

  constructor(private readonly services: AppServices) {}

  /** Takes the defaults of the saved settings (a run may override them). */
  applyDefaults(settings: AppSettings): void {
    this.maxSteps = settings.limits.maxSteps;
    this.requirePassingTests = settings.requirePassingTests;
    this.sandbox = settings.defaultSandbox;
  }

  get programSteps(): string[] {
    return this.useProgram ? parsePromptProgram(this.programText) : [];
  }

  /** The cost range before Run (DESIGN.md §4), or null when the model is not known yet. */
  estimate(settings: AppSettings | null): RunCostEstimate | null {
    if (!settings) return null;
    const model = this.services.llm.resolveModel(settings.llm);
    if (!model) return null;
    const steps = this.programSteps.length || Math.max(1, Math.round(this.maxSteps) || 1);
    return this.services.llm.estimateCost({ model, steps, task: this.task, completionReserveCap: settings.limits.completionReserveCap });
  }

  /** Whether the provider needs a key (local servers do not). */
  needsKey(settings: AppSettings): boolean {
    return this.services.llm.presets.find((p) => p.id === settings.llm.provider)?.needsKey ?? true;
  }

  /** What is missing before a run can start, in words; null when it can. */
  blocker(settings: AppSettings | null, hasKey: boolean): string | null {
    if (!settings) return 'Open Settings to choose a provider and model first.';
    if (!hasKey && this.needsKey(settings)) {
      return 'Open Settings to enter your API key first.';
    }
    if (!this.task.trim()) return 'Describe the task first.';
    if (this.useProgram && this.programSteps.length === 0) return 'Write at least one step, or turn the prompt program off.';
    if (this.programSteps.length > MAX_STEPS_CEILING) return `A prompt program has at most ${MAX_STEPS_CEILING} steps.`;
    return null;
  }

  input(settings: AppSettings, planFirst: boolean): StartRunInput {
    const steps = this.programSteps;
    const maxSteps = Math.min(MAX_STEPS_CEILING, Math.max(1, Math.round(this.maxSteps) || 1, steps.length));
    const input: StartRunInput = {
      task: this.task.trim(),
      domain: this.domain,
      limits: { ...settings.limits, maxSteps },
      requirePassingTests: this.requirePassingTests,
      sandbox: this.sandbox,
      planFirst: planFirst && steps.length === 0,
    };
    if (steps.length) input.promptProgram = steps;
    if (this.fromRun) input.filesFromRun = this.fromRun.id;
    else if (this.imported) {
      input.files = this.imported.files;
      input.origin = importOrigin(this.imported.summary);
    }
    return input;
  }

  /** Starts the run; resolves with its id, or null when it could not start (the error is shown). */
  async start(settings: AppSettings, planFirst: boolean): Promise<string | null> {
    this.error = null;
    this.starting = true;
    try {
      return await this.services.driver.start(this.input(settings, planFirst));
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return null;
    } finally {
      this.starting = false;
    }
  }

  /** Reads starting files with one of `src/import/` (folder picker, file list, zip); cancellable. */
  async importFiles(read: (options: { signal: AbortSignal; onProgress: (p: ImportProgress) => void }) => Promise<ImportResult | null>): Promise<void> {
    this.importAbort?.abort();
    const abort = new AbortController();
    this.importAbort = abort;
    this.importError = null;
    this.importing = { phase: 'listing', done: 0, total: null };
    try {
      const result = await read({ signal: abort.signal, onProgress: (progress) => (this.importing = progress) });
      if (result && !abort.signal.aborted) {
        this.imported = result;
        this.fromRun = null;
      }
    } catch (error) {
      if (!abort.signal.aborted) this.importError = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.importAbort === abort) {
        this.importing = null;
        this.importAbort = null;
      }
    }
  }

  cancelImport(): void {
    this.importAbort?.abort();
    this.importing = null;
  }

  clearImport(): void {
    this.imported = null;
    this.importError = null;
  }

  reset(): void {
    this.imported = null;
    this.importError = null;
    this.task = '';
    this.programText = '';
    this.useProgram = false;
    this.fromRun = null;
    this.error = null;
  }
}
