// Owns the replay journal of one execution: the answer of every tool call it made, kept on
// the host so that a re-run after its thread (or pool process) died gets those answers back
// instead of calling the tools again. Never calls a handler; the dispatcher does.

import type { FailedCall } from './call-site.js';

/** A call's answer as the script saw it, without the ids of the run that asked. */
export type Answer =
  | { ok: true; resultJson: string | undefined; bytes: number }
  | { ok: false; message: string; failed: FailedCall | undefined };

/** A call of an earlier run kept outside the engine (a queue's record in Redis). */
export interface RecordedCall {
  readonly tool: string;
  readonly argsJson: string;
  /** Undefined when its handler may have run but no answer was kept (its host died first). */
  readonly answer: Answer | undefined;
}

/** Hears of every new (not replayed) call of an execution, to keep a record outside the engine. */
export interface JournalSink {
  /** A new call: its handler waits for `ready` (a rejection fails the call unrun); `settle` gets its answer once. */
  open(tool: string, argsJson: string): { ready: Promise<void> | undefined; settle(answer: Answer): void };
}

/** One recorded call. `answer` stays undefined while its handler runs. */
export interface JournalEntry {
  readonly tool: string;
  readonly argsJson: string;
  answer: Answer | undefined;
  /** The answer was not kept (the budget was spent): it cannot be replayed. */
  dropped: boolean;
  /** Replayed calls of a later run waiting for the handler to finish. */
  waiters: Array<(answer: Answer) => void> | undefined;
}

/** Characters of arguments and answers all journals of one engine may hold at once. */
export class ReplayBudget {
  #left: number;
  constructor(chars: number) {
    this.#left = chars;
  }
  take(chars: number): boolean {
    if (chars > this.#left) return false;
    this.#left -= chars;
    return true;
  }
  give(chars: number): void {
    this.#left += chars;
  }
}

/**
 * Calls are matched by tool, arguments and occurrence: a run's n-th call of `tool` with
 * arguments `argsJson` is the n-th such call of every earlier run. Order across different
 * calls is free, so a re-run whose concurrent calls come back in another order still matches.
 */
export class Journal {
  readonly #budget: ReplayBudget;
  /** Every call of every run, in the order made. */
  #log: JournalEntry[] = [];
  /** Undefined during the first run (most executions): built at each re-run. */
  #rerun: RerunState | undefined;
  #size = 0;
  #chars = 0;
  #owed = 0;
  #replayed = 0;
  #complete = true;
  #released = false;
  /** Set for executions whose calls are also recorded outside the engine. */
  sink: JournalSink | undefined;

  constructor(budget: ReplayBudget) {
    this.#budget = budget;
  }

  /** Every call made so far is recorded with its answer (or its handler is still running). */
  get complete(): boolean {
    return this.#complete;
  }

  /** Calls recorded over every run. */
  get size(): number {
    return this.#size;
  }

  /** Calls of earlier runs this run has not made (yet): their effects are not accounted for. */
  get owed(): number {
    return this.#owed;
  }

  /** Calls of this run answered from the journal. */
  get replayed(): number {
    return this.#replayed;
  }

  /** True from the first re-run on: calls go through `take`; a first run only `record`s. */
  get replaying(): boolean {
    return this.#rerun !== undefined;
  }

  /** Starts a re-run: every recorded call is owed until the new run makes it again. */
  rerun(): void {
    const state: RerunState = { earlier: new Map(), cursor: new Map(), owedByTool: new Map() };
    for (const entry of this.#log) {
      const byArgs = mapOf(state.earlier, entry.tool);
      const list = byArgs.get(entry.argsJson);
      if (list === undefined) byArgs.set(entry.argsJson, [entry]);
      else list.push(entry);
      state.owedByTool.set(entry.tool, (state.owedByTool.get(entry.tool) ?? 0) + 1);
    }
    this.#rerun = state;
    this.#owed = this.#log.length;
    this.#replayed = 0;
  }

  /**
   * Loads the calls of runs on other hosts (a re-delivered queue job) and starts a re-run
   * against them, as after a lost thread. False when they do not fit the budget.
   */
  seed(calls: readonly RecordedCall[]): boolean {
    for (const { tool, argsJson, answer } of calls) {
      const chars = argsJson.length + (answer === undefined ? 0 : answer.ok ? (answer.resultJson?.length ?? 0) : answer.message.length);
      if (!this.#budget.take(chars)) {
        this.#complete = false;
        return false;
      }
      this.#chars += chars;
      this.#size++;
      // No answer kept: the call may have had its effect, so a re-run reaching it diverges.
      this.#log.push({ tool, argsJson, answer, dropped: answer === undefined, waiters: undefined });
    }
    if (calls.length > 0) this.rerun();
    return true;
  }

  /**
   * Takes this run's next call of `tool` with `argsJson`: the earlier run's entry for it, to
   * replay; `diverged` when this run calls a tool that still owes calls of an earlier run
   * with other arguments (it took another path: a timestamp or a random number in the
   * arguments, say), or when that entry's answer was not kept; otherwise a new entry, as
   * `record` gives.
   */
  take(tool: string, argsJson: string): { replay: JournalEntry } | { record: JournalEntry | undefined } | { diverged: 'arguments' | 'dropped' } {
    const state = this.#rerun;
    if (state === undefined) return { record: this.record(tool, argsJson) };
    const counts = mapOf(state.cursor, tool);
    const seen = counts.get(argsJson) ?? 0;
    const earlier = state.earlier.get(tool)?.get(argsJson)?.[seen];
    const owedHere = state.owedByTool.get(tool) ?? 0;
    if (earlier?.dropped === true) return { diverged: 'dropped' };
    if (earlier === undefined && owedHere > 0) return { diverged: 'arguments' };
    counts.set(argsJson, seen + 1);
    if (earlier !== undefined) {
      this.#owed--;
      state.owedByTool.set(tool, owedHere - 1);
      this.#replayed++;
      return { replay: earlier };
    }
    return { record: this.record(tool, argsJson) };
  }

  /**
   * Records a new call of this run (the whole of a first run's bookkeeping, on the hot path of
   * every tool call). Undefined when the budget is spent: the journal is then incomplete, and
   * the execution is not re-run again.
   */
  record(tool: string, argsJson: string): JournalEntry | undefined {
    if (this.#released || !this.#complete || !this.#budget.take(argsJson.length)) {
      this.#complete = false;
      return undefined;
    }
    this.#chars += argsJson.length;
    this.#size++;
    const entry: JournalEntry = { tool, argsJson, answer: undefined, dropped: false, waiters: undefined };
    this.#log.push(entry);
    return entry;
  }

  /** The handler of `entry` answered: keep the answer (within budget) and hand it to waiters. */
  settle(entry: JournalEntry, answer: Answer): void {
    const chars = answer.ok ? (answer.resultJson?.length ?? 0) : answer.message.length;
    if (!this.#released && this.#budget.take(chars)) {
      this.#chars += chars;
      entry.answer = answer;
    } else {
      entry.dropped = true;
      this.#complete = false;
    }
    const waiters = entry.waiters;
    entry.waiters = undefined;
    for (const waiter of waiters ?? []) waiter(answer);
  }

  /** Calls `deliver` with the entry's answer, now or when its handler finishes. */
  whenAnswered(entry: JournalEntry, deliver: (answer: Answer) => void): void {
    if (entry.answer !== undefined) deliver(entry.answer);
    else (entry.waiters ??= []).push(deliver);
  }

  /** The execution ended: give the budget back; nothing is recorded after this. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#budget.give(this.#chars);
    this.#chars = 0;
    this.#log = [];
    this.#rerun = undefined;
  }
}

/** What a re-run matches its calls against. */
interface RerunState {
  /** The entries of the runs before it, by tool and arguments, in call order. */
  earlier: Map<string, Map<string, JournalEntry[]>>;
  /** This run's calls so far, per tool and arguments. */
  cursor: Map<string, Map<string, number>>;
  /** Calls of earlier runs this run has not made yet, per tool. */
  owedByTool: Map<string, number>;
}

function mapOf<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key);
  if (inner === undefined) outer.set(key, (inner = new Map()));
  return inner;
}
