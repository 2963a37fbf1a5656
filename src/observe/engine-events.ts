// Owns one engine's event emitter: listeners per event, the same payloads published on
// `node:diagnostics_channel` (`toolweaver:<event>`), and the builders of the tool-call and
// execution payloads. Every emit site first asks `wants(name)`, two property reads, so a
// payload is never built when nobody listens. Never lets a listener's exception reach the engine.

import { channel, type Channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { CallObserver, CallSite } from '../dispatch/index.js';
import type { Answer } from '../dispatch/journal.js';
import type { PoolEvent } from '../pool/index.js';
import { ToolWeaverError } from '../errors.js';
import type { EngineEventListener, EngineEventMap, EngineEventName, ToolApprovalEvent } from './event-types.js';

/** Every event name, in the order of the README's table. */
export const ENGINE_EVENT_NAMES: readonly EngineEventName[] = Object.freeze([
  'execution:start', 'execution:end', 'tool:start', 'tool:end', 'tool:approval', 'output',
  'pool:process-started', 'pool:process-died', 'pool:process-replaced', 'pool:thread-replaced', 'pool:runaway-terminated',
] as const);

// Channels are process-wide by name; created once, so checking one costs a getter.
const CHANNELS = Object.fromEntries(ENGINE_EVENT_NAMES.map((name) => [name, channel(`toolweaver:${name}`)])) as Record<EngineEventName, Channel>;
const TOOL_START = CHANNELS['tool:start'];
const TOOL_END = CHANNELS['tool:end'];

type Listeners = { [Name in EngineEventName]?: Array<EngineEventListener<Name>> };

const round = (ms: number): number => Math.round(ms * 100) / 100;

export class EngineEvents implements CallObserver {
  readonly #listeners: Listeners = {};
  /** Include arguments, results and printed lines in payloads (engine option `eventData`). */
  readonly withData: boolean;

  constructor(withData: boolean) {
    this.withData = withData;
  }

  /** True if a listener or a channel subscriber would receive `name`. */
  wants(name: EngineEventName): boolean {
    return this.#listeners[name] !== undefined || CHANNELS[name].hasSubscribers;
  }

  on<Name extends EngineEventName>(name: Name, listener: EngineEventListener<Name>): void {
    const list = (this.#listeners[name] ?? []) as Array<EngineEventListener<Name>>;
    // A new array each change: an emit in progress keeps iterating the one it started with.
    (this.#listeners as Record<string, unknown>)[name] = [...list, listener];
  }

  off<Name extends EngineEventName>(name: Name, listener: EngineEventListener<Name>): void {
    const list = this.#listeners[name] as Array<EngineEventListener<Name>> | undefined;
    const index = list?.indexOf(listener) ?? -1;
    if (list === undefined || index < 0) return;
    const rest = list.filter((_, at) => at !== index);
    (this.#listeners as Record<string, unknown>)[name] = rest.length === 0 ? undefined : rest;
  }

  /** Delivers `event` to listeners, then to the channel. Call only after `wants(name)`. */
  emit<Name extends EngineEventName>(name: Name, event: EngineEventMap[Name]): void {
    for (const listener of (this.#listeners[name] ?? []) as Array<EngineEventListener<Name>>) {
      try {
        listener(event);
      } catch (error) {
        // An event is an observation: a failing listener must not change an outcome, nor end
        // the host from inside a port handler. It is reported, not rethrown.
        process.emitWarning(`A toolweaver \`${name}\` listener threw: ${error instanceof Error ? error.message : String(error)}`, 'ToolweaverListenerWarning');
      }
    }
    const published = CHANNELS[name];
    if (published.hasSubscribers) published.publish(event);
  }

  /** `wants('tool:start') || wants('tool:end')`, read on every tool call: without the keyed lookups. */
  get watching(): boolean {
    const listeners = this.#listeners;
    return listeners['tool:start'] !== undefined || listeners['tool:end'] !== undefined || TOOL_START.hasSubscribers || TOOL_END.hasSubscribers;
  }

  started(site: CallSite, toolName: string, callIndex: number, argsJson: string): number {
    if (this.wants('tool:start')) {
      this.emit('tool:start', { executionId: site.executionId, callIndex, run: site.run, toolName, ...(this.withData ? { argumentsJson: argsJson } : {}) });
    }
    return performance.now();
  }

  approval(site: CallSite, toolName: string, callIndex: number, outcome: ToolApprovalEvent['outcome'], waitedMs: number): void {
    if (this.wants('tool:approval')) this.emit('tool:approval', { executionId: site.executionId, callIndex, run: site.run, toolName, outcome, waitedMs: round(waitedMs) });
  }

  ended(site: CallSite, toolName: string, callIndex: number, run: number, startedAt: number, replayed: boolean, answer: Answer): void {
    if (!this.wants('tool:end')) return;
    const error = answer.ok ? undefined : answer.failed?.error;
    const code = error instanceof ToolWeaverError ? error.code : undefined;
    const data = !this.withData ? {} : answer.ok ? { resultJson: answer.resultJson } : { message: answer.message };
    this.emit('tool:end', {
      executionId: site.executionId,
      callIndex,
      run,
      toolName,
      ok: answer.ok,
      replayed,
      durationMs: round(performance.now() - startedAt),
      bytes: answer.ok ? answer.bytes : 0,
      code,
      errorName: error instanceof Error ? error.name : undefined,
      ...data,
    });
  }
}

/** Turns a pool's lifecycle report into engine events (rare: built whether or not anyone listens). */
export function emitPoolEvent(events: EngineEvents, event: PoolEvent): void {
  switch (event.type) {
    case 'process-started':
      if (events.wants('pool:process-started')) events.emit('pool:process-started', { pid: event.pid });
      if (event.replacing && events.wants('pool:process-replaced')) events.emit('pool:process-replaced', { pid: event.pid, previousPid: event.previousPid });
      return;
    case 'process-died': {
      const { pid, cause, signal, exitCode, lostTasks } = event;
      if (events.wants('pool:process-died')) events.emit('pool:process-died', { pid, cause, signal, exitCode, lostTasks });
      return;
    }
    case 'thread-replaced': {
      const { threadId, previousThreadId, cause } = event;
      if (events.wants('pool:thread-replaced')) events.emit('pool:thread-replaced', { threadId, previousThreadId, cause });
      return;
    }
    case 'runaway-terminated':
      if (events.wants('pool:runaway-terminated')) events.emit('pool:runaway-terminated', { threadId: event.threadId, executionId: event.executionId });
      return;
  }
}
