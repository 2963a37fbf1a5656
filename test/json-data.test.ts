import { describe, expect, it } from 'vitest';
import { toJsonText, truncate } from '../src/json-data.js';

describe('toJsonText', () => {
  it('serializes plain data like JSON.stringify', () => {
    const value = { a: [1, 'two', null, true], nested: { date: new Date(0) }, skip: undefined };
    expect(toJsonText(value, 'strict')).toEqual({ ok: true, text: JSON.stringify(value) });
    expect(toJsonText(undefined, 'strict')).toEqual({ ok: true, text: undefined });
  });

  it.each([
    ['a function', { a: { b: () => 1 } }, 'value.a.b'],
    ['a BigInt', [1, 2n], 'value[1]'],
    ['a Map', { m: new Map() }, 'value.m'],
    ['a Set', { 'odd key': new Set() }, 'value["odd key"]'],
    ['a symbol', { s: Symbol('x') }, 'value.s'],
    ['a promise', { p: Promise.resolve() }, 'value.p'],
    ['a typed array', { t: new Uint8Array(1) }, 'value.t'],
  ])('refuses %s in strict mode and names where it is', (_label, value, path) => {
    const result = toJsonText(value, 'strict');
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.path).toBe(path);
  });

  it('names the path of a cycle', () => {
    const value: Record<string, unknown> = { list: [{}] };
    (value.list as Array<Record<string, unknown>>)[0]!.back = value;
    const result = toJsonText(value, 'lenient');
    expect(result).toMatchObject({ ok: false, path: 'value.list[0].back' });
  });

  it('converts host values to plain data in lenient mode', () => {
    const result = toJsonText({ m: new Map([['k', 1]]), s: new Set([1, 2]), b: 5n, u: new Uint8Array([1, 2]), f: () => 1 }, 'lenient');
    expect(result).toEqual({ ok: true, text: '{"m":{"k":1},"s":[1,2],"b":"5","u":[1,2]}' });
  });

  it('reports a throwing toJSON without rethrowing it', () => {
    const result = toJsonText({ bad: { toJSON() { throw new Error('nope'); } } }, 'strict');
    expect(result.ok).toBe(false);
  });
});

describe('truncate', () => {
  it('keeps short text and marks a cut', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});

describe('toJsonText with a budget', () => {
  it('refuses text past the budget and stops early', () => {
    let calls = 0;
    const expanding = { toJSON() { calls++; return Array.from({ length: 50 }, () => expanding); } };
    const result = toJsonText(expanding, 'strict', 'value', 5_000);
    expect(result).toMatchObject({ ok: false, tooLarge: 5_000 });
    expect(calls).toBeLessThan(500);
  });

  it('accepts text within the budget unchanged', () => {
    expect(toJsonText({ a: 'b' }, 'lenient', 'value', 100)).toEqual({ ok: true, text: '{"a":"b"}' });
  });
});
