// OpenTelemetry tracing end to end with the real SDK (in-memory exporter, AsyncLocalStorage
// context manager): execution spans under the caller's request span, tool-call spans under
// them, handler spans under the tool-call span, attributes, and nothing without instrumentation.
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Isolation } from 'toolweaver';
import { instrumentEngine } from 'toolweaver/otel';
import { engineFor } from '../helpers.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
const tracer = provider.getTracer('test');

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});
beforeEach(() => exporter.reset());

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const byName = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name === name);

function createTools() {
  return [
    {
      name: 'lookup',
      input: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      // A handler's own span must nest under its tool-call span.
      handler: async ({ id }: { id: string }) => tracer.startActiveSpan('db.query', async (span) => { await new Promise((resolve) => setTimeout(resolve, 5)); span.end(); return { id, name: 'Ada' }; }),
    },
    { name: 'explode', handler: () => { throw new TypeError('kaboom'); } },
  ];
}

describe.each<Isolation>(['process', 'in-process'])('instrumentEngine (%s)', (isolation) => {
  it('nests execution, tool-call and handler spans under the request span, with attributes', async () => {
    const engine = engineFor(createTools(), { isolation });
    instrumentEngine(engine, { tracer });
    const result = await tracer.startActiveSpan('request', async (request) => {
      try {
        return await engine.execute('const users = await Promise.all(["a", "b"].map((id) => lookup(id))); return users.length');
      } finally {
        request.end();
      }
    });
    expect(result.value).toBe(2);
    const [request] = byName('request');
    const [execution] = byName('toolweaver.execute');
    const calls = byName('execute_tool lookup');
    const queries = byName('db.query');
    expect(parentOf(execution!)).toBe(request!.spanContext().spanId);
    expect(execution!.spanContext().traceId).toBe(request!.spanContext().traceId);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(parentOf(call)).toBe(execution!.spanContext().spanId);
    expect(queries.map(parentOf).sort()).toEqual(calls.map((call) => call.spanContext().spanId).sort());
    expect(execution!.attributes).toMatchObject({ 'toolweaver.execution_id': result.metadata.executionId, 'toolweaver.outcome': 'ok', 'toolweaver.tool_calls': 2, 'toolweaver.reruns': 0, 'toolweaver.bytes_from_tools': result.metadata.bytesFromTools });
    expect(calls.map((call) => call.attributes['toolweaver.call_index']).sort()).toEqual([1, 2]);
    expect(calls[0]!.attributes).toMatchObject({ 'gen_ai.tool.name': 'lookup', 'toolweaver.tool.ok': true, 'toolweaver.tool.replayed': false, 'toolweaver.tool.result_bytes': 23 });
    // No script data on any span.
    expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain('Ada');
  });

  it('marks a failing tool call and its execution as errors with their codes', async () => {
    const engine = engineFor(createTools(), { isolation });
    instrumentEngine(engine, { tracer });
    await expect(engine.execute('await explode()')).rejects.toMatchObject({ code: 'ERR_TOOL_CALL' });
    const [call] = byName('execute_tool explode');
    const [execution] = byName('toolweaver.execute');
    expect(call!.status.code).toBe(SpanStatusCode.ERROR);
    expect(call!.attributes['error.type']).toBe('TypeError');
    expect(execution!.status.code).toBe(SpanStatusCode.ERROR);
    expect(execution!.attributes).toMatchObject({ 'error.type': 'ERR_TOOL_CALL', 'toolweaver.outcome': 'ERR_TOOL_CALL' });
  });
});

describe('instrumentEngine without an SDK, and removed', () => {
  it('records nothing once removed, and handlers still run in the caller\'s context', async () => {
    const engine = engineFor(createTools());
    const remove = instrumentEngine(engine, { tracer });
    remove();
    await tracer.startActiveSpan('request', async (request) => {
      await engine.execute('return await lookup("a")');
      request.end();
    });
    expect(byName('toolweaver.execute')).toEqual([]);
    // The handler's span still has the request as parent (request context, not instrumentation).
    expect(parentOf(byName('db.query')[0]!)).toBe(byName('request')[0]!.spanContext().spanId);
  });

  it('runs scripts unchanged with the no-op tracer of an app without an SDK', async () => {
    const engine = engineFor(createTools());
    instrumentEngine(engine, { tracer: trace.getTracer('no-sdk') });
    expect((await engine.execute('return await lookup("a")')).value).toEqual({ id: 'a', name: 'Ada' });
    expect(byName('toolweaver.execute')).toEqual([]);
  });
});

describe('instrumentEngine with approvals', () => {
  it('puts the approval outcome and wait on the tool-call span', async () => {
    const engine = engineFor([
      { name: 'send_email', needsApproval: true, handler: async () => 'sent' },
      { name: 'wire_money', needsApproval: true, handler: async () => 'wired' },
    ], { threads: 1, onApproval: ({ toolName }) => toolName === 'send_email' });
    instrumentEngine(engine, { tracer });
    const result = await engine.execute('const sent = await send_email(); try { await wire_money(); } catch { return [sent, "refused"]; }');
    expect(result.value).toEqual(['sent', 'refused']);
    const [sent] = byName('execute_tool send_email');
    const [wired] = byName('execute_tool wire_money');
    expect(sent!.attributes['toolweaver.approval.outcome']).toBe('approved');
    expect(wired!.attributes['toolweaver.approval.outcome']).toBe('denied');
    expect(typeof wired!.attributes['toolweaver.approval.wait_ms']).toBe('number');
  });
});
