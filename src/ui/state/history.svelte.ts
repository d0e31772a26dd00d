/** The run history of the sidebar: every stored run, newest first (DESIGN.md §9). */
import type { AppStore, RunSummary } from '../../store/types.ts';

export class RunHistory {
  runs: RunSummary[] = $state.raw([]);
  loaded = $state(false);
  error: string | null = $state(null);

  constructor(private readonly store: AppStore) {}

  async refresh(): Promise<void> {
    try {
      const runs = await this.store.listRuns();
      this.runs = runs.slice().sort((a, b) => b.createdAt - a.createdAt);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loaded = true;
    }
  }

  /** The most recent run (reopened after a reload, DESIGN.md §9). */
  get latest(): RunSummary | null {
    return this.runs[0] ?? null;
  }

  async rename(runId: string, title: string): Promise<void> {
    await this.store.updateRun(runId, { title });
    await this.refresh();
  }

  async remove(runId: string): Promise<void> {
    await this.store.deleteRun(runId);
    await this.refresh();
  }
}
