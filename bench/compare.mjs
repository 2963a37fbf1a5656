// A/B of the engine benches (fan-out, I/O-bound, trivial) between this checkout and another
// built one (a git worktree of an earlier commit, say): each round runs both, alternating, each
// in a fresh process, so machine noise hits both sides alike. Prints each run, then the ratio
// of the means (this / other). `teamExpenses` is issue 13's W3: 500 team-expenses scripts
// (21 tool calls of 5 ms each), 64 in flight, through the build and fixtures of each checkout.
// Usage: npm run build && node bench/compare.mjs <other checkout, built> [rounds=3]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** W3 of issue 13 in each isolation: scripts/s over two batches of 500, after a warm-up. */
async function runTeamExpenses(dir) {
  const { availableParallelism } = await import('node:os');
  const { performance } = await import('node:perf_hooks');
  const { createEngine } = await import(`${dir}/dist/index.js`);
  const { createFixtureCatalog } = await import(`${dir}/fixtures/tools.mjs`);
  const { loadScript } = await import(`${dir}/fixtures/scenarios.mjs`);
  const code = await loadScript('team-expenses');
  const rates = {};
  for (const isolation of ['process', 'in-process']) {
    const engine = createEngine({ catalog: createFixtureCatalog({ latencyMs: 5 }), threads: availableParallelism(), isolation });
    const batch = async (scripts) => {
      for await (const outcome of engine.executeMany(Array.from({ length: scripts }, (_, job) => ({ code, context: { job } })), { concurrency: 64 })) {
        if (outcome.status === 'rejected') throw new Error('a team-expenses script failed');
      }
    };
    await batch(200);
    const started = performance.now();
    await batch(500);
    await batch(500);
    rates[isolation] = 1_000 / ((performance.now() - started) / 1000);
    await engine.close();
  }
  return rates;
}

if (process.argv[2] === '--child') {
  const { runFanOutBench, runIoBoundBench, runTrivialBench } = await import(`${process.argv[3]}/bench/engine.mjs`);
  const fanOut = (await runFanOutBench()).callsPerSecond;
  const io = (await runIoBoundBench()).scriptsPerSecond;
  const trivial = (await runTrivialBench()).same;
  const teamExpenses = await runTeamExpenses(process.argv[3]);
  console.log(JSON.stringify({ fanOut, io, trivial, teamExpenses }));
} else {
  const other = resolve(process.argv[2] ?? '');
  const rounds = Number(process.argv[3] ?? 3);
  const runs = { this: [], other: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [side, dir] of [['other', other], ['this', here]]) {
      const result = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], { encoding: 'utf8' }));
      runs[side].push(result);
      console.log(side, JSON.stringify(result));
    }
  }
  const mean = (side, bench, mode) => runs[side].reduce((sum, run) => sum + run[bench][mode], 0) / rounds;
  for (const bench of ['fanOut', 'io', 'trivial', 'teamExpenses']) {
    for (const mode of ['process', 'in-process']) {
      console.log(`${bench} ${mode}: this ${Math.round(mean('this', bench, mode))}, other ${Math.round(mean('other', bench, mode))}, ratio ${(mean('this', bench, mode) / mean('other', bench, mode)).toFixed(2)}`);
    }
  }
}
