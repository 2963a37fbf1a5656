// Owns routing one tool call to its handler: the per-execution budget, the per-tool
// concurrency limit (p-limit), argument mapping, and the JSON data boundary for results.
// Host errors stay here as causes; the script only ever gets a bounded message.

import pLimit, { type LimitFunction } from 'p-limit';
import { toNamedArguments, type RegisteredTool, type ToolCatalog } from '../catalog/index.js';
import { toJsonText, truncate } from '../json-data.js';
import type { CallReply, CallRequest } from '../protocol.js';
import type { CallSite } from './call-site.js';

const MAX_SCRIPT_MESSAGE_CHARS = 1_000;

/** Routes tool calls of every execution of one engine. */
export interface Dispatcher {
  /** Handles one call; `reply` receives exactly one answer for it. */
  dispatch(call: CallRequest, site: CallSite | undefined, reply: (reply: CallReply) => void): void;
}

function describeHostError(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * Creates the dispatcher. Each tool with a `concurrency` gets its own p-limit per engine;
 * the per-execution budget is a counter, never a shared limiter (style: no re-entered
 * p-limit, which can deadlock).
 */
export function createDispatcher(catalog: ToolCatalog): Dispatcher {
  const limiters = new WeakMap<RegisteredTool, LimitFunction>();
  const limiterFor = (tool: RegisteredTool): LimitFunction | undefined => {
    if (tool.concurrency === undefined) return undefined;
    let limiter = limiters.get(tool);
    if (limiter === undefined) {
      limiter = pLimit(tool.concurrency);
      limiters.set(tool, limiter);
    }
    return limiter;
  };

  return {
    dispatch(call, site, reply) {
      const refuse = (message: string): void =>
        reply({ executionId: call.executionId, callId: call.callId, ok: false, message: truncate(message, MAX_SCRIPT_MESSAGE_CHARS) });
      if (site === undefined || site.ended) return refuse(`${call.tool}: the execution has ended`);
      const callIndex = ++site.toolCalls;
      site.toolCallsByName[call.tool] = (site.toolCallsByName[call.tool] ?? 0) + 1;
      // SECURITY: "The call past maxToolCalls never reaches a handler, and the execution
      // fails with ToolCallLimitError even if the script catches the error."
      if (callIndex > site.maxToolCalls) {
        site.exceedToolCallLimit();
        return refuse(`${call.tool}: the limit of ${site.maxToolCalls} tool calls is reached`);
      }
      const tool = catalog.get(call.tool);
      if (tool === undefined) return refuse(`${call.tool}: no such tool`);
      const named = toNamedArguments(tool, JSON.parse(call.argsJson) as unknown[]);
      if (!named.ok) return refuse(named.message);
      const fail = (error: unknown, message: string): void => {
        site.failedCalls.set(call.callId, { tool: tool.name, callIndex, error });
        refuse(message);
      };
      const invoke = async (): Promise<unknown> => {
        if (site.signal.aborted) throw new Error('the execution has ended');
        return tool.handler(named.value, { signal: site.signal, executionId: site.executionId, toolName: tool.name, callIndex });
      };
      const limiter = limiterFor(tool);
      (limiter === undefined ? invoke() : limiter(invoke)).then(
        (result) => {
          const json = toJsonText(result, 'lenient', 'result');
          if (!json.ok) {
            const message = `${tool.name} returned data that cannot be sent to the script: ${json.reason} (at ${json.path})`;
            return fail(new TypeError(message), message);
          }
          if (json.text !== undefined) site.bytesFromTools += Buffer.byteLength(json.text);
          reply({ executionId: call.executionId, callId: call.callId, ok: true, resultJson: json.text });
        },
        (error: unknown) => fail(error, `${tool.name} failed: ${describeHostError(error)}`),
      );
    },
  };
}
