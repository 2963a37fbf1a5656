// The channel between the host and the pool process, outside the engine: two processes
// ping-pong the batches a workload sends, over the IPC channel as JSON (the old channel) and
// over a pipe as frames (src/pool/frames.ts, process-wire.ts), and report the CPU time of each
// side per round trip (process.cpuUsage, steadier than wall time on a shared machine).
// Shapes: W3 (two reply frames of 20 get_expenses results for two scripts each; calls frames
// and an outcome back), W1 (8 runs; 8 outcomes back). Imports the build.
// Usage: npm run build && node bench/channel.mjs [W1|W3] [round trips=2000] [alternations=2]
import { fork } from 'node:child_process';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeReplies } from '../dist/call-frame.js';
import { createFrameReader } from '../dist/pool/frames.js';
import { decodeChildFrame, decodeHostFrame, encodeChildBatch, encodeHostBatch } from '../dist/pool/process-wire.js';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';

const [shape = 'W3', roundsArg = '2000', alternationsArg = '2'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const role = process.argv.find((arg) => arg.startsWith('--child='))?.slice('--child='.length);

/** What the host sends and what the pool process answers, per round trip. */
async function batchesOf(name) {
  const definitions = createFixtureToolDefinitions({ latencyMs: 0 }).definitions;
  const handler = (tool) => definitions.find((definition) => definition.name === tool).handler;
  const team = await handler('get_team_members')({});
  if (name === 'W1') {
    const code = '(async () => {\n"use strict";\nreturn 1;\n})()';
    return {
      host: Array.from({ length: 8 }, (_, i) => ({ type: 'run', task: { executionId: `tw-k3j4h5-${i}`, slot: i + 1, code, contextJson: undefined, deadlineAt: 123_456.789, streamOutput: false }, setupKey: 1 })),
      child: Array.from({ length: 8 }, (_, i) => ({ type: 'settled', slot: i + 1, outcome: { ok: true, valueJson: '1', output: [], outputTruncated: false } })),
    };
  }
  const host = [];
  for (let threadId = 1; threadId <= 2; threadId++) {
    const replies = [];
    for (let script = 0; script < 2; script++) {
      for (let i = 0; i < 20; i++) replies.push({ executionId: `tw-abcdef-${threadId}-${script}`, callId: i + 2, ok: true, resultJson: JSON.stringify(await handler('get_expenses')({ memberId: team[i].id, quarter: 'Q3' })) });
    }
    host.push({ type: 'post', threadId, message: { type: 'replies', frame: encodeReplies(replies) } });
  }
  const calls = JSON.stringify(['tw-abcdef-1-0', 3, 20, ...team.flatMap((member, i) => [i + 2, 'get_expenses', JSON.stringify([member.id, 'Q3'])])]);
  const outcome = { ok: true, valueJson: JSON.stringify(team.slice(0, 6).map((member) => ({ name: member.name, total: 12_345 }))), output: ['6 of 20 people spent more than $10,000 in Q3'], outputTruncated: false };
  const child = [1, 2].map((threadId) => ({ type: 'worker', threadId, message: { type: 'calls', frame: calls } }));
  return { host, child: [...child, { type: 'settled', slot: 5, outcome }] };
}

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

if (role !== undefined) {
  // The pool process's side: answers each batch; 'cpu' on the IPC channel asks for its CPU time.
  const { child: answer } = await batchesOf(shape);
  process.on('disconnect', () => process.exit(0));
  if (role === 'json') {
    process.on('message', (batch) => {
      if (batch === 'cpu') return process.send({ cpu: cpuUs() });
      process.send(answer);
    });
  } else {
    const channel = new Socket({ fd: 4, readable: true, writable: true });
    const reader = createFrameReader((kind, id, body) => decodeHostFrame(kind, id, body));
    channel.on('data', (chunk) => {
      reader.push(chunk);
      channel.write(encodeChildBatch(answer));
    });
    process.on('message', (message) => message === 'cpu' && process.send({ cpu: cpuUs() }));
  }
} else {
  const { host } = await batchesOf(shape);
  const rounds = Number(roundsArg);
  for (let alternation = 0; alternation < Number(alternationsArg); alternation++) {
    for (const channelKind of ['json', 'frames']) {
      const child = fork(fileURLToPath(import.meta.url), [shape, `--child=${channelKind}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'], serialization: 'json' });
      let answered = () => {};
      if (channelKind === 'json') child.on('message', (message) => Array.isArray(message) && answered());
      else {
        const reader = createFrameReader((kind, id, body) => decodeChildFrame(kind, id, body));
        child.stdio[4].on('data', (chunk) => {
          reader.push(chunk);
          answered();
        });
      }
      const roundTrip = () => new Promise((resolve) => {
        answered = resolve;
        if (channelKind === 'json') child.send(host);
        else child.stdio[4].write(encodeHostBatch(host));
      });
      const childCpu = () => new Promise((resolve) => {
        child.once('message', (message) => resolve(message.cpu));
        child.send('cpu');
      });
      for (let i = 0; i < 300; i++) await roundTrip();
      const [childBefore, hostBefore] = [await childCpu(), cpuUs()];
      for (let i = 0; i < rounds; i++) await roundTrip();
      const [hostAfter, childAfter] = [cpuUs(), await childCpu()];
      console.log(`${shape} ${channelKind.padEnd(6)} host ${((hostAfter - hostBefore) / rounds).toFixed(1)} us, pool process ${((childAfter - childBefore) / rounds).toFixed(1)} us per round trip`);
      child.disconnect();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}
