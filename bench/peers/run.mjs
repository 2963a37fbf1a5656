// The peer harness (issue 17's table against peers, issue 13's "against isolated-vm"): runs
// toolweaver (default process isolation, and in-process) beside isolated-vm, quickjs-emscripten
// and node:vm on the same workloads (workloads.mjs) and the same fixture tool handlers, each
// engine in its own child process, rounds interleaved in one run (the order rotates every
// round), and prints markdown tables of medians with toolweaver's speed ratio to each peer.
// Usage: npm run bench:peers [-- --rounds=5 --workloads=W1,W2,W3,W5 --engines=...]
// Peers are installed on demand into bench/peers/node_modules; they are not toolweaver's dependencies.

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { WORKLOADS } from './workloads.mjs';

const ENGINES = [
  { id: 'toolweaver', label: 'toolweaver (process, default)', execArgv: [] },
  { id: 'toolweaver-in-process', label: 'toolweaver (in-process)', execArgv: [] },
  // isolated-vm's README: on Node 20 or later, node must run with --no-node-snapshot.
  { id: 'isolated-vm', label: 'isolated-vm', execArgv: ['--no-node-snapshot'], pkg: 'isolated-vm' },
  { id: 'quickjs', label: 'quickjs-emscripten', execArgv: [], pkg: 'quickjs-emscripten' },
  { id: 'node-vm', label: 'node:vm (not a boundary)', execArgv: [] },
];
const HEADLINE_PEERS = ['isolated-vm', 'quickjs'];
const ROUND_TIMEOUT_MS = 300_000;

function parseArgs(argv) {
  const options = { rounds: 5, workloads: WORKLOADS.map((w) => w.id), engines: ENGINES.map((e) => e.id) };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'rounds') options.rounds = Number(value);
    else if (key === 'workloads' || key === 'engines') options[key] = value.split(',');
    else throw new Error(`Unknown argument \`${arg}\``);
  }
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('Expected `--rounds` to be a positive integer');
  return options;
}

/** A child process running one engine, with `round(workloadId)` resolving to its milliseconds. */
function startEngine(engine) {
  const child = fork(new URL('./child.mjs', import.meta.url), [engine.id], { execArgv: engine.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting = null;
  child.on('message', (message) => waiting?.(message));
  child.on('exit', (code) => waiting?.({ type: 'error', error: `${engine.id} exited with code ${code}` }));
  const next = (send) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${engine.id}: no answer in ${ROUND_TIMEOUT_MS} ms`)), ROUND_TIMEOUT_MS);
    waiting = (message) => {
      clearTimeout(timer);
      waiting = null;
      if (message.type === 'error') reject(new Error(message.error));
      else resolve(message);
    };
    send?.();
  });
  const ready = next();
  return {
    ...engine,
    ready,
    round: async (workload) => next(() => child.send({ workload })),
    close: () => next(() => child.send({ type: 'close' })).catch(() => child.kill()),
    kill: () => child.kill(),
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Scripts in a round of `workload`, or calls for a calls/s workload. */
const unitsOf = (workload) => (workload.unit === 'calls/s' ? workload.scripts * workload.callsPerScript : workload.scripts);

/** What a round of `workload` taking `ms` scores: a rate, or milliseconds per script. */
function score(workload, ms) {
  if (workload.unit === 'ms') return ms / workload.scripts;
  return unitsOf(workload) / (ms / 1000);
}

/** CPU microseconds per script (per call for calls/s), every thread and process of the engine. */
const cpuScore = (workload, cpuMs) => (cpuMs === undefined ? undefined : (cpuMs * 1000) / unitsOf(workload));

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cell = (workload, value) => (workload.unit === 'ms' ? `${fmt(value, 1)} ms` : `${fmt(value)} ${workload.unit}`);
/** toolweaver's speed over the peer's: rates divide, latencies divide the other way. */
const ratio = (workload, ours, theirs) => `${fmt(workload.unit === 'ms' ? theirs / ours : ours / theirs, 1)}×`;

function versionOf(pkg) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;
}

function printTable(options, engines, workloads, medians) {
  const ours = 'toolweaver';
  const peers = engines.filter((e) => e.id !== ours && e.id !== 'toolweaver-in-process');
  console.log(`\nNode ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim()}); ${options.rounds} interleaved rounds, medians;`);
  console.log(`peers: ${engines.filter((e) => e.pkg).map((e) => `${e.pkg} ${versionOf(e.pkg)}`).join(', ')}. Ratios: toolweaver (process) speed ÷ peer speed.\n`);
  console.log(`| workload | ${engines.map((e) => e.label).join(' | ')} |${engines.some((e) => e.id === ours) ? peers.map((p) => ` ÷ ${p.label} |`).join('') : ''}`);
  console.log(`|---|${engines.map(() => '---|').join('')}${engines.some((e) => e.id === ours) ? peers.map(() => '---|').join('') : ''}`);
  for (const w of workloads) {
    const m = medians.get(w.id);
    const ratios = m.has(ours) ? peers.map((p) => ` ${ratio(w, m.get(ours), m.get(p.id))} |`).join('') : '';
    console.log(`| ${w.title} | ${engines.map((e) => cell(w, m.get(e.id))).join(' | ')} |${ratios}`);
  }
}

/** The README's table: toolweaver (process) against the headline peers on W1-W3, rate and CPU. */
function printHeadline(engines, workloads, medians, cpuMedians) {
  const ours = 'toolweaver';
  const headline = HEADLINE_PEERS.filter((id) => engines.some((e) => e.id === id));
  if (!engines.some((e) => e.id === ours) || headline.length === 0) return;
  const withCpu = ![...cpuMedians.values()].some((m) => [...m.values()].includes(undefined));
  const labels = headline.map((id) => ENGINES.find((e) => e.id === id).label);
  console.log(`\nHeadline (README)${withCpu ? '; the lead is rate ÷ peer rate, and peer CPU ÷ toolweaver CPU' : ''}:\n`);
  console.log(`| workload | toolweaver | ${labels.join(' | ')} | ${labels.map((l) => `lead over ${l}${withCpu ? ': rate, CPU' : ''}`).join(' | ')} |`);
  console.log(`|---|---|${headline.map(() => '---|---|').join('')}`);
  for (const w of workloads.filter((w) => w.id !== 'W5')) {
    const m = medians.get(w.id);
    const c = cpuMedians.get(w.id);
    const lead = (id) => `${ratio(w, m.get(ours), m.get(id))}${withCpu ? `, ${fmt(c.get(id) / c.get(ours), 1)}×` : ''}`;
    console.log(`| ${w.title.replace(/, \d+ in flight$/, '')} | ${cell(w, m.get(ours))} | ${headline.map((id) => cell(w, m.get(id))).join(' | ')} | ${headline.map(lead).join(' | ')} |`);
  }
}

function printCpuTable(engines, workloads, medians) {
  if ([...medians.values()].some((m) => [...m.values()].includes(undefined))) return;
  const ours = medians.get(workloads[0].id).has('toolweaver') ? 'toolweaver' : undefined;
  const peers = engines.filter((e) => ours !== undefined && !e.id.startsWith('toolweaver'));
  console.log('\nCPU time (user + system, every thread and process of the engine), medians; ratios: peer CPU ÷ toolweaver (process) CPU:\n');
  console.log(`| workload | ${engines.map((e) => e.label).join(' | ')} |${peers.map((p) => ` ÷ ${p.label} |`).join('')}`);
  console.log(`|---|${engines.map(() => '---|').join('')}${peers.map(() => '---|').join('')}`);
  for (const w of workloads) {
    const m = medians.get(w.id);
    // W5 is one script of tens of ms, read with /proc's 10 ms ticks: shown in ms.
    const show = (us) => (w.unit === 'ms' ? `${fmt(us / 1000)} ms` : `${fmt(us)} us/${w.unit === 'calls/s' ? 'call' : 'script'}`);
    const ratios = peers.map((p) => ` ${fmt(m.get(p.id) / m.get(ours), 1)}× |`).join('');
    console.log(`| ${w.title} | ${engines.map((e) => show(m.get(e.id))).join(' | ')} |${ratios}`);
  }
}

const options = parseArgs(process.argv.slice(2));
const workloads = options.workloads.map((id) => {
  const found = WORKLOADS.find((w) => w.id === id);
  if (found === undefined) throw new Error(`No workload \`${id}\``);
  return found;
});
const engines = options.engines.map((id) => {
  const found = ENGINES.find((e) => e.id === id);
  if (found === undefined) throw new Error(`No engine \`${id}\``);
  return startEngine(found);
});
try {
  await Promise.all(engines.map((e) => e.ready));
  const emptySamples = () => new Map(workloads.map((w) => [w.id, new Map(engines.map((e) => [e.id, []]))]));
  const samples = emptySamples();
  const cpuSamples = emptySamples();
  for (const w of workloads) {
    for (const e of engines) await e.round(w.id); // warm-up: threads, JIT, caches
  }
  for (let r = 0; r < options.rounds; r++) {
    const order = engines.map((_, i) => engines[(i + r) % engines.length]);
    for (const w of workloads) {
      for (const e of order) {
        const { ms, cpuMs } = await e.round(w.id);
        samples.get(w.id).get(e.id).push(score(w, ms));
        cpuSamples.get(w.id).get(e.id).push(cpuScore(w, cpuMs));
      }
    }
    process.stderr.write(`round ${r + 1}/${options.rounds} done\n`);
  }
  const mediansOf = (all) => new Map([...all].map(([id, byEngine]) => [id, new Map([...byEngine].map(([e, s]) => [e, s.includes(undefined) ? undefined : median(s)]))]));
  process.stderr.write(`${JSON.stringify(Object.fromEntries([...samples].map(([id, byEngine]) => [id, Object.fromEntries(byEngine)])))}\n`);
  const medians = mediansOf(samples);
  const cpuMedians = mediansOf(cpuSamples);
  printTable(options, engines, workloads, medians);
  printCpuTable(engines, workloads, cpuMedians);
  printHeadline(engines, workloads, medians, cpuMedians);
  await Promise.all(engines.map((e) => e.close()));
} catch (error) {
  for (const e of engines) e.kill();
  console.error(error);
  process.exitCode = 1;
}
