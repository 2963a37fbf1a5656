// Owns the peer workloads: the script each engine runs, how many and how many in flight, the
// fixture latency of its tools, and the check every result must pass on every engine (value,
// printed output and the number of calls that reached the handlers), so a broken engine
// setup fails the run instead of reporting a fast wrong answer. Same workloads as issue 13.

import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { getScenario, loadScript } from '../../fixtures/scenarios.mjs';

const FAN_OUT_CALLS = 1_000;
const LOOP_N = 10_000_000;

/** Sum of `i % 7` for `0 <= i < n`, by arithmetic rather than by running the loop. */
function loopSum(n) {
  const full = Math.floor(n / 7);
  const rest = n % 7;
  return full * 21 + (rest * (rest - 1)) / 2;
}

const teamExpenses = getScenario('team-expenses');

/**
 * @typedef {object} Workload
 * @property {string} id         W1, W2, W3 or W5 (issue 13's numbering).
 * @property {string} title      The row label of the tables.
 * @property {string} code       The script: the body of an async function, as toolweaver runs it.
 * @property {number} scripts    Scripts per round.
 * @property {number} inFlight   Scripts in flight at once.
 * @property {number} latencyMs  Fixture latency of every tool call.
 * @property {number} callsPerScript  Tool calls each script must make.
 * @property {'scripts/s'|'calls/s'|'ms'} unit  What a round reports.
 * @property {{ value: unknown, output: string[] }} expected  Every script's result.
 */

/** @type {Workload[]} */
export const WORKLOADS = [
  {
    id: 'W1', title: 'W1: 2,000 × `return 1;`, 32 in flight', code: 'return 1;',
    scripts: 2_000, inFlight: 32, latencyMs: 0, callsPerScript: 0, unit: 'scripts/s',
    expected: { value: 1, output: [] },
  },
  {
    id: 'W2', title: 'W2: `Promise.all` of 1,000 no-op calls',
    code: `const r = await Promise.all(Array.from({ length: ${FAN_OUT_CALLS} }, () => noop()));\nreturn r.filter((x) => x === null).length;`,
    scripts: 3, inFlight: 1, latencyMs: 0, callsPerScript: FAN_OUT_CALLS, unit: 'calls/s',
    expected: { value: FAN_OUT_CALLS, output: [] },
  },
  {
    id: 'W3', title: 'W3: team expenses, 500 scripts, 21 calls of 5 ms, 64 in flight',
    code: await loadScript('team-expenses'),
    scripts: 500, inFlight: 64, latencyMs: 5, callsPerScript: teamExpenses.expectedToolCalls, unit: 'scripts/s',
    expected: { value: teamExpenses.expected, output: teamExpenses.expectedOutput },
  },
  {
    id: 'W5', title: 'W5: `for (i < 1e7) s += i % 7`, one script (latency)',
    code: `let s = 0;\nfor (let i = 0; i < ${LOOP_N}; i++) s += i % 7;\nreturn s;`,
    scripts: 1, inFlight: 1, latencyMs: 0, callsPerScript: 0, unit: 'ms',
    expected: { value: loopSum(LOOP_N), output: [] },
  },
];

/** The workload with this id; throws for an unknown one. */
export function getWorkload(id) {
  const found = WORKLOADS.find((w) => w.id === id);
  if (found === undefined) throw new Error(`No workload \`${id}\``);
  return found;
}

/** Throws unless `result` is what every script of `workload` must return and print. */
export function checkResult(workload, engineName, result) {
  const { value, output } = result;
  if (!isDeepStrictEqual(value, workload.expected.value) || !isDeepStrictEqual(output, workload.expected.output)) {
    throw new Error(`${engineName} ${workload.id}: wrong result ${JSON.stringify({ value, output }).slice(0, 300)}`);
  }
}

/** Runs `count` calls of `runOne(index)`, at most `inFlight` at once. */
export async function runLimited(count, inFlight, runOne) {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      await runOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
}

/**
 * One timed round of `workload` on `runner` (`run(code)` resolves to `{ value, output }`):
 * its milliseconds, after every script's result is checked and `calls.count` (the calls that
 * reached the handlers during the round) matches. Throws instead of timing a wrong answer.
 */
export async function measureRound(workload, engineId, runner, calls) {
  calls.count = 0;
  const start = performance.now();
  await runLimited(workload.scripts, workload.inFlight, async () => {
    checkResult(workload, engineId, await runner.run(workload.code));
  });
  const ms = performance.now() - start;
  const expectedCalls = workload.scripts * workload.callsPerScript;
  if (calls.count !== expectedCalls) {
    throw new Error(`${engineId} ${workload.id}: ${calls.count} tool calls reached the handlers, expected ${expectedCalls}`);
  }
  return ms;
}
