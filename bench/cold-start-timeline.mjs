// W4's critical path as a timeline: one cold start (`createEngine` -> first result of
// `return 1;`) of a build, with timestamps from every side (host, pool process, each worker
// thread) on the system's monotonic clock (process.hrtime: the same in every process and
// thread), relative to `createEngine`, and each thread's own CPU ms so far (/proc, Linux).
// It copies the build's dist/ and piscina to a temporary directory and adds marks there (a
// line appended to a file per mark); the package itself carries no instrumentation. A mark
// whose anchor text is gone from a build is reported and skipped.
// Usage: npm run build && node bench/cold-start-timeline.mjs [process|in-process] [checkout dir, default this one] [runs=1]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const [, , kind = 'process', dirArg, runsArg] = process.argv;

/** The marker every patched file loads: appends `<ms> <pid>/<thread> <what> cpu=<thread CPU ms>` to $TW_TRACE. */
const MARK_SOURCE = `const { appendFileSync, readFileSync } = require('node:fs');
const { threadId } = require('node:worker_threads');
const cpu = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; } };
const now = () => { const [s, n] = process.hrtime(); return s * 1e3 + n / 1e6; };
function mark(what) { if (process.env.TW_TRACE) appendFileSync(process.env.TW_TRACE, now().toFixed(2) + ' ' + process.pid + '/' + threadId + ' ' + what + ' cpu=' + cpu().toFixed(1) + '\\n'); }
function boot(who) {
  // Node's own boot marks of this process, moved onto the shared clock.
  const origin = now() - performance.now();
  for (const step of who === 'thread' ? ['environment', 'bootstrapComplete'] : ['v8Start', 'environment', 'bootstrapComplete']) if (process.env.TW_TRACE) appendFileSync(process.env.TW_TRACE, (origin + performance.nodeTiming[step]).toFixed(2) + ' ' + process.pid + '/' + threadId + ' ' + who + ': node ' + step + '\\n');
}
module.exports = { mark, boot };`;

/** [file, [[anchor, replacement]...]]; `M(...)` in a replacement becomes a mark call. */
const PATCHES = [
  ['dist/engine.js', [['constructor(options) {', 'constructor(options) { M("host: Engine constructor");'], ['this.#scheduler.register(slot);', 'M("host: first script validated"); this.#scheduler.register(slot);']]],
  ['dist/scheduler.js', [['slot.task.deadlineAt = sharedNowMs() + execution.timeoutMs;', 'M("host: script placed (its time limit starts)"); slot.task.deadlineAt = sharedNowMs() + execution.timeoutMs;']]],
  ['dist/pool/process-pool.js', [
    ['const spawned = adopted?.process ?? forkProcess(options);', 'M("host: fork"); const spawned = adopted?.process ?? forkProcess(options); M("host: fork returned");'],
    ['const spawned = forkProcess(options);', 'M("host: fork"); const spawned = forkProcess(options); M("host: fork returned");'],
    ["case 'ready':", "case 'ready': M('host: pool process ready received');"],
    ["if (message.type === 'settled')", "M('host: outcome received'); if (message.type === 'settled')"],
  ]],
  ['dist/pool/pool-process.js', [['if (process.send === undefined)', 'B("pool process"); M("pool process: its imports done"); if (process.send === undefined)'], ["outbox.push({ type: 'ready' });", "M('pool process: ready'); outbox.push({ type: 'ready' });"], ['function run(message) {', "function run(message) { M('pool process: script received');"]]],
  ['dist/pool/script-pool.js', [['const piscina = new Piscina({', 'M("pool: new Piscina (creates the threads)"); const piscina = new Piscina({'], ['const attach = (threadId, port, culprit) => {', 'M("pool: threads created"); const attach = (threadId, port, culprit) => { M("pool: hello from thread " + threadId);']]],
  ['dist/pool/warm-up.js', [["new Intl.Segmenter('en').segment('');", "M('pool: ICU segmenter data, start'); new Intl.Segmenter('en').segment(''); M('pool: ICU segmenter data, done');"]]],
  ['dist/tokens.js', [['countTokens(WARM_UP_TEXT);', 'M("host: tokenizer warm-up, start"); countTokens(WARM_UP_TEXT); M("host: tokenizer warm-up, done");']]],
  // Before boot turns (one file) and after (main.js takes the turn, boot.js locks down).
  ['dist/worker/main.js', [['lockdown({', 'M("worker: ses and modules evaluated, lockdown"); lockdown({'], ['export default function run(task) {', 'M("worker: lockdown done"); export default function run(task) { M("worker: first script starts");'], ['await takeBootTurn(turn, threadId);', '{ M("worker: waits for its boot turn"); await takeBootTurn(turn, threadId); M("worker: boot turn taken"); }'], ['ses = loadSes();', 'ses = loadSes(); M("worker: SES loaded, code cache " + ses.cache);']]],
  ['dist/worker/boot.js', [['lockdown({', 'M("worker: ses and modules evaluated, lockdown"); lockdown({'], ['export default function run(task) {', 'M("worker: lockdown done"); export default function run(task) { M("worker: first script starts");']]],
  ['dist/worker/shared-compartment.js', [['function createSharedCompartment() {', 'function createSharedCompartment() { M("worker: shared Compartment, start");'], ['    Object.freeze(globalObject);', '    Object.freeze(globalObject); M("worker: shared Compartment, done");']]],
  ['dist/execution.js', [['const metadata = this.metadata(valueJson, output, outputTruncated);', 'M("host: result parsed, metadata (token count)"); const metadata = this.metadata(valueJson, output, outputTruncated); M("host: metadata done");']]],
  ['node_modules/piscina/dist/worker.js', [['common_1.commonState.isWorkerThread = true;', 'B("thread"); M("thread: piscina worker.js runs"); common_1.commonState.isWorkerThread = true;'], ['if (filename != null) {', 'M("thread: loads dist/worker/main.js"); if (filename != null) {'], ['node_worker_threads_1.parentPort.postMessage(readyMessage);', 'M("thread: ready for tasks"); node_worker_threads_1.parentPort.postMessage(readyMessage);']]],
];

/** A copy of `dir`'s build with marks, in a temporary directory. */
function instrument(dir, markPath) {
  const copy = mkdtempSync(join(tmpdir(), 'tw-timeline-'));
  cpSync(join(dir, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(dir, 'package.json'), join(copy, 'package.json'));
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(dir, 'node_modules'))) if (name !== 'piscina') symlinkSync(join(dir, 'node_modules', name), join(copy, 'node_modules', name));
  cpSync(join(dir, 'node_modules', 'piscina'), join(copy, 'node_modules', 'piscina'), { recursive: true, dereference: true });
  for (const [file, pairs] of PATCHES) {
    let text;
    try {
      text = readFileSync(join(copy, file), 'utf8');
    } catch {
      console.error(`(no ${file} in this build: its marks are skipped)`);
      continue;
    }
    let patched = 0;
    for (const [anchor, replacement] of pairs) {
      if (!text.includes(anchor)) continue;
      text = text.replace(anchor, replacement.replace(/\bM\(/g, '__twMark(').replace(/\bB\(/g, '__twBoot('));
      patched++;
    }
    if (patched === 0) console.error(`(${file}: no anchor found, no marks)`);
    const loader = file.endsWith('worker.js') && file.includes('piscina') ? `const { mark: __twMark, boot: __twBoot } = require(${JSON.stringify(markPath)});\n` : `import { createRequire as __twRequire } from 'node:module'; const { mark: __twMark, boot: __twBoot } = __twRequire(import.meta.url)(${JSON.stringify(markPath)});\n`;
    writeFileSync(join(copy, file), loader + text);
  }
  return copy;
}

/** Runs in a fresh process: imports and catalog ready, then the clock. */
const HOST = `const [distDir, kind, definitionsUrl, markPath] = process.argv.slice(1);
const { createRequire } = await import('node:module');
const { mark } = createRequire(import.meta.url)(markPath);
const { createFixtureToolDefinitions } = await import(definitionsUrl);
const { createEngine, ToolCatalog } = await import(distDir + '/dist/index.js');
const catalog = new ToolCatalog();
for (const definition of createFixtureToolDefinitions().definitions) catalog.register(definition);
mark('host: createEngine');
const engine = createEngine({ catalog, isolation: kind });
const result = await engine.execute('return 1;');
mark('host: FIRST RESULT');
if (result.value !== 1) throw new Error('unexpected value');
await engine.close();`;

const dir = resolve(dirArg ?? here);
const runs = Number(runsArg ?? 1);
const work = mkdtempSync(join(tmpdir(), 'tw-timeline-mark-'));
const markPath = join(work, 'mark.cjs');
writeFileSync(markPath, MARK_SOURCE);
const copy = instrument(dir, markPath);
try {
  for (let run = 0; run < runs; run++) {
    const trace = join(work, `trace-${run}.txt`);
    writeFileSync(trace, '');
    execFileSync(process.execPath, ['--input-type=module', '-e', HOST, copy, kind, new URL('../fixtures/tool-definitions.mjs', import.meta.url).href, markPath], { env: { ...process.env, TW_TRACE: trace }, stdio: ['ignore', 'inherit', 'inherit'] });
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((line) => {
      const [t, who, ...what] = line.split(' ');
      return { t: Number(t), who, what: what.join(' ') };
    }).sort((a, b) => a.t - b.t);
    const start = lines.find((line) => line.what.startsWith('host: createEngine')).t;
    const end = lines.find((line) => line.what.startsWith('host: FIRST RESULT')).t;
    const pids = [...new Set(lines.map((line) => line.who.split('/')[0]))];
    console.log(`\n${dir}, isolation ${kind}, run ${run + 1}: ${(end - start).toFixed(1)} ms (process ${pids.map((pid, index) => `${index === 0 ? 'host' : 'pool'}=${pid}`).join(', ')}; thread 0 is a process's main thread)`);
    console.log('| ms | where | what | thread CPU ms |\n|---|---|---|---|');
    for (const { t, who, what } of lines) {
      if (t < start - 1 || t > end + 1) continue;
      const [text, cpu] = what.split(' cpu=');
      console.log(`| ${(t - start).toFixed(1)} | ${pids.indexOf(who.split('/')[0]) === 0 ? 'host' : 'pool'}/${who.split('/')[1]} | ${text} | ${cpu ?? ''} |`);
    }
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
