// Owns the CPU-time reading of the peer harness: user + system time of this process and of
// every process it started (toolweaver's pool process), all threads included, from Linux's
// /proc. On a loaded machine wall-clock rates mostly measure the scheduler; CPU time per
// script does not. Returns undefined where /proc is missing (the table then shows no CPU).

import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond;

function clockTicks() {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** [ppid, utime + stime in ticks] of one pid, or undefined if it is gone. */
function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[1]), Number(fields[11]) + Number(fields[12])];
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by this process and its descendants, or undefined off Linux. */
export function treeCpuMs() {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return undefined;
  }
  const stats = new Map();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat !== undefined) stats.set(pid, stat);
  }
  const inTree = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, [ppid]] of stats) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of inTree) ticks += stats.get(pid)?.[1] ?? 0;
  return (ticks * 1000) / clockTicks();
}
