// Owns one job's record of tool calls in Redis: the entry of each new call is written before
// its handler runs and rewritten with the answer when it settles, within a size bound; and
// the record read back for a re-delivery, as the calls its re-run is answered from.
// Never runs a handler, and never lets a handler run before its call is in the record.

import type { Answer, JournalSink, RecordedCall } from '../dispatch/index.js';
import { errorFromJson, errorToJson, type ErrorJson } from '../error-json.js';
import type { QueueCommands } from './redis-keys.js';

/** One entry as stored: `t` tool, `a` arguments JSON, `r` the answer once known. */
interface StoredCall {
  t: string;
  a: string;
  r?: StoredAnswer;
}
type StoredAnswer = { ok: true; j?: string; b: number } | { ok: false; m: string; f?: { tool: string; callIndex: number; error: ErrorJson } };
/** Written once when the record outgrew its bound: the job can no longer be re-run safely. */
const OVERFLOW = '{"x":1}';

/** What a re-delivered job's record says. */
export type ReadRecord = { calls: RecordedCall[] } | { overflowed: true };

function toStored(answer: Answer): StoredAnswer {
  if (answer.ok) return answer.resultJson === undefined ? { ok: true, b: answer.bytes } : { ok: true, j: answer.resultJson, b: answer.bytes };
  const failed = answer.failed === undefined ? undefined : { tool: answer.failed.tool, callIndex: answer.failed.callIndex, error: errorToJson(answer.failed.error) };
  return failed === undefined ? { ok: false, m: answer.message } : { ok: false, m: answer.message, f: failed };
}

function fromStored(stored: StoredAnswer | undefined): Answer | undefined {
  if (stored === undefined) return undefined;
  if (stored.ok) return { ok: true, resultJson: stored.j, bytes: stored.b };
  const failed = stored.f === undefined ? undefined : { tool: stored.f.tool, callIndex: stored.f.callIndex, error: errorFromJson(stored.f.error) };
  return { ok: false, message: stored.m, failed };
}

/** Parses the entries `begin` read. An entry written but never answered comes back without an answer. */
export function readRecord(entries: ReadonlyArray<string | number>): ReadRecord {
  const calls: RecordedCall[] = [];
  for (const text of entries) {
    const stored = JSON.parse(String(text)) as StoredCall | { x: 1 };
    if ('x' in stored) return { overflowed: true };
    calls.push({ tool: stored.t, argsJson: stored.a, answer: fromStored(stored.r) });
  }
  return { calls };
}

/** Where one delivery of one job writes its new calls. */
export interface CallRecordSink extends JournalSink {
  /**
   * From now on a failed answer is not kept (the job is being handed back: a handler that
   * fails because its execution was aborted may still have had its effect).
   */
  handBack(): void;
}

/** A sink writing the new calls of delivery `delivery` of job `jobKey` to `callsKey`, within `maxChars` over every delivery. */
export function createCallRecordSink(commands: QueueCommands, jobKey: string, callsKey: string, delivery: number, usedChars: number, maxChars: number): CallRecordSink {
  let used = usedChars;
  let overflowed: Promise<unknown> | undefined;
  let handingBack = false;
  const overflow = (): Promise<unknown> => (overflowed ??= commands.openCall(jobKey, callsKey, delivery, OVERFLOW));
  return {
    handBack: () => void (handingBack = true),
    open(tool, argsJson) {
      const entry: StoredCall = { t: tool, a: argsJson };
      const text = JSON.stringify(entry);
      if (overflowed !== undefined || used + text.length > maxChars) {
        const ready = overflow().then(() => {});
        return { ready, settle: () => {} };
      }
      used += text.length;
      const position = commands.openCall(jobKey, callsKey, delivery, text).then((at) => {
        // SECURITY: "A re-run never repeats a tool call": a run of a job that already has its
        // outcome, that a later delivery superseded (its lock expired while it ran), or whose
        // data Redis lost, makes no call.
        if (at < 0) throw new Error('the job has its outcome, runs elsewhere, or was lost');
        return at;
      });
      return {
        ready: position.then(() => {}),
        settle(answer) {
          if (handingBack && !answer.ok) return;
          const settled = JSON.stringify({ ...entry, r: toStored(answer) });
          if (used + settled.length - text.length > maxChars) return void overflow().catch(() => {});
          used += settled.length - text.length;
          position.then((at) => commands.settleCall(callsKey, at, settled)).catch(() => {
            // Unanswered in the record: a re-run reaching this call ends with WorkerCrashedError.
          });
        },
      };
    },
  };
}

/** Characters the stored entries take, so a re-delivery continues the same bound. */
export function recordChars(entries: ReadonlyArray<string | number>): number {
  let chars = 0;
  for (const entry of entries) chars += String(entry).length;
  return chars;
}
