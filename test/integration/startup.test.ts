// Cold start of the default isolation (issue 13, W4): the pool process is forked inside
// createEngine, so the first script never waits for a fork of its own; close() right after
// createEngine stops that process without waiting for it to start, and lets the host exit;
// a pool process that cannot start gives each script a typed error; the pool process starts
// without what it does not need (NODE_EXTRA_CA_CERTS), and the first result's cold work (the
// tokenizer, ICU's segmenter data) is done one macrotask after createEngine. Each host runs
// in its own subprocess, so the pool processes it sees under it are its own (/proc: Linux only).
import { describe, expect, it } from 'vitest';
import { runHost } from './host-run.js';

describe.skipIf(process.platform !== 'linux')('cold start of the pool process', () => {
  it('forks the pool process inside createEngine, and the first execute starts no other', async () => {
    const { code, killed, out } = await runHost(`
      const engine = createEngine({ catalog: new ToolCatalog(), threads: 1 });
      const atCreate = poolProcesses();
      const started = [];
      engine.on('pool:process-started', (event) => started.push(event.pid));
      const { value } = await engine.execute('return 1;');
      const afterFirst = poolProcesses();
      await engine.close();
      print({ atCreate, started, afterFirst, value });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out.value).toBe(1);
    expect(out.atCreate).toHaveLength(1);
    expect(out.started).toEqual(out.atCreate);
    expect(out.afterFirst).toEqual(out.atCreate);
  });

  it('starts the pool process without NODE_EXTRA_CA_CERTS, which Node 20 would load before anything runs, and keeps the rest of the environment', async () => {
    const { code, killed, out } = await runHost(`
      process.env.NODE_EXTRA_CA_CERTS = ${JSON.stringify(new URL(import.meta.url).pathname)};
      process.env.TOOLWEAVER_STARTUP_TEST = 'kept';
      const engine = createEngine({ catalog: new ToolCatalog(), threads: 1 });
      const [pid] = poolProcesses();
      const environment = readFileSync('/proc/' + pid + '/environ', 'utf8').split('\\0').map((entry) => entry.split('=')[0]);
      const { value } = await engine.execute('return 1;');
      await engine.close();
      print({ value, extraCerts: environment.includes('NODE_EXTRA_CA_CERTS'), kept: environment.includes('TOOLWEAVER_STARTUP_TEST') });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out).toEqual({ value: 1, extraCerts: false, kept: true });
  });

  it.each([
    ['process', false],
    ['in-process', true],
  ])('warms the tokenizer (and in the threads\' process, ICU\'s segmenter data) one macrotask after createEngine (isolation %s), never at import', async (isolation, segmenterInHost) => {
    const { code, killed, out } = await runHost(`
      const { tokenCounterWarmedUp } = await import(${JSON.stringify(new URL('../../dist/tokens.js', import.meta.url).href)});
      const { isSegmenterDataLoaded } = await import(${JSON.stringify(new URL('../../dist/pool/warm-up.js', import.meta.url).href)});
      const state = () => ({ tokenizer: tokenCounterWarmedUp(), segmenter: isSegmenterDataLoaded() });
      const atImport = state();
      const engine = createEngine({ catalog: new ToolCatalog(), threads: 1, isolation: ${JSON.stringify(isolation)} });
      const inCreateEngine = state();
      await new Promise((resolve) => setImmediate(resolve));
      const nextTurn = state();
      const { value } = await engine.execute('return 1;');
      await engine.close();
      print({ atImport, inCreateEngine, nextTurn, value });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out).toEqual({
      atImport: { tokenizer: false, segmenter: false },
      inCreateEngine: { tokenizer: false, segmenter: false },
      nextTurn: { tokenizer: true, segmenter: segmenterInHost },
      value: 1,
    });
  });

  it('closes right after createEngine without waiting for the pool process to start: it is gone when close() resolves, and the host exits on its own', async () => {
    const { code, killed, out } = await runHost(`
      const engine = createEngine({ catalog: new ToolCatalog() });
      const atCreate = poolProcesses();
      const started = [];
      engine.on('pool:process-started', (event) => started.push(event.pid));
      await engine.close();
      print({ atCreate, started, aliveAfterClose: atCreate.filter(alive), underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out.atCreate).toHaveLength(1);
    // Stopped before it was ever ready: close() did not wait for a whole start.
    expect(out.started).toEqual([]);
    expect(out.aliveAfterClose).toEqual([]);
    expect(out.underHost).toEqual([]);
  });

  it.each([
    ['a pool process that exits before it is ready', "(_path, _args, options) => original('--eval', ['process.exit(1)'], options)"],
    ['a fork that throws', "() => { throw Object.assign(new Error('spawn EAGAIN'), { code: 'EAGAIN' }); }"],
  ])('gives every script a typed error when the pool process cannot start (%s), and closes cleanly', async (_name, fork) => {
    const { code, killed, out } = await runHost(`
      import childProcess from 'node:child_process';
      import { syncBuiltinESMExports } from 'node:module';
      const original = childProcess.fork;
      childProcess.fork = ${fork};
      syncBuiltinESMExports();
      const engine = createEngine({ catalog: new ToolCatalog(), threads: 1 });
      const errors = await Promise.all(['return 1;', 'return 2;'].map((script) => engine.execute(script).then(
        () => ({ typed: false, code: 'resolved' }),
        (error) => ({ typed: error instanceof ToolWeaverError, code: error.code, sideEffectsPossible: error.sideEffectsPossible }),
      )));
      await engine.close();
      print({ errors, underHost: poolProcesses() });
    `);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(out.errors).toEqual([
      { typed: true, code: 'ERR_WORKER_CRASHED', sideEffectsPossible: false },
      { typed: true, code: 'ERR_WORKER_CRASHED', sideEffectsPossible: false },
    ]);
    expect(out.underHost).toEqual([]);
  });
});
