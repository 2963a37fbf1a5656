import { describe, expect, it } from 'vitest';
import { Journal, ReplayBudget, type Answer, type JournalEntry } from '../../src/dispatch/journal.js';

const ok = (resultJson: string): Answer => ({ ok: true, resultJson, bytes: resultJson.length });

/** Records one call of the current run and answers it. */
function record(journal: Journal, tool: string, argsJson: string, answer: Answer): JournalEntry {
  const taken = journal.take(tool, argsJson);
  if (!('record' in taken) || taken.record === undefined) throw new Error(`expected a new entry, got ${JSON.stringify(taken)}`);
  journal.settle(taken.record, answer);
  return taken.record;
}

function answerOf(journal: Journal, taken: ReturnType<Journal['take']>): Answer | undefined {
  if (!('replay' in taken)) return undefined;
  let answer: Answer | undefined;
  journal.whenAnswered(taken.replay, (given) => (answer = given));
  return answer;
}

describe('Journal', () => {
  it('matches a re-run call by tool, arguments and occurrence, in any order', () => {
    const journal = new Journal(new ReplayBudget(1_000));
    record(journal, 'next', '[]', ok('1'));
    record(journal, 'next', '[]', ok('2'));
    record(journal, 'get', '[1]', ok('"a"'));
    record(journal, 'get', '[2]', ok('"b"'));
    journal.rerun();
    expect(journal.owed).toBe(4);
    expect(answerOf(journal, journal.take('get', '[2]'))).toEqual(ok('"b"'));
    expect(answerOf(journal, journal.take('next', '[]'))).toEqual(ok('1'));
    expect(answerOf(journal, journal.take('get', '[1]'))).toEqual(ok('"a"'));
    expect(answerOf(journal, journal.take('next', '[]'))).toEqual(ok('2'));
    expect(journal.owed).toBe(0);
    expect(journal.replayed).toBe(4);
    // Past what the lost run made, calls are new again.
    expect('record' in journal.take('next', '[]')).toBe(true);
    expect(journal.size).toBe(5);
  });

  it('hands an answer that comes in after the re-run asked for it to the re-run', () => {
    const journal = new Journal(new ReplayBudget(1_000));
    const taken = journal.take('slow', '[]');
    if (!('record' in taken) || taken.record === undefined) throw new Error('expected a new entry');
    journal.rerun();
    const replay = journal.take('slow', '[]');
    const seen: Answer[] = [];
    if ('replay' in replay) journal.whenAnswered(replay.replay, (answer) => seen.push(answer));
    expect(seen).toEqual([]);
    journal.settle(taken.record, ok('"done"'));
    expect(seen).toEqual([ok('"done"')]);
  });

  it('reports a re-run that calls a tool still owing calls with other arguments as diverged', () => {
    const journal = new Journal(new ReplayBudget(1_000));
    record(journal, 'log', '[{"at":1}]', ok('true'));
    record(journal, 'get', '[1]', ok('1'));
    journal.rerun();
    expect(journal.take('log', '[{"at":2}]')).toEqual({ diverged: 'arguments' });
    // A tool whose calls are all made again, or never made, takes new calls.
    expect('replay' in journal.take('get', '[1]')).toBe(true);
    expect('record' in journal.take('get', '[2]')).toBe(true);
    expect('record' in journal.take('other', '[]')).toBe(true);
    expect(journal.owed).toBe(1);
  });

  it('counts every run: calls of the first run are owed by the third', () => {
    const journal = new Journal(new ReplayBudget(1_000));
    record(journal, 'a', '[]', ok('1'));
    journal.rerun();
    expect('replay' in journal.take('a', '[]')).toBe(true);
    record(journal, 'b', '[]', ok('2'));
    journal.rerun();
    expect(journal.owed).toBe(2);
    expect('replay' in journal.take('b', '[]')).toBe(true);
    expect(journal.owed).toBe(1);
  });

  it('stops recording, and is incomplete, once the budget is spent; an answer it could not keep is diverged', () => {
    const budget = new ReplayBudget(10);
    const journal = new Journal(budget);
    const big = journal.take('big', '[]');
    if (!('record' in big) || big.record === undefined) throw new Error('expected a new entry');
    journal.settle(big.record, ok('"0123456789"'));
    expect(journal.complete).toBe(false);
    expect(journal.take('small', '[]')).toEqual({ record: undefined });
    journal.rerun();
    expect(journal.take('big', '[]')).toEqual({ diverged: 'dropped' });
  });

  it('gives its characters back to the engine budget when released', () => {
    const budget = new ReplayBudget(16);
    const first = new Journal(budget);
    record(first, 'get', '[1]', ok('"0123456789"'));
    const second = new Journal(budget);
    expect(second.take('get', '[1]')).toEqual({ record: undefined });
    first.release();
    const third = new Journal(budget);
    expect('record' in third.take('get', '[1]') && third.complete).toBe(true);
  });
});
