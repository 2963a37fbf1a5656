// CPU of the host's side of one tool call, outside the pool: a frame of W2's 1,000 `noop()`
// calls (issue 13) goes through what the engine does when a thread's `calls` message arrives
// (decodeCalls, the execution's lookup, the dispatcher, the replay journal) until the replies
// frame is encoded. The build's own modules, so two builds can be compared (A/B, alternating).
// Usage: npm run build && node bench/dispatch-path.mjs [other built checkout] [rounds=20]
//   prints host CPU microseconds per call (process.cpuUsage) per side, median over rounds.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';

const CALLS = 1_000;
const SCRIPTS = Number(process.env.DISPATCH_PATH_SCRIPTS ?? 200);

async function measure(dir) {
  const { ToolCatalog } = await import(`${dir}/dist/index.js`);
  const { createDispatcher, Journal, ReplayBudget } = await import(`${dir}/dist/dispatch/index.js`);
  const { Execution } = await import(`${dir}/dist/execution.js`);
  const { EngineEvents } = await import(`${dir}/dist/observe/index.js`);
  const { encodeCalls, decodeCalls, encodeReplies } = await import(`${dir}/dist/call-frame.js`);
  const catalog = new ToolCatalog();
  for (const definition of createFixtureToolDefinitions({ latencyMs: 0 }).definitions) catalog.register(definition);
  // The engine's defaults (options.ts): output checked, replay on, nobody listening.
  const dispatcher = createDispatcher(catalog, { validateOutput: true, maxResultChars: 1_048_576, maxArgumentChars: 1_048_576, stubs: { tools: new Set(), seed: '' }, onApproval: undefined, approvalsPerExecution: false, approvalTimeoutMs: 60_000, observer: new EngineEvents(false) });
  const budget = new ReplayBudget(67_108_864);
  const turn = () => new Promise((done) => setImmediate(done));
  let sink = 0;
  // The worker's side (encoding the calls) is not measured.
  const frames = Array.from({ length: 50 + SCRIPTS }, (_, n) => encodeCalls(Array.from({ length: CALLS }, (_, i) => ({ executionId: `exec-${n}`, slot: 1, callId: i + 1, tool: 'noop', argsJson: '[]' }))));
  const script = async (n) => {
    const execution = new Execution(`exec-${n}`, 10_000, 30_000, () => {});
    execution.journal = new Journal(budget);
    const frame = frames[n];
    const replies = [];
    const reply = (settled) => replies.push(settled);
    for (const call of decodeCalls(frame)) dispatcher.dispatch(call, execution, reply);
    while (replies.length < CALLS) await turn();
    sink += encodeReplies(replies).length;
    execution.succeed('1000', [], false);
    await execution.promise;
  };
  for (let n = 0; n < 50; n++) await script(n);
  const before = process.cpuUsage();
  for (let n = 50; n < 50 + SCRIPTS; n++) await script(n);
  const { user, system } = process.cpuUsage(before);
  return { usPerCall: (user + system) / (SCRIPTS * CALLS), sink };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measure(process.argv[3])));
} else {
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const sides = process.argv[2] === undefined ? [['this', here]] : [['other', resolve(process.argv[2])], ['this', here]];
  const rounds = Number(process.argv[3] ?? 20);
  const samples = Object.fromEntries(sides.map(([side]) => [side, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [side, dir] of sides) samples[side].push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], { encoding: 'utf8' })).usPerCall);
  }
  for (const [side] of sides) console.log(`${side}: ${median(samples[side]).toFixed(3)} us of host CPU per call (median of ${rounds}; ${samples[side].map((v) => v.toFixed(2)).join(' ')})`);
  if (sides.length === 2) console.log(`other/this: ${(median(samples.other) / median(samples.this)).toFixed(2)}x`);
}
