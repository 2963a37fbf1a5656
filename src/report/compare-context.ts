// Owns the comparison of one execution against the tool-calling loop it replaces: what a
// model would have read and how many round trips it would have made, from the calls the
// dispatcher recorded. Pure: no engine, no I/O; tokens through the bounded counter.

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
}

/** Builds the report of a finished execution from its recorded calls. */
export function compareContext<Value>(result: ExecuteResult<Value>, records: readonly CallRecord[], levels: number): ExecutionReport<Value> {
  const calls = records.map((record) => ({ tool: record.tool, level: record.level, ok: record.ok, bytes: Buffer.byteLength(record.text), tokens: countTokens(record.text) }));
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
  };
}
