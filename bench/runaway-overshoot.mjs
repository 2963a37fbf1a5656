// How long past its time limit a runaway of each loop shape runs before it is stopped by its own
// checkpoints (claim 7), seen from the host: the time from execute() to ERR_EXECUTION_TIMEOUT,
// minus the limit. One thread, no thread kill in reach (killGraceMs a minute), default isolation.
// Usage: npm run build && node bench/runaway-overshoot.mjs [other-dist-dir] [runs=5]
//   With another build's dist/, both run in this process, alternating shape by shape.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const LIMIT_MS = 100;

/** Runaways, one per loop shape the checkpoints must stop (test/security/checkpoint-counter.test.ts). */
export const RUNAWAYS = {
  'tight loop': 'let s = 0; for (let i = 0; ; i++) s += i % 7;',
  'nested short loops': 'let s = 0; for (;;) { for (let j = 0; j < 2; j++) { for (let k = 0; k < 2; k++) s++; } }',
  'labels and continue': 'let n = 0; outer: for (;;) { inner: for (let j = 0; j < 5; j++) { n++; if (j % 2) continue outer; continue inner; } }',
  'loop in a recursion': 'function walk(d) { let s = 0; for (let i = 0; i < 3; i++) s += d > 0 ? walk(d - 1) : i; return s; } let t = 0; for (;;) t += walk(4);',
  'caught throw in the body': 'let n = 0; for (;;) { try { n++; JSON.parse("{"); } catch { continue; } }',
  'closures over the loop variable': 'const fns = []; for (let i = 0; ; i++) { fns.push(() => i); if (fns.length > 64) fns.length = 0; }',
  'loop in a getter from a callback': 'const o = { get v() { let s = 0; for (let i = 0; i < 3; i++) s += i; return s; } }; let t = 0; for (;;) t += [1, 2].map(() => o.v).length;',
  'recursion without a loop': 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } return fib(80);',
  'endless generator spread': 'function* g() { let i = 0; while (true) yield i++; } return [...g()].length;',
  'large builtin call per iteration': 'const big = Array.from({ length: 1e5 }, (_, i) => i); let s = 0; for (;;) s += big.indexOf(-1);',
};

async function openEngine(distDir) {
  const { createEngine, ToolCatalog } = await import(pathToFileURL(resolve(distDir, 'index.js')).href);
  const engine = createEngine({ catalog: new ToolCatalog(), threads: 1, killGraceMs: 60_000 });
  await engine.execute('return 0');
  return engine;
}

async function overshootMs(engine, code) {
  const start = performance.now();
  try {
    await engine.execute(code, { timeoutMs: LIMIT_MS });
  } catch (error) {
    if (error.code !== 'ERR_EXECUTION_TIMEOUT') throw error;
    return performance.now() - start - LIMIT_MS;
  }
  throw new Error('the runaway returned');
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const otherDir = process.argv[2] !== undefined && Number.isNaN(Number(process.argv[2])) ? process.argv[2] : undefined;
const runs = Number(process.argv[otherDir === undefined ? 2 : 3] ?? 5);
const builds = [['this build', await openEngine(new URL('../dist', import.meta.url).pathname)]];
if (otherDir !== undefined) builds.push(['other build', await openEngine(otherDir)]);
const samples = new Map();
for (let run = 0; run < runs; run++) {
  for (const [label, code] of Object.entries(RUNAWAYS)) {
    for (const [build, engine] of run % 2 === 0 ? builds : [...builds].reverse()) {
      const key = `${label}|${build}`;
      samples.set(key, [...(samples.get(key) ?? []), await overshootMs(engine, code)]);
      if (process.env.TW_TRACE) console.error(key, samples.get(key).at(-1));
    }
  }
}
await Promise.all(builds.map(([, engine]) => engine.close()));
console.log(`| runaway (limit ${LIMIT_MS} ms) | ${builds.map(([build]) => `${build}: ms past the limit (median, max)`).join(' | ')} |`);
console.log(`|---|${builds.map(() => '---').join('|')}|`);
for (const label of Object.keys(RUNAWAYS)) {
  const cells = builds.map(([build]) => {
    const values = samples.get(`${label}|${build}`);
    return `${median(values).toFixed(1)}, ${Math.max(...values).toFixed(1)}`;
  });
  console.log(`| ${label} | ${cells.join(' | ')} |`);
}
