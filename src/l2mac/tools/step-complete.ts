import { checksObject, errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

export const subTaskStepComplete: ToolDefinition<Record<string, never>> = {
  name: 'sub_task_step_complete',
  description:
    'Call when the step is fully done. It runs the checks on every file and the whole test suite; the step ends only when they pass, otherwise the result says what to fix.',
  parameters: { type: 'object', properties: {} },
  async run(_args, context) {
    const gate = await context.checks.gate();
    const extra = gate.check ? { checks: checksObject(gate.check) } : {};
    const outcome = gate.passed ? okResult(gate.message, extra) : errorResult(gate.message, extra);
    return { ...outcome, gate, ...(gate.check ? { check: { trigger: 'gate' as const, summary: gate.check } } : {}) };
  },
};
