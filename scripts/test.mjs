#!/usr/bin/env node
/**
 * `npm test`: type checks, unit tests, a build, then the end-to-end tests in Debian's Chromium.
 * Stops at once, before anything else, when Chromium is missing, and says how to install it.
 * `node scripts/test.mjs e2e` (npm run test:e2e) runs only the build and the end-to-end tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium was not found at ${chromium}; the end-to-end tests need it (no browser is ever downloaded).`);
  console.error('Install it with:  sudo apt-get update && sudo apt-get install -y chromium');
  console.error('or point CHROMIUM_PATH at an existing Chromium or Chrome binary.');
  process.exit(1);
}

const steps = [
  ['type checks', 'npm', ['run', 'check']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['build (with the test harness)', 'npx', ['vite', 'build']],
  ['end-to-end tests', 'npx', ['playwright', 'test']],
];

const e2eOnly = process.argv.includes('e2e');
for (const [label, command, args] of e2eOnly ? steps.slice(2) : steps) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const env = { ...process.env, CHROMIUM_PATH: chromium, L2MAC_HARNESS: '1' };
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
console.log('\nAll checks, unit tests and end-to-end tests passed.');
