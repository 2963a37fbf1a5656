// Owns the life of each admitted execution on the pool: the admission queue (ours, not
// piscina's, so a queued script can be aborted and at most `capacity` sit on the threads),
// time limits, stopping, the watchdog's verdicts, and what happens when a thread dies.
// Never validates or dispatches; the engine hands it ready tasks.
// Longer than our usual file: the queues, the suspects' lane and the loss rules share each
// slot's state, and splitting them would pass that state around.

import { ExecutionTimeoutError, MemoryLimitError, WorkerCrashedError, type ToolWeaverError } from './errors.js';
import type { Execution } from './execution.js';
import { Fifo } from './fifo.js';
import { sharedNowMs } from './shared-clock.js';
import { lossOf, type PoolEventHandler, type ScriptPool } from './pool/index.js';
import type { RunOutcome, RunTask } from './protocol.js';
import { createWatchdog, type Watchdog } from './watchdog.js';

/**
 * How long a stopped execution waits for its worker to hand back the output gathered so
 * far before it settles without it (a responsive worker answers a cancel within ~1 ms).
 */
const STOP_OUTPUT_WAIT_MS = 20;

/**
 * Re-runs of a script whose thread died under another script. The issue asked for one; under
 * churn (several threads dying in a row) an innocent script can lose its thread repeatedly,
 * and re-running it is safe (tool-free, or its calls replayed). The bound only stops a livelock.
 */
const MAX_RERUNS = 10;

/** One admitted execution and its task. */
export interface Slot {
  execution: Execution;
  task: RunTask;
  timer?: NodeJS.Timeout;
  /** The number the worker writes to its culprit slot while running this script. */
  number?: number;
  /** Times it was holding a CPU when the pool process died. */
  suspicions?: number;
  /** Back in the queue after losing its thread: keep it registered. */
  requeued?: boolean;
  /** Detaches the caller's abort listener. */
  unwatch?: () => void;
  /** Resolves when the worker is done with the task (or its thread died). */
  running?: Promise<void>;
  /** Shared-clock time its time limit stopped counting (a call waits for approval). */
  pausedAt?: number;
}

export class Scheduler {
  readonly #pool: ScriptPool;
  readonly #memoryLimitMb: number;
  readonly #watchdog: Watchdog;
  readonly #slots = new Map<string, Slot>();
  readonly #queue = new Fifo<Slot>();
  /** Scripts busy when the pool process died, waiting to run again one at a time. */
  readonly #suspects = new Fifo<Slot>();
  /** The suspect running now: never beside another, so the next death can name it. */
  #isolated: Slot | undefined;
  readonly #bySlot = new Map<number, Slot>();
  #running = 0;
  #lastSlot = 0;

  constructor(pool: ScriptPool, options: { killGraceMs: number; memoryLimitMb: number; onPoolEvent?: PoolEventHandler }) {
    this.#pool = pool;
    this.#memoryLimitMb = options.memoryLimitMb;
    const onPoolEvent = options.onPoolEvent ?? (() => {});
    const onTerminate = ({ threadId, culprit }: { threadId: number; culprit: number }): void => onPoolEvent({ type: 'runaway-terminated', threadId, executionId: this.#bySlot.get(culprit)?.execution.executionId });
    this.#watchdog = createWatchdog(pool, options.killGraceMs, (culprit) => this.#judge(culprit), onTerminate);
    pool.onPlacementResumed(() => this.#pump());
  }

  /**
   * The execution registered under `executionId`. With `run`, only if that is its current
   * run: a message a dead thread posted before it died must not reach a re-run execution
   * (its tool call would then happen twice).
   */
  executionOf(executionId: string, run?: number): Execution | undefined {
    const slot = this.#slots.get(executionId);
    if (slot === undefined || (run !== undefined && slot.number !== run)) return undefined;
    return slot.execution;
  }

  /** Every execution not yet forgotten. */
  executions(): Execution[] {
    return [...this.#slots.values()].map((slot) => slot.execution);
  }

  /** Registers a slot; call `admit` once its caller's signal is watched. */
  register(slot: Slot): void {
    this.#slots.set(slot.execution.executionId, slot);
  }

  admit(slot: Slot): void {
    this.#queue.push(slot);
    this.#pump();
  }

  /** Resolves when every registered task is done and no stop is in progress. */
  async drain(): Promise<void> {
    // Wait on tasks, not outcomes: a stopped execution settles before its task is done.
    while (this.#slots.size > 0) await Promise.allSettled([...this.#slots.values()].map((slot) => slot.running ?? slot.execution.promise));
    await this.#watchdog.idle();
  }

  /**
   * Ends an execution from the main side (timeout, abort, tool-call limit, forced close).
   * A running script is cancelled in its worker and settles when the worker hands back
   * its output, or after STOP_OUTPUT_WAIT_MS; the watchdog ends the thread if it is stuck.
   */
  end(execution: Execution, error: ToolWeaverError): void {
    if (execution.ended) return;
    const running = this.#slots.get(execution.executionId)?.running;
    if (running === undefined) return execution.fail(error);
    execution.stop(error);
    this.#watchdog.stop(execution.executionId, error instanceof ExecutionTimeoutError ? 'timeout' : 'aborted', running);
    setTimeout(() => execution.fail(error), STOP_OUTPUT_WAIT_MS).unref();
  }

  /**
   * Stops `execution`'s time limit from counting: a call waits for approval, and waiting
   * is not script time. Its host timer stops; the deadline moves on `resumeClock`.
   */
  pauseClock(execution: Execution): void {
    const slot = this.#slots.get(execution.executionId);
    if (slot === undefined || slot.pausedAt !== undefined) return;
    clearTimeout(slot.timer);
    slot.pausedAt = sharedNowMs();
  }

  /** The time limit counts again, its deadline moved by the pause; the worker hears of it with the next reply. */
  resumeClock(execution: Execution): void {
    const slot = this.#slots.get(execution.executionId);
    if (slot === undefined || slot.pausedAt === undefined) return;
    const now = sharedNowMs();
    slot.task.deadlineAt += now - slot.pausedAt;
    slot.pausedAt = undefined;
    if (execution.ended || slot.running === undefined) return;
    execution.deadlineUpdate = slot.task.deadlineAt;
    this.#armTimer(slot, slot.task.deadlineAt - now);
  }

  /** Called by every Execution when it ends: clears its timer and forgets a queued one. */
  onEnded(execution: Execution): void {
    const slot = this.#slots.get(execution.executionId);
    if (slot === undefined) return;
    clearTimeout(slot.timer);
    slot.unwatch?.();
    // A queued execution never started: forget it now. A running one leaves when its task does.
    if (slot.running === undefined) this.#slots.delete(execution.executionId);
  }

  #pump(): void {
    while (this.#running < this.#pool.capacity && !this.#pool.placementPaused) {
      const slot = this.#next();
      if (slot === undefined) return;
      if (!slot.execution.ended) this.#start(slot);
    }
  }

  /** The next script to place: a waiting suspect first, if none is running. */
  #next(): Slot | undefined {
    while (this.#isolated === undefined && this.#suspects.length > 0) {
      const suspect = this.#suspects.shift()!;
      if (!suspect.execution.ended) return (this.#isolated = suspect);
    }
    return this.#queue.shift();
  }

  #start(slot: Slot): void {
    const { execution } = slot;
    this.#running++;
    // Slot numbers are small positive int32s; wrapping after 2^31 runs cannot collide with
    // a live run (at most `capacity` are live).
    const number = (this.#lastSlot = (this.#lastSlot % 0x7fffffff) + 1);
    slot.number = number;
    slot.task.slot = number;
    this.#bySlot.set(number, slot);
    slot.task.deadlineAt = sharedNowMs() + execution.timeoutMs;
    // A re-run that starts while a call of its lost run still waits for approval runs its
    // clock from when that wait ends.
    if (execution.clockPaused) slot.pausedAt = sharedNowMs();
    else this.#armTimer(slot, execution.timeoutMs);
    slot.running = this.#pool
      .run(slot.task)
      .then(
        (outcome) => onOutcome(execution, outcome),
        (error: unknown) => this.#onTaskLost(slot, error),
      )
      .finally(() => {
        this.#running--;
        this.#bySlot.delete(number);
        if (this.#isolated === slot) this.#isolated = undefined;
        if (slot.requeued === true) slot.requeued = false;
        else this.#slots.delete(execution.executionId);
        this.#pump();
      });
  }

  #armTimer(slot: Slot, ms: number): void {
    const { execution } = slot;
    slot.timer = setTimeout(() => this.end(execution, new ExecutionTimeoutError(execution.timeoutMs)), Math.max(0, ms));
  }

  /**
   * The thread (or pool process) running `slot` died. A script stopped by us keeps its stop
   * error (the culprit's timeout); the one running alone when memory ran out gets
   * MemoryLimitError. A script busy when the pool process died for another reason, or
   * beside other busy scripts, is a suspect: it runs again with no other suspect beside it,
   * and is blamed if it is busy at a second death while so isolated. A script that made no
   * tool call, or whose calls are all in its journal, runs again (its calls answered from
   * the journal), up to MAX_RERUNS times. Any other gets WorkerCrashedError.
   */
  #onTaskLost(slot: Slot, error: unknown): void {
    const { execution } = slot;
    if (execution.stopError !== undefined) return execution.fail(execution.stopError);
    const loss = lossOf(error);
    // SECURITY: "A script that exhausts its memory fails alone": the culprit slot of the
    // dead thread, or the pool process's samples showing this script alone holding a CPU,
    // name the script that was running when the limit was reached. It is never re-run.
    if (loss.running === 'yes' && loss.reason === 'out-of-memory') return execution.fail(new MemoryLimitError(this.#memoryLimitMb, { cause: error }));
    if (loss.running !== 'no') slot.suspicions = (slot.suspicions ?? 0) + 1;
    // Busy at a first death beside another busy script proves little (a long innocent script
    // beside a bomb); busy again when no other suspect ran beside it, and the only script
    // busy at that death, it is the likeliest cause. Busy beside a script that was not a
    // suspect (a fresh bomb placed beside it), it is no more guilty than at its first death.
    if (loss.running === 'yes' && this.#isolated === slot && (slot.suspicions ?? 0) >= 2) {
      if (loss.reason === 'out-of-memory') return execution.fail(new MemoryLimitError(this.#memoryLimitMb, { cause: error }));
      return execution.fail(new WorkerCrashedError(execution.madeToolCalls, loss.detail, { cause: error }));
    }
    // SECURITY: "A re-run never repeats a tool call": a script that made calls runs again
    // only if every call and its answer is in its journal (replayed, not repeated).
    const replayable = execution.journal?.complete ?? execution.toolCalls === 0;
    const rerunnable = loss.reason !== 'unavailable' && replayable && execution.liveLines.length === 0;
    if (!execution.ended && rerunnable && execution.run < MAX_RERUNS) {
      clearTimeout(slot.timer);
      execution.rerun();
      slot.requeued = true;
      // Queued again: not running until #start, so an abort meanwhile settles it at once, and
      // no run number, so anything the dead run posted is refused.
      slot.running = undefined;
      slot.number = undefined;
      if ((slot.suspicions ?? 0) > 0) this.#suspects.push(slot);
      else this.#queue.push(slot);
      return;
    }
    execution.fail(new WorkerCrashedError(execution.madeToolCalls, loss.detail, { cause: error }));
  }

  /** The watchdog's question: may the thread on which `culprit` spins be terminated? */
  #judge(culprit: number): 'kill' | 'wait' {
    const slot = this.#bySlot.get(culprit);
    if (slot === undefined || slot.execution.ended) return 'kill';
    // A legitimate heavy step inside its own time limit is left alone, even if scripts
    // sharing its thread time out meanwhile.
    if (sharedNowMs() < slot.task.deadlineAt) return 'wait';
    this.end(slot.execution, new ExecutionTimeoutError(slot.execution.timeoutMs));
    return 'kill';
  }
}

function onOutcome(execution: Execution, outcome: RunOutcome): void {
  if (execution.onLine !== undefined) execution.receiveLines(outcome.output.slice(execution.liveLines.length));
  const owed = execution.stopError === undefined ? (execution.journal?.owed ?? 0) : 0;
  // SECURITY: "A re-run never repeats a tool call": a re-run that did not make every call
  // an earlier run made leaves effects its outcome does not account for; it is reported.
  if (owed > 0) return execution.fail(new WorkerCrashedError(true, `the re-run did not repeat ${owed} of the tool calls its lost run had made`), outcome.output, outcome.outputTruncated);
  if (outcome.ok) execution.succeed(outcome.valueJson, outcome.output, outcome.outputTruncated);
  else execution.fail(execution.errorFromRecord(outcome.error), outcome.output, outcome.outputTruncated);
}
