// The sandbox's structuredClone, outside any sandbox: exact copies, refusals, bounds, and
// the checkpoint passed for every unit of work.
import { describe, expect, it } from 'vitest';
import { createStructuredClone, MAX_CLONE_UNITS } from '../../src/worker/structured-clone.js';
import { thrownBy } from '../helpers.js';

const clone = createStructuredClone(() => {});

describe('structuredClone (sandbox)', () => {
  it('copies data deeply, keeping undefined, NaN, -0, BigInt, Dates, Maps, Sets and holes', () => {
    const source = { a: [1, 'two', null, undefined, true], n: { nan: NaN, negativeZero: -0, big: 12n }, when: new Date(86_400_000), m: new Map<unknown, unknown>([['k', { v: 1 }], [2, [3]]]), s: new Set([1, 'x']), holes: [1, , 3] };
    const copy = clone(source) as typeof source;
    expect(copy).toEqual(source);
    expect(copy).not.toBe(source);
    expect(copy.a).not.toBe(source.a);
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(source.when);
    expect(copy.when.getTime()).toBe(86_400_000);
    expect(copy.m.get('k')).not.toBe(source.m.get('k'));
    expect(Object.is(copy.n.negativeZero, -0)).toBe(true);
    expect(Object.hasOwn(copy.holes, 1)).toBe(false);
    expect(copy.holes).toHaveLength(3);
    expect(copy.a).toHaveLength(5);
  });

  it('keeps cycles and shared references, like the platform', () => {
    const shared = { id: 1 };
    const source: Record<string, unknown> = { left: shared, right: shared, list: [shared] };
    source.self = source;
    const map = new Map<unknown, unknown>();
    map.set(map, map);
    source.map = map;
    const copy = clone(source) as Record<string, any>;
    expect(copy.self).toBe(copy);
    expect(copy.left).toBe(copy.right);
    expect(copy.list[0]).toBe(copy.left);
    expect(copy.left).not.toBe(shared);
    expect(copy.map.get(copy.map)).toBe(copy.map);
  });

  it('copies own enumerable properties into plain objects, "__proto__" as data, and runs each getter once', () => {
    class Point {
      constructor(public x: number, public y: number) {}
      get sum(): number { return this.x + this.y; }
    }
    let reads = 0;
    const source = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    Object.defineProperty(source, 'counted', { get: () => ++reads, enumerable: true });
    Object.defineProperty(source, 'hidden', { value: 1, enumerable: false });
    const copy = clone({ point: new Point(1, 2), source }) as { point: object; source: Record<string, unknown> };
    expect(Object.getPrototypeOf(copy.point)).toBe(Object.prototype);
    expect(copy.point).toEqual({ x: 1, y: 2 });
    expect(Object.getPrototypeOf(copy.source)).toBe(Object.prototype);
    expect(Object.keys(copy.source)).toEqual(['__proto__', 'ok', 'counted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(copy.source.counted).toBe(1);
    expect(reads).toBe(1);
  });

  it.each([
    ['a function', { f: () => 1 }, 'TypeError'],
    ['a symbol', [Symbol('s')], 'TypeError'],
    ['a Proxy', { p: new Proxy({}, {}) }, 'TypeError'],
    ['a Promise', { p: Promise.resolve(1) }, 'TypeError'],
    ['a WeakMap', new WeakMap(), 'TypeError'],
    ['a RegExp', /x/, 'TypeError'],
    ['an Error', new Error('x'), 'TypeError'],
    ['a boxed string', Object('x'), 'TypeError'],
  ] as const)('refuses %s with a TypeError, touching no trap', (_label, value, name) => {
    expect(thrownBy(() => clone(value)).name).toBe(name);
  });

  it('refuses a Proxy without calling any of its traps', () => {
    let trapped = 0;
    const handler = new Proxy({}, { get: () => { trapped++; return undefined; } });
    expect(thrownBy(() => clone([new Proxy({}, handler)])).name).toBe('TypeError');
    expect(trapped).toBe(0);
  });

  it('refuses a huge sparse array, Map or object before walking it, and the transfer option', () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    const started = performance.now();
    expect(thrownBy(() => clone({ rows: [sparse] })).name).toBe('RangeError');
    expect(performance.now() - started).toBeLessThan(50);
    const big: unknown[] = [];
    big[MAX_CLONE_UNITS - 1] = 1;
    // Within the bound alone, but not with the other array beside it.
    expect(thrownBy(() => clone([big, [1, 2]])).name).toBe('RangeError');
    expect(thrownBy(() => clone({}, { transfer: [{}] })).name).toBe('TypeError');
    expect(thrownBy(() => (clone as () => unknown)()).name).toBe('TypeError');
  });

  it('copies a very deep structure without recursing on the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let copy = clone(deep) as unknown[];
    let depth = 0;
    while (copy.length > 0) {
      copy = copy[0] as unknown[];
      depth++;
    }
    expect(depth).toBe(100_000);
  });

  it('passes the checkpoint for every element, hole and property, and stops where it throws', () => {
    let calls = 0;
    const counting = createStructuredClone(() => void calls++);
    const sparse: unknown[] = [];
    sparse[999] = 1;
    counting({ a: [1, 2, 3], sparse, o: { x: 1 } });
    // 3 elements + 1000 slots of the sparse array + 1 property, and a step per container.
    expect(calls).toBeGreaterThanOrEqual(1004);
    const stop = new Error('stopped');
    let budget = 100;
    const stopping = createStructuredClone(() => { if (--budget < 0) throw stop; });
    const hole: unknown[] = [];
    hole[2 ** 25 - 1] = 1;
    expect(thrownBy(() => stopping(hole))).toBe(stop);
  });
});
