// The JSON data boundary's fast path (src/plain-json.ts) against the slow path it skips
// (serializeJsonText): every value, hostile or plain, gets the answer the slow path gives, and
// the copy the dispatcher checks is what parsing the text makes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeJsonText, toJsonText, toJsonTextAndCopy, type JsonMode } from '../src/json-data.js';
import { toPlainJson } from '../src/plain-json.js';

const MODES: JsonMode[] = ['strict', 'lenient'];

/** Both paths on one value, each on a fresh build of it (a getter or toJSON may count calls). */
function expectSameAnswer(make: () => unknown, maxChars?: number): void {
  for (const mode of MODES) {
    const fast = toJsonTextAndCopy(make(), mode, 'value', maxChars);
    expect(fast.json).toEqual(serializeJsonText(make(), mode, 'value', maxChars));
    if (fast.copy !== undefined) {
      expect(fast.json.ok).toBe(true);
      const text = fast.json.ok ? fast.json.text : undefined;
      expect(fast.copy.value).toStrictEqual(text === undefined ? undefined : JSON.parse(text));
    }
  }
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: [value] };
  return value;
}

function cyclic(): unknown {
  const value: Record<string, unknown> = { a: 1 };
  value.self = { back: value };
  return value;
}

function withProtoKey(): unknown {
  return JSON.parse('{"__proto__":{"polluted":true},"b":[{"__proto__":1}]}');
}

const HOSTILE: Array<[string, () => unknown, number?]> = [
  ['a huge string past the budget', () => ['x'.repeat(5_000)], 1_000],
  ['a huge string within the budget', () => ['x'.repeat(5_000)]],
  ['a string whose escapes make the text longer than the budget', () => ['\u0000'.repeat(300)], 1_000],
  ['nesting deeper than the stack', () => nested(20_000)],
  ['nesting of a few hundred levels', () => nested(300)],
  ['a getter', () => ({ get a() { return { b: 1 }; } })],
  ['a getter that throws', () => ({ get a(): unknown { throw new Error('no'); } })],
  ['a toJSON', () => ({ a: { toJSON: () => ({ replaced: true }) } })],
  ['a Date', () => ({ at: new Date(0) })],
  ['a cycle', cyclic],
  ['a Buffer', () => ({ data: Buffer.from('hi') })],
  ['a typed array', () => [new Uint16Array([1, 2])]],
  ['a Map and a Set', () => ({ m: new Map([['k', 1]]), s: new Set([1]) })],
  ['a BigInt', () => ({ n: 10n })],
  ['a function and a symbol', () => ({ f: () => 1, s: Symbol('s'), list: [() => 1, Symbol('t')] })],
  ['NaN and the infinities', () => ({ nan: NaN, list: [Infinity, -Infinity] })],
  ['-0', () => ({ zero: -0, list: [-0] })],
  ['a sparse array', () => [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['a sparse array whose length passes the budget', () => { const a: unknown[] = []; a[2 ** 32 - 2] = 1; return a; }, 1_000],
  ['undefined members', () => ({ a: undefined, list: [undefined] })],
  ['top-level undefined', () => undefined],
  ['__proto__ keys', withProtoKey],
  ['lone surrogates', () => ({ ['\uD800key']: 'a\uDC00b', list: ['\uDFFF'] })],
  ['a null-prototype object', () => Object.assign(Object.create(null) as object, { a: 1 })],
  ['a class instance', () => new (class Point { x = 1; y = 2; })()],
  ['a boxed primitive', () => [new Number(1), new String('s'), new Boolean(false)]], // eslint-disable-line no-new-wrappers
  ['a proxy of a plain object', () => new Proxy({ a: 1 }, {})],
  ['a proxy whose trap throws', () => new Proxy({ a: 1 }, { ownKeys: () => { throw new Error('trap'); } })],
  ['an array with a toJSON of its own', () => Object.assign([1, 2], { toJSON: () => 'replaced' })],
  ['an array with extra keys', () => Object.assign([1], { extra: 2 })],
  ['integer-like keys out of order', () => ({ b: 1, 2: 'two', a: 3, 1: 'one' })],
  ['a value exactly at its budget estimate', () => ({ a: 'xy' }), 20],
  ['a value one past its budget estimate', () => ({ a: 'xy' }), 19],
  ['top-level null', () => null],
  ['top-level booleans', () => false],
  ['a top-level number', () => 12.5],
  ['top-level -0', () => -0],
  ['top-level NaN', () => NaN],
  ['top-level -Infinity', () => -Infinity],
  ['a top-level string with escapes', () => 'a"b\n\u0000\uD800'],
  ['a top-level string exactly at its budget estimate', () => 'xy', 8],
  ['a top-level string one past its budget estimate', () => 'xy', 7],
  ['a top-level number one past its budget estimate', () => 1, 11],
  ['a top-level BigInt', () => 10n],
  ['a top-level function', () => () => 1],
  ['a top-level symbol', () => Symbol('s')],
];

describe('plain JSON fast path', () => {
  it.each(HOSTILE)('gives the slow path answer for %s', (_label, make, maxChars) => {
    expectSameAnswer(make, maxChars);
  });

  it('gives the slow path answer for arbitrary JSON-ish values and budgets', () => {
    const value = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBigInt: true, maxDepth: 5 });
    fc.assert(fc.property(value, fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }), (made, maxChars) => {
      // fc values are built once; both paths read them without changing them.
      expectSameAnswer(() => made, maxChars);
    }), { numRuns: 2_000 });
  });

  it('takes the fast path for plain data, and copies it', () => {
    const value = { list: [1, 'two', true, null], nested: { x: -0, nan: NaN } };
    const plain = toPlainJson(value, 10_000);
    expect(plain?.text).toBe('{"list":[1,"two",true,null],"nested":{"x":0,"nan":null}}');
    expect(plain?.copy).toStrictEqual({ list: [1, 'two', true, null], nested: { x: 0, nan: null } });
    expect(plain?.copy).not.toBe(value);
    expect((plain?.copy as typeof value).list).not.toBe(value.list);
  });

  it('takes the fast path for a primitive, as JSON makes it', () => {
    expect(toPlainJson(null, 100)).toStrictEqual({ text: 'null', copy: null });
    expect(toPlainJson(-0, 100)).toStrictEqual({ text: '0', copy: 0 });
    expect(toPlainJson(NaN, 100)).toStrictEqual({ text: 'null', copy: null });
    expect(toPlainJson('a"b', 100)).toStrictEqual({ text: '"a\\"b"', copy: 'a"b' });
    expect(toPlainJson(undefined, 100)).toStrictEqual({ text: undefined, copy: undefined });
    expect(toPlainJson(10n, 100)).toBeUndefined();
    expect(toPlainJson('xy', 7)).toBeUndefined();
  });

  it('leaves values that are not plain data to the slow path', () => {
    for (const value of [new Date(0), [new Map()], { b: Buffer.from('x') }, cyclic(), withProtoKey(), { f: () => 1 }, new Proxy([1], { getPrototypeOf: () => null })]) {
      expect(toPlainJson(value, 10_000)).toBeUndefined();
    }
  });

  it('reads a getter once when the value is plain', () => {
    let reads = 0;
    const value = { get a() { reads++; return 1; } };
    expect(toJsonText(value, 'lenient')).toEqual({ ok: true, text: '{"a":1}' });
    expect(reads).toBe(1);
  });

  it('follows a toJSON inherited from Object.prototype, as JSON.stringify does', () => {
    const proto = Object.prototype as { toJSON?: unknown };
    proto.toJSON = () => 'everywhere';
    try {
      expect(toPlainJson({ a: 1 }, 1_000)).toBeUndefined();
      expect(toJsonText({ a: 1 }, 'lenient')).toEqual({ ok: true, text: '"everywhere"' });
    } finally {
      delete proto.toJSON;
    }
  });
});
