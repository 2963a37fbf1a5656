// prewarmPool (issue 13, W4): a pool process started before createEngine is adopted by the
// next process-isolation engine of the same shape, instead of a fork; one nobody adopts is
// ended by its handle's close(), or goes with the host, which it never keeps alive (claim 11,
// "Closing leaves nothing behind"). Hosts run in their own subprocess (host-run.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prewarmPool } from 'toolweaver';
import { runHost } from './host-run.js';

/** The example of docs/api.md's prewarmPool section, without its import (the host prelude has it). */
function apiExample(): string {
  const api = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const block = /```js\n(import \{ createEngine, prewarmPool, ToolCatalog \} from 'toolweaver';[\s\S]*?)```/.exec(api);
  if (block === null) throw new Error('docs/api.md: the prewarmPool example is gone');
  return block[1]!.replace(/^import .*$/m, '');
}

/** Waits until `pid` is gone, for at most 5 s; true if it went. */
async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe.skipIf(process.platform !== 'linux')('prewarmPool', () => {
  it('is adopted by the next engine of the same shape: no fork of its own, and engine.close() ends it', async () => {
    const { code, killed, out } = await runHost(`
      const warm = prewarmPool({ threads: 1 });
      const atPrewarm = poolProcesses();
      const catalog = new ToolCatalog();
      catalog.register({ name: 'double', description: 'Twice n.', input: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }, handler: ({ n }) => 2 * n });
      const engine = createEngine({ catalog, threads: 1 });
      const started = [];
      engine.on('pool:process-started', (event) => started.push(event.pid));
      // A tool call: the adopted process gets the catalog's setup like a forked one.
      const { value } = await engine.execute('return (await double({ n: 0.5 })) + (await double(0));');
      const afterFirst = poolProcesses();
      const adopted = warm.adopted;
      await warm.close();
      const aliveAfterHandleClose = alive(warm.pid);
      await engine.close();
      print({ pid: warm.pid, atPrewarm, started, afterFirst, value, adopted, aliveAfterHandleClose, aliveAfterClose: alive(warm.pid), underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out.atPrewarm).toEqual([out.pid]);
    expect(out).toMatchObject({ started: [out.pid], afterFirst: [out.pid], value: 1, adopted: true, aliveAfterHandleClose: true, aliveAfterClose: false, underHost: [] });
  });

  it('is not adopted by an engine of another shape or isolation, and its close() ends it', async () => {
    const { code, killed, out } = await runHost(`
      const warm = prewarmPool({ threads: 1 });
      const other = createEngine({ catalog: new ToolCatalog(), threads: 2 });
      const inProcess = createEngine({ catalog: new ToolCatalog(), threads: 1, isolation: 'in-process' });
      const results = [await other.execute('return 1;'), await inProcess.execute('return 2;')].map((result) => result.value);
      const underHost = poolProcesses();
      await Promise.all([other.close(), inProcess.close()]);
      const adopted = warm.adopted;
      const aliveBeforeClose = alive(warm.pid);
      await warm.close();
      print({ pid: warm.pid, results, poolsWhileOpen: underHost.length, adopted, aliveBeforeClose, aliveAfterClose: alive(warm.pid), underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out).toMatchObject({ results: [1, 2], poolsWhileOpen: 2, adopted: false, aliveBeforeClose: true, aliveAfterClose: false, underHost: [] });
  });

  it('closed before any engine, it is gone and the next engine forks its own', async () => {
    const { code, killed, out } = await runHost(`
      const warm = prewarmPool({ threads: 1 });
      await warm.close();
      const aliveAfterClose = alive(warm.pid);
      const engine = createEngine({ catalog: new ToolCatalog(), threads: 1 });
      const started = [];
      engine.on('pool:process-started', (event) => started.push(event.pid));
      const { value } = await engine.execute('return 1;');
      await engine.close();
      print({ pid: warm.pid, aliveAfterClose, value, adoptedOwnPid: started.includes(warm.pid), started: started.length, underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out).toMatchObject({ aliveAfterClose: false, value: 1, adoptedOwnPid: false, started: 1, underHost: [] });
  });

  it('never keeps the host alive, and ends with it when nobody adopts or closes it', async () => {
    const { code, killed, out } = await runHost(`
      const warm = prewarmPool({ threads: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      print({ pid: warm.pid, underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out.underHost).toEqual([out.pid]);
    expect(await gone(out.pid as number)).toBe(true);
  });

  it('runs the example of docs/api.md: the engine adopts the prewarmed process', async () => {
    const { code, killed, out } = await runHost(`
      ${apiExample()}
      const { value } = await engine.execute('return 1;');
      const adopted = warm.adopted;
      const underHost = poolProcesses();
      await engine.close();
      print({ value, adopted, sameProcess: underHost.length === 1 && underHost[0] === warm.pid, underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out).toEqual({ value: 1, adopted: true, sameProcess: true, underHost: [] });
  });

  it('rejects options it does not know, or out of bounds, with ERR_INVALID_OPTIONS and forks nothing', () => {
    for (const options of [{ isolation: 'process' }, { threads: 0 }, { memoryLimitMb: 1.5 }, null]) {
      expect(() => prewarmPool(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    }
  });
});
