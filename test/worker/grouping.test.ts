// Object.groupBy and Map.groupBy as installed on Node 20, on another realm's intrinsics.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { installGrouping } from '../../src/worker/grouping.js';
import { MAX_ARRAY_WALK } from '../../src/worker/array-guards.js';

type GroupBy = (items: unknown, callback: (value: any, index: number) => unknown) => any;

describe('grouping', () => {
  const realm = runInNewContext('({ Object, Map })') as { Object: ObjectConstructor & { groupBy?: GroupBy }; Map: MapConstructor & { groupBy?: GroupBy } };
  installGrouping(realm.Object, realm.Map);
  const objectGroupBy = realm.Object.groupBy!;
  const mapGroupBy = realm.Map.groupBy!;

  it('groups by property key into a null-prototype object, with the index', () => {
    const seen: number[] = [];
    const groups = objectGroupBy([1, 2, 3, 4], (n, i) => { seen.push(i); return n % 2 === 0 ? 'even' : 'odd'; });
    expect(Object.getPrototypeOf(groups)).toBeNull();
    expect({ ...groups }).toEqual({ odd: [1, 3], even: [2, 4] });
    expect(seen).toEqual([0, 1, 2, 3]);
    const symbol = Symbol('s');
    expect(objectGroupBy(['a'], () => symbol)[symbol]).toEqual(['a']);
    expect(Object.keys(objectGroupBy([1, 2], (n) => ({ toString: () => `k${n}` })))).toEqual(['k1', 'k2']);
  });

  it('groups by SameValueZero into a Map, from any iterable', () => {
    const groups = mapGroupBy(new Set([1, 2, 3]), (n) => (n === 1 ? -0 : n % 2));
    expect([...groups]).toEqual([[0, [1, 2]], [1, [3]]]);
    function* letters() { yield 'a'; yield 'bb'; yield 'c'; }
    expect([...mapGroupBy(letters(), (s) => s.length)]).toEqual([[1, ['a', 'c']], [2, ['bb']]]);
  });

  it('is named, two-argument and prototype-less like a builtin', () => {
    expect([objectGroupBy.name, objectGroupBy.length, Object.hasOwn(objectGroupBy, 'prototype')]).toEqual(['groupBy', 2, false]);
    expect([mapGroupBy.name, mapGroupBy.length]).toEqual(['groupBy', 2]);
  });

  it('refuses bad arguments, and a huge sparse array before walking it', () => {
    expect(() => objectGroupBy(null, () => 1)).toThrow(TypeError);
    expect(() => mapGroupBy([1], 'nope' as never)).toThrow(TypeError);
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    const started = performance.now();
    expect(() => objectGroupBy(sparse, () => 1)).toThrow(RangeError);
    expect(performance.now() - started).toBeLessThan(50);
    expect(MAX_ARRAY_WALK).toBe(2 ** 25);
  });
});
