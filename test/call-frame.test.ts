// The wire form of tool calls and replies (src/call-frame.ts): what a worker sends decodes to
// the same calls, what the host replies decodes to the values the old path gave (JSON.parse of
// each result's text), whatever ids, messages and values hold; a malformed calls frame yields
// only the well-formed calls before the fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCalls, decodeReplyGroup, encodeCalls, encodeReplies, splitReplies, type SettledCall } from '../src/call-frame.js';
import type { CallReply, CallRequest } from '../src/protocol.js';

/** What the worker gets for `replies`, by execution, in frame order. */
function decodeAll(frame: string): Array<[string, SettledCall[]]> {
  return splitReplies(frame).map(([executionId, group]) => [executionId, decodeReplyGroup(executionId, group)]);
}

/** What the old path gave the worker: each reply's text parsed on its own, grouped the same way. */
function oldPath(replies: readonly CallReply[]): Array<[string, SettledCall[]]> {
  const groups = new Map<string, SettledCall[]>();
  for (const reply of replies) {
    const settled: SettledCall = reply.ok
      ? { executionId: reply.executionId, callId: reply.callId, ok: true, value: reply.resultJson === undefined ? undefined : JSON.parse(reply.resultJson) }
      : { executionId: reply.executionId, callId: reply.callId, ok: false, message: reply.message };
    if (reply.deadlineAt !== undefined) settled.deadlineAt = reply.deadlineAt;
    const group = groups.get(reply.executionId) ?? [];
    group.push(settled);
    groups.set(reply.executionId, group);
  }
  return [...groups];
}

const awkwardId = fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme' }), fc.constantFrom('a\nb', '"quoted"', '\u2028', '\uD800', '__proto__', ''));

const callArb = fc.record({
  executionId: fc.constantFrom('e-1', 'e\n2', '"e3"'),
  slot: fc.integer({ min: 1, max: 300 }),
  callId: fc.integer({ min: 1, max: 10_001 }),
  tool: fc.string(),
  argsJson: fc.jsonValue().map((value) => JSON.stringify([value])),
});

const replyArb: fc.Arbitrary<CallReply> = fc
  .tuple(
    awkwardId,
    fc.integer({ min: 1, max: 10_001 }),
    fc.oneof(
      fc.record({ ok: fc.constant(true as const), resultJson: fc.option(fc.jsonValue().map((value) => JSON.stringify(value)), { nil: undefined }) }),
      fc.record({ ok: fc.constant(false as const), message: fc.string({ unit: 'binary' }) }),
    ),
    fc.option(fc.double({ min: 1, max: 1e13, noNaN: true }), { nil: undefined }),
  )
  .map(([executionId, callId, answer, deadlineAt]) => {
    const reply = { executionId, callId, ...answer } as CallReply;
    if (deadlineAt !== undefined) reply.deadlineAt = deadlineAt;
    return reply;
  });

describe('call frames', () => {
  it('decodes the calls a worker encoded, in order', () => {
    fc.assert(fc.property(fc.array(callArb, { maxLength: 40 }), (calls: CallRequest[]) => {
      expect(decodeCalls(encodeCalls(calls))).toEqual(calls);
    }));
  });

  it('writes an execution id once for the calls it made in a row', () => {
    const calls = Array.from({ length: 3 }, (_, i) => ({ executionId: 'exec', slot: 1, callId: i + 1, tool: 'noop', argsJson: '[]' }));
    expect(JSON.parse(encodeCalls(calls))).toEqual(['exec', 1, 3, 1, 'noop', '[]', 2, 'noop', '[]', 3, 'noop', '[]']);
  });

  it('keeps the well-formed calls before a fault in a frame, and nothing after it', () => {
    expect(decodeCalls('not json')).toEqual([]);
    expect(decodeCalls('{"a":1}')).toEqual([]);
    expect(decodeCalls(JSON.stringify(['e', 1, 2, 1, 'noop', '[]', 2, 'noop', 7]))).toEqual([{ executionId: 'e', slot: 1, callId: 1, tool: 'noop', argsJson: '[]' }]);
    expect(decodeCalls(JSON.stringify([1, 1, 1, 1, 'noop', '[]']))).toEqual([]);
    expect(decodeCalls(JSON.stringify(['e', 1, 5, 1, 'noop', '[]']))).toEqual([{ executionId: 'e', slot: 1, callId: 1, tool: 'noop', argsJson: '[]' }]);
  });

  it('gives the worker what parsing each result on its own gave, for any ids, messages and values', () => {
    fc.assert(fc.property(fc.array(replyArb, { maxLength: 30 }), (replies) => {
      expect(decodeAll(encodeReplies(replies))).toStrictEqual(oldPath(replies));
    }));
  });

  it('keeps hostile result texts as data: __proto__ keys, lone surrogates, -0, deep nesting', () => {
    const deep = `${'['.repeat(1_000)}1${']'.repeat(1_000)}`;
    const texts = ['{"__proto__":{"polluted":true}}', JSON.stringify({ s: '\uD800', t: 'a\uDC00' }), '-0', '"\\u2028\\n"', deep, 'null'];
    const replies: CallReply[] = texts.map((resultJson, i) => ({ executionId: 'e', callId: i + 1, ok: true, resultJson }));
    const [[, settled]] = decodeAll(encodeReplies(replies)) as [[string, SettledCall[]]];
    expect(settled).toStrictEqual(oldPath(replies)[0]![1]);
    const first = settled[0] as { value: Record<string, unknown> };
    expect(Object.getPrototypeOf(first.value)).toBe(Object.prototype);
    expect(Object.keys(first.value)).toEqual(['__proto__']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('makes a fresh value for every reply, even of one text', () => {
    const replies: CallReply[] = [1, 2].map((callId) => ({ executionId: 'e', callId, ok: true, resultJson: '{"a":[1]}' }));
    const [[, settled]] = decodeAll(encodeReplies(replies)) as [[string, SettledCall[]]];
    const [a, b] = settled.map((reply) => (reply as { value: { a: unknown[] } }).value);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a!.a).not.toBe(b!.a);
  });
});
