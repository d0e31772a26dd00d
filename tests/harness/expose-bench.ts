/**
 * `window.harness.bench`: the benchmarks' entry points in the browser (`bench/page/harness-api.ts`), driven
 * by `npm run bench` (`bench/browser/`) through Playwright. Never used by the tests.
 */
import { benchHarness } from '../../bench/page/harness-api.ts';

window.harness.bench = benchHarness;
