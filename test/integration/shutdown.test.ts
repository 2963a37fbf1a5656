import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UNSTOPPABLE_RUNAWAY } from '../helpers.js';

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// A host program that uses the engine hard (a killed thread, an abort, a hanging tool, a
// streaming run), closes it, and then does nothing: it must exit by itself.
const PROGRAM = `
const { createEngine, ToolCatalog } = await import(${JSON.stringify(DIST)});
const catalog = new ToolCatalog()
  .register({ name: 'hang', handler: () => new Promise(() => {}) })
  .register({ name: 'ok', handler: () => 'ok' });
const engine = createEngine({ catalog, threads: 2, killGraceMs: 100, isolation: process.argv[1] });
const controller = new AbortController();
const runs = [
  engine.execute('return await ok()'),
  engine.execute(${JSON.stringify(UNSTOPPABLE_RUNAWAY)}, { timeoutMs: 100 }),
  engine.execute('await hang()', { signal: controller.signal }),
  engine.execute('await hang()', { timeoutMs: 150 }),
];
const settled = Promise.allSettled(runs);
setTimeout(() => controller.abort(), 50);
for await (const event of engine.executeStreaming('print(1); return 2')) {}
const outcomes = await settled;
await engine.close();
console.log(JSON.stringify(outcomes.map((o) => o.status === 'fulfilled' ? o.value.value : o.reason.code)));
`;

describe('claim: closing leaves nothing behind', () => {
  it.each(['process', 'in-process'])('leaves no threads, ports, timers or child processes behind after close() (isolation %s): the process exits on its own', async (isolation) => {
    const { code, stdout, killed } = await new Promise<{ code: number | null; stdout: string; killed: boolean }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', PROGRAM, isolation], { timeout: 20_000 }, (error, stdout) => {
        resolve({ code: child.exitCode, stdout, killed: error?.killed === true || child.signalCode !== null });
      });
    });
    expect(killed).toBe(false);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toEqual(['ok', 'ERR_EXECUTION_TIMEOUT', 'ERR_EXECUTION_ABORTED', 'ERR_EXECUTION_TIMEOUT']);
  });
});
