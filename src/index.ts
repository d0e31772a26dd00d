/** The library's public entry: everything a Node or browser caller of L2MAC Web needs. */
export { generate, generateBook, generateCodebase, type GenerateOptions } from './api.ts';
export { driveRun, resumeRun, runL2MAC, type DriveDeps, type NewRunOptions, type RunHandle } from './l2mac/run.ts';
export { approvePlan, editStepAndRerun, followUp, restoreFilesToStep, skipStep } from './l2mac/controls.ts';
export { RunFailedError, RunLockedError, RunStateError } from './l2mac/run-errors.ts';
export type { RunEvent, RunEventListener, RunReport } from './l2mac/events.ts';
export { DEFAULT_LIMITS, RUN_STATUSES, type Domain, type Limits, type PauseReason, type RunStatus } from './l2mac/run-state.ts';
export * from './errors.ts';
export { ScriptedLlm } from './llm/scripted.ts';
export { parseScenario, type Scenario } from './llm/scenario.ts';
export { withRetries } from './llm/retry.ts';
export { createOpenAiLlm } from './llm/openai.ts';
export { MemoryStore } from './store/memory.ts';
export type { FileStore, RunRecord, RunSettings } from './store/types.ts';
export type { Sandbox, SandboxFactory, TestReport } from './sandbox/types.ts';
export type { LlmPort, ModelInfo } from './llm/types.ts';
