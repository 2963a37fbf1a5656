import { runInNewContext } from 'node:vm';
import { types } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installArrayGuards, MAX_ARRAY_WALK } from '../../src/worker/array-guards.js';

// The guards go on another realm's Array, never on the test runner's own intrinsics.
function guardedRealm(): (code: string) => unknown {
  const context = {};
  const realmArray = runInNewContext('Array', context) as ArrayConstructor;
  installArrayGuards((value) => types.isProxy(value), realmArray);
  return (code) => runInNewContext(code, context);
}

const SPARSE = 'const a = []; a[2 ** 32 - 2] = 1;';

describe('installArrayGuards', () => {
  it.each(['forEach(() => 0)', 'map((x) => x)', 'join()', 'indexOf(5)', 'lastIndexOf(5)', 'sort()', 'reverse()', 'slice()', 'toSorted()', 'fill(0)', 'filter(Boolean)', 'reduce((s) => s, 0)', 'splice(0, 1)', 'shift()'])(
    'refuses a.%s on a huge sparse array at once, with a RangeError',
    (call) => {
      const run = guardedRealm();
      expect(run(`${SPARSE} try { a.${call}; 'ran' } catch (e) { e.name }`)).toBe('RangeError');
    },
  );

  it('refuses the implicit join of String(a), Array.from of a huge array-like and concat of a spreadable one', () => {
    const run = guardedRealm();
    expect(run(`${SPARSE} try { String(a) } catch (e) { e.name }`)).toBe('RangeError');
    expect(run(`try { Array.from({ length: 2 ** 32 - 1 }) } catch (e) { e.name }`)).toBe('RangeError');
    expect(run(`try { [].concat({ length: 2 ** 32 - 1, [Symbol.isConcatSpreadable]: true }) } catch (e) { e.name }`)).toBe('RangeError');
  });

  it('refuses a Proxy and an accessor length, which could answer the check and the builtin differently', () => {
    const run = guardedRealm();
    expect(run(`try { Array.prototype.map.call(new Proxy([1], {}), (x) => x) } catch (e) { e.name }`)).toBe('TypeError');
    expect(run(`try { Array.prototype.join.call({ get length() { return 1; } }) } catch (e) { e.name }`)).toBe('TypeError');
  });

  it('leaves calls within the bound unchanged, arrays and array-likes alike', () => {
    const run = guardedRealm();
    expect(run(`[[3, 1, 2].toSorted(), [1, 2, 3].map((x) => x * 2), Array.prototype.join.call({ length: 2, 0: 'a', 1: 'b' }, '-'), [1].concat([2], 3), Array.from({ length: 2 }, (_, i) => i), Array.from(new Set([7]))]`)).toEqual([[1, 2, 3], [2, 4, 6], 'a-b', [1, 2, 3], [0, 1], [7]]);
    const atBound = run(`const b = []; b.length = ${MAX_ARRAY_WALK}; b.indexOf(1)`);
    expect(atBound).toBe(-1);
  });

  it('keeps each builtin\'s name and length, with no prototype property', () => {
    const run = guardedRealm();
    expect(run(`[Array.prototype.map.name, Array.prototype.map.length, 'prototype' in Array.prototype.map, Array.from.name, Array.from.length, Array.prototype.concat.length]`)).toEqual(['map', 1, false, 'from', 1, 1]);
  });
});
