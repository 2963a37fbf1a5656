// Owns the comparison of one execution against the tool-calling loop it replaces: what a
// model would have read, how many round trips it would have made and the tool time it would
// have waited, from the calls the dispatcher recorded. Pure: no engine, no I/O; tokens
// through the bounded counter. Never invents a latency: the LLM's is a caller's parameter.

import type { CallRecord } from '../dispatch/index.js';
import type { ExecuteResult } from '../execution.js';
import { countTokens } from '../tokens.js';

/** One answered tool call, as a tool-calling model would have read it. */
export interface CallMeasure {
  tool: string;
  /** Dependency level: 1 + the highest level among calls answered before this one was made. */
  level: number;
  ok: boolean;
  /** UTF-8 bytes of the result JSON (or of the refusal message). */
  bytes: number;
  /** o200k_base tokens of the same text. */
  tokens: number;
  /** Measured milliseconds from the call reaching the dispatcher to its answer. */
  ms: number;
}

/** One side of the comparison. */
export interface ContextCost {
  /** LLM round trips. */
  llmCalls: number;
  /** UTF-8 bytes the model reads. */
  bytes: number;
  /** o200k_base tokens the model reads. */
  tokens: number;
}

/**
 * Time, without the LLM's: each side's latency is `llmCalls x (an LLM call's latency)` plus
 * its `ms` (see latencyOf).
 */
export interface LatencyParts {
  /**
   * Traditional: measured tool time a tool-calling loop waits, one level after the other,
   * each level as long as its slowest call (the level's calls issued together, as parallel
   * tool calls). Host and network time between the model and the tools is not counted.
   */
  traditionalToolMs: number;
  /** Programmatic: the measured wall time of this execution (`metadata.elapsedMs`). */
  programmaticMs: number;
}

/** What `engine.report()` returns: the result, each call, and both sides of the comparison. */
export interface ExecutionReport<Value = unknown> {
  result: ExecuteResult<Value>;
  /** Answered calls, in answer order. */
  calls: CallMeasure[];
  /** Sequential levels of tool calls (0 when the script made none). */
  levels: number;
  /**
   * A tool-calling loop: every tool result enters the model's context, and each level costs
   * one round trip, plus one to answer (levels + 1).
   */
  traditional: ContextCost;
  /** This engine: one round trip (the script), and only the value and output come back. */
  programmatic: ContextCost;
  /** The measured parts of both sides' latency. */
  latency: LatencyParts;
}

/** Tool time of `calls` taken level by level: the sum over levels of each level's slowest call. */
function toolTimeByLevel(calls: readonly CallMeasure[]): number {
  const slowest = new Map<number, number>();
  for (const call of calls) slowest.set(call.level, Math.max(slowest.get(call.level) ?? 0, call.ms));
  let total = 0;
  for (const ms of slowest.values()) total += ms;
  return total;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Builds the report of a finished execution from its recorded calls. */
export function compareContext<Value>(result: ExecuteResult<Value>, records: readonly CallRecord[], levels: number): ExecutionReport<Value> {
  const calls = records.map((record) => ({ tool: record.tool, level: record.level, ok: record.ok, bytes: Buffer.byteLength(record.text), tokens: countTokens(record.text), ms: round(record.ms) }));
  let bytes = 0;
  let tokens = 0;
  for (const call of calls) {
    bytes += call.bytes;
    tokens += call.tokens;
  }
  return {
    result,
    calls,
    levels,
    traditional: { llmCalls: levels + 1, bytes, tokens },
    programmatic: { llmCalls: 1, bytes: result.metadata.bytesReturned, tokens: result.metadata.tokensEstimated },
    latency: { traditionalToolMs: round(toolTimeByLevel(calls)), programmaticMs: round(result.metadata.elapsedMs) },
  };
}

/**
 * Both sides' modelled latency for an assumed `llmLatencyMs` per LLM call (a parameter, never
 * measured here): `llmCalls x llmLatencyMs + ms` on each side.
 */
export function latencyOf(report: Pick<ExecutionReport, 'traditional' | 'programmatic' | 'latency'>, llmLatencyMs: number): { traditionalMs: number; programmaticMs: number } {
  return {
    traditionalMs: round(report.traditional.llmCalls * llmLatencyMs + report.latency.traditionalToolMs),
    programmaticMs: round(report.programmatic.llmCalls * llmLatencyMs + report.latency.programmaticMs),
  };
}
