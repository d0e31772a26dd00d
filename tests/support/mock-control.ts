/**
 * The control routes of the mock server (`/__mock/*`), so a test in another process (a Playwright spec
 * driving a server it did not start) can inject faults, release held replies, read what was received and
 * swap the scenario.
 */
import { parseScenario } from '../../src/llm/scenario.ts';
import { parseFaultSpec, type MockFaults } from './mock-faults.ts';
import type { RecordedRequest } from './mock-server.ts';

export interface ControlContext {
  faults: MockFaults;
  requests: readonly RecordedRequest[];
  setScenario(scenario: ReturnType<typeof parseScenario> | undefined): void;
}

/**
 * `POST /__mock/faults` (a spec or a list) · `DELETE /__mock/faults` · `GET /__mock/faults` ·
 * `POST /__mock/release` `{name}` · `GET /__mock/requests` · `POST /__mock/scenario` (a scenario, or null).
 */
export function handleControl(record: RecordedRequest, ctx: ControlContext): { status: number; body: unknown } {
  const path = record.path.split('?')[0];
  const route = `${record.method} ${path}`;
  try {
    switch (route) {
      case 'POST /__mock/faults': {
        const specs = Array.isArray(record.body) ? record.body : [record.body];
        return { status: 200, body: { added: specs.map((spec) => ctx.faults.add(parseFaultSpec(spec))) } };
      }
      case 'DELETE /__mock/faults':
        ctx.faults.clear();
        return { status: 200, body: { cleared: true } };
      case 'GET /__mock/faults':
        return { status: 200, body: { faults: ctx.faults.list } };
      case 'POST /__mock/release': {
        const name = (record.body as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string') throw new Error('release needs {"name": "..."}');
        return { status: 200, body: { released: ctx.faults.release(name) } };
      }
      case 'GET /__mock/requests':
        return { status: 200, body: { requests: ctx.requests } };
      case 'POST /__mock/scenario': {
        const scenario = record.body === null || record.body === undefined ? undefined : parseScenario(record.body);
        ctx.setScenario(scenario);
        return { status: 200, body: { scenario: scenario?.name ?? null } };
      }
      default:
        return { status: 404, body: { error: { message: `no mock control route ${route}` } } };
    }
  } catch (error) {
    return { status: 400, body: { error: { message: (error as Error).message } } };
  }
}
