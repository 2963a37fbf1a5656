// A/B of issue 13's workloads (bench/workloads.mjs) between this checkout's build and another
// built checkout (a git worktree of an earlier commit, say). Both sides run the workload code
// of THIS checkout against their own dist/, so only the engine differs. Each round runs both
// sides, alternating, each in a fresh process (both isolations, engines warmed up), so
// machine noise hits both alike. Prints each run, then per workload and isolation the
// medians over rounds and their ratio as "better than other" (this / other for throughput,
// other / this for times: above 1 means this build is faster), and the same for the CPU time
// of the host and the pool process per script or call (Linux; steadier under load).
// Usage: npm run build && node bench/compare.mjs <other checkout, built> [rounds=3] [workloads=W1,W2,W3,W5]
//   W4 (cold start, fresh processes) may be listed too.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenCpuMs } from './proc-cpu.mjs';
import { WORKLOADS, createSetup, measureColdStart, median } from './workloads.mjs';

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ISOLATIONS = ['process', 'in-process'];

/** CPU ms of this process and its children (the pool process and its threads), so far. */
function cpuMsNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000 + childrenCpuMs();
}

/** What one run of a workload does, to give its CPU time per script or per call. */
const CPU_UNITS = { W1: [2_000, 'us/script'], W2: [10_000, 'us/call'], W3: [500, 'us/script'], W5: [3, 'us/script'] };

if (process.argv[2] === '--child') {
  const [dir, names] = [process.argv[3], process.argv[4].split(',')];
  const result = {};
  for (const kind of ISOLATIONS) {
    const inProcessNames = names.filter((name) => name !== 'W4');
    const setup = inProcessNames.length > 0 ? await createSetup(kind, dir) : undefined;
    for (const name of names) {
      result[name] ??= {};
      if (name !== 'W4') {
        const before = cpuMsNow();
        result[name][kind] = await setup.run(name);
        // CPU time of the host and the pool process (every thread of both): far steadier on a
        // busy machine than wall time, which another process's load moves.
        (result[`${name} CPU`] ??= {})[kind] = ((cpuMsNow() - before) * 1000) / CPU_UNITS[name][0];
        continue;
      }
      const { startMs, cpuMs } = await measureColdStart(kind, dir);
      result[name][kind] = startMs;
      // CPU time of every thread of both processes: steadier than wall time on a busy machine.
      (result['W4 CPU'] ??= {})[kind] = cpuMs;
    }
    await setup?.close();
  }
  console.log(JSON.stringify(result));
} else {
  const other = resolve(process.argv[2] ?? '');
  const rounds = Number(process.argv[3] ?? 3);
  const names = process.argv[4] ?? 'W1,W2,W3,W5';
  const runs = { this: [], other: [] };
  for (let round = 0; round < rounds; round++) {
    // Which side goes first alternates from round to round: on a shared machine the side run
    // second was measured dearer (W1 CPU: one build 12% dearer than another when it ran
    // second, 4 pairs; the same when it ran first, 3 pairs), a bias for one side.
    const order = [['other', other], ['this', here]];
    for (const [side, dir] of round % 2 === 0 ? order : order.reverse()) {
      const result = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, names], { encoding: 'utf8' }));
      runs[side].push(result);
      console.log(side, JSON.stringify(result));
    }
  }
  const mid = (side, name, kind) => median(runs[side].map((run) => run[name][kind]));
  for (const name of names.split(',').flatMap((name) => [name, `${name} CPU`])) {
    const { unit, higherIsBetter } = name.endsWith(' CPU') && name !== 'W4 CPU' ? { unit: CPU_UNITS[name.slice(0, 2)][1], higherIsBetter: false } : (WORKLOADS[name] ?? WORKLOADS.W4);
    for (const kind of ISOLATIONS) {
      const [mine, theirs] = [mid('this', name, kind), mid('other', name, kind)];
      const better = higherIsBetter ? mine / theirs : theirs / mine;
      const digits = unit === 'ms' || unit === 'us/call' ? 1 : 0;
      console.log(`${name} ${kind}: this ${mine.toFixed(digits)} ${unit}, other ${theirs.toFixed(digits)} ${unit}, this is ${better.toFixed(2)}x as ${name.endsWith(' CPU') ? 'cheap' : 'fast'}`);
    }
  }
}
