import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../src/pool/script-pool.js';

// A thread terminated during Node's synchronous require(esm) instantiation aborts the whole
// process (a fatal V8 error, seen once in CI); pool workers must load through import().
describe('claim: a script cannot kill its thread or the host (worker startup)', () => {
  it('starts pool workers with require(esm) off where Node has it', async () => {
    const execArgv = workerExecArgv();
    if (!process.allowedNodeEnvironmentFlags.has('--experimental-require-module')) {
      expect(execArgv).toBeUndefined();
      return;
    }
    expect(execArgv).toEqual(['--no-experimental-require-module']);
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(process.features.require_module === true)', { eval: true, execArgv });
    const requireModule = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(requireModule).toBe(false);
  });
});
