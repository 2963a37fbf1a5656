// A/B of the engine benches (fan-out, I/O-bound, trivial) between this checkout and another
// built one (a git worktree of an earlier commit, say): each round runs both, alternating, each
// in a fresh process, so machine noise hits both sides alike. Prints each run, then the ratio
// of the means (this / other).
// Usage: npm run build && node bench/compare.mjs <other checkout, built> [rounds=3]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));

if (process.argv[2] === '--child') {
  const { runFanOutBench, runIoBoundBench, runTrivialBench } = await import(`${process.argv[3]}/bench/engine.mjs`);
  const fanOut = (await runFanOutBench()).callsPerSecond;
  const io = (await runIoBoundBench()).scriptsPerSecond;
  const trivial = (await runTrivialBench()).same;
  console.log(JSON.stringify({ fanOut, io, trivial }));
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
  for (const bench of ['fanOut', 'io', 'trivial']) {
    for (const mode of ['process', 'in-process']) {
      console.log(`${bench} ${mode}: this ${Math.round(mean('this', bench, mode))}, other ${Math.round(mean('other', bench, mode))}, ratio ${(mean('this', bench, mode) / mean('other', bench, mode)).toFixed(2)}`);
    }
  }
}
