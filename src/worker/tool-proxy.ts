// Owns the tool functions one script sees: each call is checked as JSON data, sent to the
// main-thread dispatcher through the port hub, and answered with fresh plain data. Nothing
// from the host (errors, prototypes, handlers) is ever handed to the script.

import type { SettledCall } from '../call-frame.js';
import type { ScriptLimits, ToolBinding } from '../protocol.js';
import { toJsonText, truncate } from '../json-data.js';
import type { PortHub } from './port-hub.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const MAX_MESSAGE_CHARS = 1_000;
/** Charged against the per-execution argument budget for every call: a call is never free. */
const CALL_OVERHEAD_CHARS = 64;

/** Tool-call state of one script run. */
export interface ToolProxy {
  /**
   * One async function per tool whose script path starts at `root`, made on the call (a
   * script that never names a tool pays nothing for it), to endow into the Compartment.
   */
  functionsAt(root: string): Array<{ path: readonly string[]; fn: (...args: unknown[]) => Promise<unknown> }>;
  settleCall(reply: SettledCall): void;
  /** Rejects every pending call and makes later calls fail at once. */
  close(message: string): void;
  /** The call id behind an error this proxy threw into the script, if it is one. */
  callIdOf(error: unknown): number | undefined;
}

export function createToolProxy(executionId: string, slot: number, tools: readonly ToolBinding[], hub: PortHub, limits: Pick<ScriptLimits, 'maxArgumentChars' | 'maxArgumentCharsPerExecution' | 'maxToolCalls'>): ToolProxy {
  const pending = new Map<number, PendingCall>();
  const toolErrors = new WeakMap<object, number>();
  let nextCallId = 0;
  let argumentChars = 0;
  let closedMessage: string | undefined;

  // SECURITY: "Anything thrown into a script is a fresh plain error": made here, in the
  // shared frozen-prototype realm, never a host error or a DOMException from postMessage.
  const fail = (message: string, callId?: number): Error => {
    const error = new Error(truncate(message, MAX_MESSAGE_CHARS));
    if (callId !== undefined) toolErrors.set(error, callId);
    return error;
  };

  const call = (name: string, calledAs: string, args: unknown[]): Promise<unknown> => {
    // A closed run rejects locally, in a microtask: a script that catches and retries in a
    // loop then spins without yielding, and the main side's watchdog ends the thread.
    if (closedMessage !== undefined) return Promise.reject(fail(closedMessage));
    // SECURITY: "The call past maxToolCalls never reaches a handler": and past the one the
    // host needs to see to fail the execution, calls are refused here, so a script cannot
    // flood the host with millions of cheap calls.
    if (nextCallId > limits.maxToolCalls) return Promise.reject(fail(`${calledAs}: the limit of ${limits.maxToolCalls} tool calls is reached`));
    // SECURITY: "No script can make the host allocate without bound": arguments are bounded
    // per call and per execution here, in the worker, before anything is posted.
    const json = toJsonText(args, 'strict', 'arguments', limits.maxArgumentChars);
    if (!json.ok && json.tooLarge !== undefined) return Promise.reject(fail(`${calledAs}: arguments are larger than ${json.tooLarge} characters of JSON`));
    if (!json.ok) return Promise.reject(new TypeError(`${calledAs}: ${json.reason} (at ${json.path})`));
    const text = json.text ?? '[]';
    if (argumentChars + text.length + CALL_OVERHEAD_CHARS > limits.maxArgumentCharsPerExecution) {
      return Promise.reject(fail(`${calledAs}: the execution's tool arguments would pass ${limits.maxArgumentCharsPerExecution} characters of JSON`));
    }
    argumentChars += text.length + CALL_OVERHEAD_CHARS;
    const callId = ++nextCallId;
    return new Promise((resolve, reject) => {
      pending.set(callId, { resolve, reject });
      hub.sendCall({ executionId, slot, callId, tool: name, argsJson: text });
    });
  };

  const functionOf = ({ name, path }: ToolBinding): { path: readonly string[]; fn: (...args: unknown[]) => Promise<unknown> } => {
    const calledAs = path.join('.');
    const local = path[path.length - 1]!;
    // A named wrapper, so printed values show the name the script calls.
    const fn = { [local]: (...args: unknown[]) => call(name, calledAs, args) }[local]!;
    return { path, fn };
  };

  return {
    functionsAt: (root) => tools.filter(({ path }) => path[0] === root).map(functionOf),
    settleCall(reply) {
      const entry = pending.get(reply.callId);
      if (entry === undefined) return;
      pending.delete(reply.callId);
      if (!reply.ok) entry.reject(fail(reply.message, reply.callId));
      // The value is fresh from the port hub's JSON.parse of its group, made for this call alone.
      else entry.resolve(reply.value);
    },
    close(message) {
      closedMessage = message;
      for (const entry of pending.values()) entry.reject(fail(message));
      pending.clear();
    },
    callIdOf(error) {
      return typeof error === 'object' && error !== null ? toolErrors.get(error) : undefined;
    },
  };
}
