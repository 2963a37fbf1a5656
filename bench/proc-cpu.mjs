// CPU time from Linux's /proc, for benches that split a run's CPU between the host and the pool
// process (whose threads process.cpuUsage() does not see). 10 ms ticks; 0 where /proc is not.

import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms (utime + stime) of the process or thread whose `stat` file is `statPath`; 0 if it is gone. */
export function statCpuMs(statPath) {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The pids of this process's children (the pool process, in the default isolation). */
export function childPids() {
  try {
    return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) => readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  } catch {
    return [];
  }
}

/** CPU ms of this process's children and all their threads, so far. */
export function childrenCpuMs() {
  return childPids().reduce((sum, pid) => sum + statCpuMs(`/proc/${pid}/stat`), 0);
}
