// Execution.runHandler: a handler runs in the async context of the `execute` call that made
// its execution, through the handler hook when one is installed (instrumentation).
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { ToolContext } from '../src/catalog/types.js';
import type { HandlerCall } from '../src/dispatch/index.js';
import { Execution } from '../src/execution.js';

const store = new AsyncLocalStorage<string>();

function contextOf(execution: Execution, callIndex: number): ToolContext {
  const signal = execution.signal;
  return { signal, abortSignal: signal, executionId: execution.executionId, toolName: 'lookup', callIndex, toolCallId: `${execution.executionId}:${callIndex}`, messages: [], hostContext: undefined };
}

describe('Execution.runHandler', () => {
  it('calls the handler with its input and context, in the async context the execution was made in', () => {
    const execution = store.run('request-7', () => new Execution('tw-run', 10, 60_000, () => {}));
    const context = contextOf(execution, 3);
    const seen: unknown[] = [];
    const result = store.run('port-message', () => execution.runHandler((input, ctx) => (seen.push(input, ctx, store.getStore()), 'answer'), { q: 1 }, context));
    expect(result).toBe('answer');
    expect(seen).toEqual([{ q: 1 }, context, 'request-7']);
  });

  it('hands an installed hook the call, and the hook the handler to call once', () => {
    const execution = store.run('request-8', () => new Execution('tw-hook', 10, 60_000, () => {}));
    execution.rerun();
    const calls: HandlerCall[] = [];
    const stores: unknown[] = [];
    execution.handlerHook = (call, handler) => {
      calls.push(call);
      stores.push(store.getStore());
      return { wrapped: handler() };
    };
    const result = execution.runHandler((input) => (stores.push(store.getStore()), input), 'in', contextOf(execution, 5));
    expect(result).toEqual({ wrapped: 'in' });
    expect(calls).toEqual([{ executionId: 'tw-hook', toolName: 'lookup', callIndex: 5, run: 1 }]);
    expect(stores).toEqual(['request-8', 'request-8']);
  });

  it('throws what the handler throws', () => {
    const execution = new Execution('tw-throw', 10, 60_000, () => {});
    const failure = new Error('no');
    expect(() =>
      execution.runHandler(() => {
        throw failure;
      }, undefined, contextOf(execution, 1)),
    ).toThrow(failure);
  });
});
