// Owns the public shapes of engine events: one payload type per event name. Types only.
// Payloads carry ids, names, counts, durations and codes; the script's data (arguments,
// results, printed text) only with the engine option `eventData: true`.

/** Emitted when `execute` (or a batch job) is submitted, before validation. */
export interface ExecutionStartEvent {
  executionId: string;
}

/** Emitted once per execution, when its outcome is settled. */
export interface ExecutionEndEvent {
  executionId: string;
  status: 'fulfilled' | 'rejected';
  /** The error's `code` when rejected (undefined for a non-toolweaver error, a bug of ours). */
  code: string | undefined;
  /** From `execute` to the outcome. */
  durationMs: number;
  /** Calls of the last run. */
  toolCalls: number;
  /** Times the script was run again after losing its thread or pool process. */
  reruns: number;
  replayedCalls: number;
  bytesFromTools: number;
  bytesReturned: number;
}

/** Emitted when a tool call reaches the host (before its checks, and before a p-limit wait). */
export interface ToolStartEvent {
  executionId: string;
  /** 1-based within its run. */
  callIndex: number;
  /** The run that made it: 0, then one more per re-run. */
  run: number;
  /** The tool's registered name (or the name called, for an unknown tool). */
  toolName: string;
  /** The arguments as JSON text; only with `eventData: true`. */
  argumentsJson?: string;
}

/** Emitted when a call that needed approval was decided, before its handler runs (or not). */
export interface ToolApprovalEvent {
  executionId: string;
  callIndex: number;
  run: number;
  toolName: string;
  /** `approved`, or why not: `denied`, `timed-out`, `failed` (onApproval threw), `no-handler`. */
  outcome: 'approved' | 'denied' | 'timed-out' | 'failed' | 'no-handler';
  /** How long the call waited for the decision (its time limit paused meanwhile). */
  waitedMs: number;
}

/** Emitted once for every `tool:start`, when the call is answered. */
export interface ToolEndEvent {
  executionId: string;
  callIndex: number;
  run: number;
  toolName: string;
  ok: boolean;
  /** Answered from the journal of a lost run: the handler was not called again. */
  replayed: boolean;
  durationMs: number;
  /** Bytes of the result's JSON (0 when the call failed). */
  bytes: number;
  /** When failed: the `code` of a toolweaver error (`ERR_TOOL_INPUT`, ...); undefined for a handler's own error. */
  code: string | undefined;
  /** When failed: the name of the host error's class (`TypeError`); undefined for a refusal without one. */
  errorName: string | undefined;
  /** The result's JSON text (ok), or the message the script got (failed); only with `eventData: true`. */
  resultJson?: string | undefined;
  message?: string;
}

/** Emitted once per settled execution (lines may be 0), just before `execution:end`. */
export interface OutputEvent {
  executionId: string;
  lineCount: number;
  bytes: number;
  truncated: boolean;
  /** The printed lines; only with `eventData: true`. */
  lines?: readonly string[];
}

/** Why a pool process ended. */
export type ProcessDeathCause = 'out-of-memory' | 'signal' | 'exit-code' | 'failed-start';

/** Engine lifecycle (isolation `process`): a pool process is ready. */
export interface ProcessStartedEvent {
  pid: number;
}

/** A pool process ended while the engine was open, and the tasks it held. */
export interface ProcessDiedEvent {
  pid: number | undefined;
  cause: ProcessDeathCause;
  signal: string | undefined;
  exitCode: number | undefined;
  /** Tasks it was running (re-run or reported, as the README's claims say). */
  lostTasks: number;
}

/** A new pool process is ready in place of one that died. */
export interface ProcessReplacedEvent {
  pid: number;
  previousPid: number | undefined;
}

/** A worker thread ended (terminated, out of memory) and its replacement is ready. */
export interface ThreadReplacedEvent {
  threadId: number;
  previousThreadId: number;
  /** `terminated`: ended by the watchdog; `died`: ended on its own (out of memory, say). */
  cause: 'terminated' | 'died';
}

/** The watchdog terminated a thread that did not let go of a stopped script. */
export interface RunawayTerminatedEvent {
  threadId: number;
  /** The script spinning on it, when known. */
  executionId: string | undefined;
}

/** Every engine event and its payload. */
export interface EngineEventMap {
  'execution:start': ExecutionStartEvent;
  'execution:end': ExecutionEndEvent;
  'tool:start': ToolStartEvent;
  'tool:end': ToolEndEvent;
  'tool:approval': ToolApprovalEvent;
  output: OutputEvent;
  'pool:process-started': ProcessStartedEvent;
  'pool:process-died': ProcessDiedEvent;
  'pool:process-replaced': ProcessReplacedEvent;
  'pool:thread-replaced': ThreadReplacedEvent;
  'pool:runaway-terminated': RunawayTerminatedEvent;
}

export type EngineEventName = keyof EngineEventMap;

export type EngineEventListener<Name extends EngineEventName> = (event: EngineEventMap[Name]) => void;
