/**
 * The offline demos (DESIGN.md §1 "offline-capable demos"): scenario files in `public/demos/`, replayed by
 * the scripted LLM through the real control unit, store and sandbox. They need no key and no network (the
 * service worker precaches them), and are always labelled as scripted: they show how L2MAC works, never
 * what any model can do.
 */
import { parseScenario, type Scenario } from '../../llm/scenario.ts';
import { SCRIPTED_MODEL, ScriptedLlm } from '../../llm/scripted.ts';
import { DEFAULT_LIMITS, type Domain } from '../../l2mac/run-state.ts';
import type { SandboxChoice } from '../../sandbox/types.ts';
import type { RunSettings } from '../../store/types.ts';

export interface DemoEntry {
  /** Also the `name` of its scenario file. */
  id: string;
  /** The file under `public/demos/`. */
  file: string;
  domain: Domain;
  title: string;
  /** One or two sentences for the gallery card. */
  summary: string;
}

export const DEMOS: readonly DemoEntry[] = [
  {
    id: 'roman-numerals',
    file: 'roman-numerals.json',
    domain: 'codebase',
    title: 'A Roman numerals library',
    summary:
      'Three steps build a small library with tests. The first attempt at step 2 fails its tests; the failure goes back to the agent, which fixes it.',
  },
  {
    id: 'stargazing-book',
    file: 'stargazing-book.json',
    domain: 'book',
    title: 'A short guide to stargazing',
    summary: 'An outline linking three chapter files, then the chapters, checked by the book gate. Export it as one Markdown or HTML file.',
  },
];

/** The label every demo run and card carries. */
export const SCRIPTED_DEMO_LABEL = 'Scripted demo — recorded replies, not a model';

/** Pause before each scripted reply, so that a person can follow the run. */
export const DEMO_REPLY_DELAY_MS = 400;

export class DemoLoadError extends Error {
  override name = 'DemoLoadError';
}

export function demoById(id: string): DemoEntry | undefined {
  return DEMOS.find((demo) => demo.id === id);
}

/** Where a demo file is served, under the app's base path (`import.meta.env.BASE_URL`). */
export function demoUrl(demo: DemoEntry, baseUrl: string = import.meta.env.BASE_URL): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}demos/${demo.file}`;
}

type FetchLike = (url: string) => Promise<Response>;

/** Fetches (from the service worker's precache when offline) and validates a demo's scenario. */
export async function loadDemo(demo: DemoEntry, options: { baseUrl?: string; fetch?: FetchLike } = {}): Promise<Scenario> {
  const get = options.fetch ?? ((url: string) => fetch(url));
  const url = demoUrl(demo, options.baseUrl);
  let response: Response;
  try {
    response = await get(url);
  } catch {
    throw new DemoLoadError(`The demo "${demo.title}" could not be loaded: the network is off and it is not in the offline cache yet. Open the app once while online.`);
  }
  if (!response.ok) throw new DemoLoadError(`The demo "${demo.title}" could not be loaded (HTTP ${response.status} for ${url}).`);
  let scenario: Scenario;
  try {
    scenario = parseScenario(await response.json());
  } catch (error) {
    throw new DemoLoadError(`The demo file ${demo.file} is damaged: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (scenario.domain !== demo.domain) throw new DemoLoadError(`The demo file ${demo.file} is a ${scenario.domain} scenario, not a ${demo.domain} one.`);
  return scenario;
}

/** The scripted LLM that plays a demo, with a short pause before each reply. */
export function createDemoLlm(scenario: Scenario, options: { delayMs?: number } = {}): ScriptedLlm {
  return new ScriptedLlm(scenario, { delayMs: options.delayMs ?? DEMO_REPLY_DELAY_MS });
}

/**
 * The sandbox a demo asks for: the worker sandbox when the browser is offline (WebContainer cannot boot
 * then, and waiting for its boot timeout would only delay the demo), the automatic choice otherwise.
 */
export function demoSandboxChoice(online: boolean): SandboxChoice {
  return online ? 'auto' : 'worker';
}

/** What the New run form would hold for this demo: its task, domain and step cap. */
export interface DemoRunInput {
  task: string;
  domain: Domain;
  maxSteps: number;
  requirePassingTests: boolean;
  sandbox: SandboxChoice;
  /** Shown with the run: it is a scripted demo. */
  label: string;
}

export function demoRunInput(scenario: Scenario, online: boolean): DemoRunInput {
  return {
    task: scenario.task,
    domain: scenario.domain,
    maxSteps: scenario.settings?.maxSteps ?? 10,
    requirePassingTests: scenario.settings?.requirePassingTests ?? true,
    sandbox: demoSandboxChoice(online),
    label: SCRIPTED_DEMO_LABEL,
  };
}

/** The `llm.model` of a demo run names its demo, so that a resumed run finds its script again. */
const DEMO_MODEL_PREFIX = 'demo:';

/**
 * The run settings of a demo run: the scripted "provider" (so the run view can label it as a scripted
 * demo, and no key is ever involved), the demo's name as the model, its step cap, and the given sandbox.
 */
export function demoRunSettings(scenario: Scenario, sandbox: SandboxChoice): RunSettings {
  return {
    llm: { provider: 'scripted', baseURL: '', model: `${DEMO_MODEL_PREFIX}${scenario.name}` },
    model: { ...SCRIPTED_MODEL },
    limits: { ...DEFAULT_LIMITS, maxSteps: scenario.settings?.maxSteps ?? DEFAULT_LIMITS.maxSteps },
    requirePassingTests: scenario.settings?.requirePassingTests ?? true,
    sandbox,
    planFirst: false,
  };
}

/** Whether a run was a scripted demo (for the label in the run view and history). */
export function isScriptedRun(settings: Pick<RunSettings, 'llm'>): boolean {
  return settings.llm.provider === 'scripted';
}

/** The demo a scripted run plays, from its settings; undefined for other runs. */
export function demoOfRun(settings: Pick<RunSettings, 'llm'>): DemoEntry | undefined {
  if (!isScriptedRun(settings) || !settings.llm.model.startsWith(DEMO_MODEL_PREFIX)) return undefined;
  return demoById(settings.llm.model.slice(DEMO_MODEL_PREFIX.length));
}

/**
 * The LLM for a demo run's settings (a new run or a resumed one): its scenario loaded again and played by
 * the scripted LLM. For the app's `createLlm(settings)` when `settings.llm.provider` is "scripted".
 */
export async function demoLlmForRun(settings: Pick<RunSettings, 'llm'>, options: { delayMs?: number; baseUrl?: string; fetch?: FetchLike } = {}): Promise<ScriptedLlm> {
  const demo = demoOfRun(settings);
  if (!demo) throw new DemoLoadError(`This scripted run names no known demo ("${settings.llm.model}").`);
  const loadOptions: { baseUrl?: string; fetch?: FetchLike } = {};
  if (options.baseUrl !== undefined) loadOptions.baseUrl = options.baseUrl;
  if (options.fetch) loadOptions.fetch = options.fetch;
  const delay: { delayMs?: number } = {};
  if (options.delayMs !== undefined) delay.delayMs = options.delayMs;
  return createDemoLlm(await loadDemo(demo, loadOptions), delay);
}
