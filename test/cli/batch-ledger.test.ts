// The books of a CLI batch: a batch whose outcomes do not match the jobs read is reported,
// and the summary counts outcomes by error code.
import { describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../../src/batch/index.js';
import { BatchLedger } from '../../src/cli/batch-ledger.js';
import { ExecutionTimeoutError, ScriptError, ToolWeaverError } from '../../src/errors.js';
import type { JobLine } from '../../src/cli/read-jobs.js';

async function* lines(count: number): AsyncGenerator<JobLine> {
  for (let n = 0; n < count; n++) yield { line: n * 2 + 1, job: { code: 'return 1;' } };
}

async function take(ledger: BatchLedger, count: number): Promise<void> {
  for await (const _ of ledger.jobs(lines(count)));
}

const fulfilled = (index: number): BatchOutcome => ({ id: index, index, status: 'fulfilled', result: { value: 1, output: [], metadata: {} as never } });
const rejected = (index: number, error: ToolWeaverError): BatchOutcome => ({ id: index, index, status: 'rejected', error });

describe('BatchLedger', () => {
  it('balances when every job read has one outcome, and records each job\'s line', async () => {
    const ledger = new BatchLedger('`jobs.jsonl`');
    await take(ledger, 3);
    expect([2, 0, 1].map((index) => ledger.record(fulfilled(index))['line'])).toEqual([5, 1, 3]);
    expect(ledger.imbalance()).toBeUndefined();
  });

  it('reports a batch that ends with fewer outcomes than jobs read', async () => {
    const ledger = new BatchLedger('standard input');
    await take(ledger, 3);
    ledger.record(fulfilled(0));
    ledger.record(fulfilled(1));
    expect(ledger.read).toBe(3);
    expect(ledger.written).toBe(2);
    expect(ledger.imbalance()).toBeDefined();
  });

  it('reports a batch that ran nothing from a non-empty input', async () => {
    const ledger = new BatchLedger('standard input');
    await take(ledger, 50);
    expect(ledger.imbalance()).toBeDefined();
  });

  it('counts outcomes by error code, most frequent first', async () => {
    const ledger = new BatchLedger('`jobs.jsonl`');
    await take(ledger, 5);
    ledger.record(fulfilled(0));
    ledger.record(rejected(1, new ScriptError('Error', 'a', {})));
    ledger.record(rejected(2, new ExecutionTimeoutError(10)));
    ledger.record(rejected(3, new ExecutionTimeoutError(10)));
    ledger.record(fulfilled(4));
    expect(ledger.rejected).toBe(3);
    expect(ledger.summary()).toBe('5 jobs: 2 fulfilled, 3 rejected (ERR_EXECUTION_TIMEOUT 2, ERR_SCRIPT 1)');
  });
});
