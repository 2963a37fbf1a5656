// Issue 11: the helpers models use every day, inside the sandbox, with exact values.
import { describe, expect, it } from 'vitest';
import { engineFor } from '../helpers.js';

/** [helper, script, exact value]. */
const HELPERS: ReadonlyArray<readonly [string, string, unknown]> = [
  ['structuredClone of data', `const o = { a: [1, { b: 'x' }], n: null }; const c = structuredClone(o); c.a[1].b = 'y'; return [o.a[1].b, c.a[1].b, c.n];`, ['x', 'y', null]],
  ['structuredClone of Date, Map and Set', `const c = structuredClone({ d: new Date(Date.UTC(2024, 0, 2)), m: new Map([['k', 1]]), s: new Set([1, 2]) }); return [c.d instanceof Date, c.d.toISOString(), c.m instanceof Map, c.m.get('k'), c.s instanceof Set, [...c.s]];`, [true, '2024-01-02T00:00:00.000Z', true, 1, true, [1, 2]]],
  ['structuredClone keeps cycles', `const o = { name: 'root' }; o.self = o; const c = structuredClone(o); return [c.self === c, c !== o, c.name];`, [true, true, 'root']],
  ['structuredClone refuses a function with a TypeError', `try { structuredClone({ run() {} }); return 'cloned'; } catch (error) { return [error instanceof TypeError, error.name]; }`, [true, 'TypeError']],
  ['feature detection of structuredClone', `const clone = typeof structuredClone === 'function' ? structuredClone : (v) => JSON.parse(JSON.stringify(v)); return clone({ a: 1 });`, { a: 1 }],
  ['Object.groupBy', `const g = Object.groupBy([{ t: 'a', v: 1 }, { t: 'b', v: 2 }, { t: 'a', v: 3 }], (row) => row.t); return { a: g.a.map((r) => r.v), b: g.b.map((r) => r.v), proto: Object.getPrototypeOf(g) };`, { a: [1, 3], b: [2], proto: null }],
  ['Map.groupBy', `const g = Map.groupBy([1, 2, 3, 4, 5], (n) => n % 2 === 0); return [g.get(true), g.get(false)];`, [[2, 4], [1, 3, 5]]],
  ['Array.prototype.toSorted', `const a = [3, 1, 2]; return [a.toSorted(), a, a.toSorted((x, y) => y - x)];`, [[1, 2, 3], [3, 1, 2], [3, 2, 1]]],
  ['Array.prototype.toReversed', `const a = [1, 2, 3]; return [a.toReversed(), a];`, [[3, 2, 1], [1, 2, 3]]],
  ['Array.prototype.with', `const a = [1, 2, 3]; return [a.with(1, 9), a.with(-1, 0), a];`, [[1, 9, 3], [1, 2, 0], [1, 2, 3]]],
  ['Array.prototype.at', `return [[1, 2, 3].at(0), [1, 2, 3].at(-1), [].at(0) === undefined, 'abc'.at(-1)];`, [1, 3, true, 'c']],
  ['Array.prototype.findLast and findLastIndex', `const a = [1, 8, 3, 6]; return [a.findLast((n) => n > 5), a.findLastIndex((n) => n > 5), a.findLast((n) => n > 10) === undefined];`, [6, 3, true]],
  ['Intl.NumberFormat', `return [new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234.5), new Intl.NumberFormat('de-DE').format(1234567.891), new Intl.NumberFormat('en-US', { style: 'percent' }).format(0.256)];`, ['$1,234.50', '1.234.567,891', '26%']],
  ['Intl.DateTimeFormat', `const d = new Date(Date.UTC(2024, 2, 5, 14, 30)); return [new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(d), new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' }).format(d)];`, ['Mar 5, 2024', '05/03/2024, 14:30']],
  ['toLocaleString with a locale', `return [(1234.5).toLocaleString('en-US'), new Date(Date.UTC(2024, 2, 5)).toLocaleDateString('en-US', { timeZone: 'UTC' }), ['b', 'a', 'C'].sort((x, y) => x.localeCompare(y, 'en'))];`, ['1,234.5', '3/5/2024', ['a', 'b', 'C']]],
  ['Intl is frozen', `return [Object.isFrozen(Intl), Object.isFrozen(Intl.NumberFormat.prototype), (() => { try { Intl.NumberFormat.prototype.format = null; return 'changed'; } catch (error) { return error.name; } })()];`, [true, true, 'TypeError']],
];

describe('helpers models use every day (issue 11)', () => {
  it.each(HELPERS)('%s', async (_label, code, expected) => {
    const engine = engineFor([], { threads: 1 });
    expect((await engine.execute(code)).value).toEqual(expected);
  });

  it('gives every script its own structuredClone, rendered as native code', async () => {
    const engine = engineFor([], { threads: 1 });
    const result = await engine.execute('return [String(structuredClone), String(Object.groupBy), String(Map.groupBy), Reflect.ownKeys(structuredClone).map(String).sort(), Object.isFrozen(structuredClone)];');
    expect(result.value).toEqual(['function structuredClone() { [native code] }', 'function groupBy() { [native code] }', 'function groupBy() { [native code] }', ['length', 'name'], true]);
  });
});
