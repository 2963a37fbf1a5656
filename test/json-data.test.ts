import { describe, expect, it } from 'vitest';
import { MAX_JSON_CHARS, toJsonText, truncate } from '../src/json-data.js';

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

describe('toJsonText against shapes that claim more than they hold', () => {
  const sparse = (): unknown[] => {
    const items: unknown[] = [];
    items[2 ** 32 - 2] = 1;
    return items;
  };

  it.each(['strict', 'lenient'] as const)('refuses a huge sparse array in %s mode on its length, naming its last element', (mode) => {
    expect(toJsonText(sparse(), mode, 'value', 1_000_000)).toEqual({ ok: false, path: 'value[4294967294]', reason: 'it is larger than 1000000 characters of JSON', tooLarge: 1_000_000 });
  });

  it('names a huge sparse array nested in plain data', () => {
    expect(toJsonText({ rows: [1, { cells: sparse() }] }, 'strict', 'value', 1_000)).toMatchObject({ ok: false, path: 'value.rows[1].cells[4294967294]', tooLarge: 1_000 });
  });

  it('bounds a value with no limit given by the longest string V8 can make', () => {
    expect(toJsonText(sparse(), 'strict')).toMatchObject({ ok: false, tooLarge: MAX_JSON_CHARS });
  });

  it('refuses a Map or Set too large for the limit before converting it (lenient)', () => {
    const map = new Map(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i]));
    expect(toJsonText({ map }, 'lenient', 'result', 1_000)).toMatchObject({ ok: false, path: 'result.map', tooLarge: 1_000 });
    expect(toJsonText(new Set(Array.from({ length: 1_000 }, (_, i) => i)), 'lenient', 'result', 1_000)).toMatchObject({ ok: false, tooLarge: 1_000 });
  });

  it('names a non-serializable value after a long run of holes without walking all of them', () => {
    const items: unknown[] = [];
    items[5_000_000] = () => 1;
    // Fits the limit, so JSON.stringify walks it (bounded by the limit); the slow path that
    // names the function stops at its node budget instead of visiting 5 million holes.
    const result = toJsonText(items, 'strict', 'value', 50_000_000);
    expect(result).toMatchObject({ ok: false, path: 'value' });
  });

  it('never turns an array-valued error message into text', () => {
    const thrown = new Error('x');
    (thrown as { message: unknown }).message = sparse();
    const value = { toJSON: () => { throw thrown; } };
    expect(toJsonText(value, 'strict')).toEqual({ ok: false, path: 'value', reason: 'serializing threw Error: ' });
  });
});
