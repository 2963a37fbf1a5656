// Owns OpenTelemetry tracing of one engine: a span per execution (child of the context active
// at `execute`), a child span per tool call, made active while its handler runs so spans the
// handler starts nest under it. Built on the engine's public events plus the internal handler
// hook. Never records the script's data; an engine with no SDK registered gets non-recording
// spans and keeps no state for them.

import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { Engine } from '../engine.js';
import { installHandlerHook, type EngineEventListener } from '../observe/index.js';

/** Options of `instrumentEngine`. */
export interface InstrumentOptions {
  /** The tracer spans are made with. @default trace.getTracer('toolweaver') */
  tracer?: Tracer;
}

interface TracedExecution {
  span: Span;
  context: Context;
  /** Tool-call spans in flight, by `run:callIndex`. */
  calls: Map<string, Span>;
}

const callKey = (run: number, callIndex: number): string => `${run}:${callIndex}`;

/**
 * Traces `engine` with OpenTelemetry: `toolweaver.execute` spans with `execute_tool <name>`
 * children. Returns a function that removes the instrumentation (spans in flight are ended).
 */
export function instrumentEngine(engine: Engine, options: InstrumentOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer('toolweaver');
  const executions = new Map<string, TracedExecution>();

  const onExecutionStart: EngineEventListener<'execution:start'> = ({ executionId }) => {
    // Emitted inside `execute`: the active context is the caller's (a request span, say).
    const parent = context.active();
    const span = tracer.startSpan('toolweaver.execute', { kind: SpanKind.INTERNAL, attributes: { 'toolweaver.execution_id': executionId } }, parent);
    // No SDK: a non-recording span, and nothing kept for its tool calls.
    if (span.isRecording()) executions.set(executionId, { span, context: trace.setSpan(parent, span), calls: new Map() });
  };

  const onToolStart: EngineEventListener<'tool:start'> = ({ executionId, toolName, callIndex, run }) => {
    const traced = executions.get(executionId);
    if (traced === undefined) return;
    const attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': toolName, 'toolweaver.execution_id': executionId, 'toolweaver.call_index': callIndex, 'toolweaver.run': run };
    traced.calls.set(callKey(run, callIndex), tracer.startSpan(`execute_tool ${toolName}`, { kind: SpanKind.INTERNAL, attributes }, traced.context));
  };

  const onToolApproval: EngineEventListener<'tool:approval'> = (event) => {
    const span = executions.get(event.executionId)?.calls.get(callKey(event.run, event.callIndex));
    span?.setAttributes({ 'toolweaver.approval.outcome': event.outcome, 'toolweaver.approval.wait_ms': event.waitedMs });
  };

  const onToolEnd: EngineEventListener<'tool:end'> = (event) => {
    const traced = executions.get(event.executionId);
    const key = callKey(event.run, event.callIndex);
    const span = traced?.calls.get(key);
    if (traced === undefined || span === undefined) return;
    traced.calls.delete(key);
    span.setAttributes({ 'toolweaver.tool.ok': event.ok, 'toolweaver.tool.replayed': event.replayed, 'toolweaver.tool.result_bytes': event.bytes });
    if (!event.ok) {
      const type = event.code ?? event.errorName ?? 'refused';
      span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    span.end();
  };

  const onExecutionEnd: EngineEventListener<'execution:end'> = (event) => {
    const traced = executions.get(event.executionId);
    if (traced === undefined) return;
    executions.delete(event.executionId);
    const { span } = traced;
    span.setAttributes({
      'toolweaver.outcome': event.code ?? (event.status === 'fulfilled' ? 'ok' : 'error'),
      'toolweaver.tool_calls': event.toolCalls,
      'toolweaver.reruns': event.reruns,
      'toolweaver.replayed_calls': event.replayedCalls,
      'toolweaver.bytes_from_tools': event.bytesFromTools,
      'toolweaver.bytes_returned': event.bytesReturned,
    });
    if (event.status === 'rejected') {
      span.setAttribute('error.type', event.code ?? 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.code ?? 'unknown' });
    }
    // Calls a lost run never got answered (its thread died) end with their execution.
    for (const call of traced.calls.values()) call.end();
    span.end();
  };

  engine.on('execution:start', onExecutionStart).on('tool:start', onToolStart).on('tool:approval', onToolApproval).on('tool:end', onToolEnd).on('execution:end', onExecutionEnd);
  // Runs inside the execute call's async context (the engine restores it first).
  installHandlerHook(engine, (call, handler) => {
    const span = executions.get(call.executionId)?.calls.get(callKey(call.run, call.callIndex));
    return span === undefined ? handler() : context.with(trace.setSpan(context.active(), span), handler);
  });

  return () => {
    engine.off('execution:start', onExecutionStart).off('tool:start', onToolStart).off('tool:approval', onToolApproval).off('tool:end', onToolEnd).off('execution:end', onExecutionEnd);
    installHandlerHook(engine, undefined);
    for (const traced of executions.values()) {
      for (const call of traced.calls.values()) call.end();
      traced.span.end();
    }
    executions.clear();
  };
}
