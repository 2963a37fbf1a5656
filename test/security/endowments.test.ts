// Issue 15 §3: the engine's endowments render as native code and carry nothing but `name`
// and `length`, so a script learns nothing of how the sandbox is built from them.
import { describe, expect, it } from 'vitest';
import type { Isolation } from 'toolweaver';
import { engineFor } from '../helpers.js';

const tools = [
  { name: 'get_users', handler: () => [] },
  { name: 'crm.find_lead', handler: () => null },
];

/** [expression in the script, name it must render with]. */
const ENDOWMENTS: ReadonlyArray<readonly [string, string]> = [
  ['get_users', 'get_users'],
  ['crm.find_lead', 'find_lead'],
  ['print', 'print'],
  ['console.log', 'log'],
  ['console.info', 'info'],
  ['console.warn', 'warn'],
  ['console.error', 'error'],
  ['console.debug', 'debug'],
];

describe.each<Isolation>(['process', 'in-process'])('claim: no script can change anything another script sees (endowments render as native code, %s)', (isolation) => {
  it.each(ENDOWMENTS)('renders %s as native code, with only `name` and `length` of its own, frozen', async (expression, name) => {
    const engine = engineFor(tools, { threads: 1, isolation });
    const result = await engine.execute(`
      const f = ${expression};
      const toString = (function () {}).toString;
      let changed = 'no';
      try { Object.defineProperty(f, 'extra', { value: 1 }); changed = 'yes'; } catch (error) { changed = error.name; }
      return {
        called: toString.call(f),
        method: f.toString(),
        coerced: '' + f,
        name: f.name,
        keys: Reflect.ownKeys(f).map(String).sort(),
        frozen: Object.isFrozen(f),
        changed,
      };
    `);
    const native = `function ${name}() { [native code] }`;
    expect(result.value).toEqual({ called: native, method: native, coerced: native, name, keys: ['length', 'name'], frozen: true, changed: 'TypeError' });
  });

  it('renders the tamed toString itself as native, and a script\'s own functions as their source', async () => {
    const engine = engineFor(tools, { threads: 1, isolation });
    const result = await engine.execute('const own = function double(x) { return x * 2; }; return [String(own.toString), String(Date.now), own.toString().startsWith("function double(x)")];');
    expect(result.value).toEqual(['function toString() { [native code] }', 'function now() { [native code] }', true]);
  });
});

describe.each<Isolation>(['process', 'in-process'])('claim: no script can change anything another script sees (Intl, %s)', (isolation) => {
  it('freezes Intl and the prototypes only its instances reach, so no script changes them for the next', async () => {
    const engine = engineFor([], { threads: 1, isolation });
    const tamper = `
      const segments = new Intl.Segmenter('en').segment('a b');
      const targets = [Intl, Intl.Segmenter.prototype, Intl.NumberFormat.prototype, Object.getPrototypeOf(segments), Object.getPrototypeOf(segments[Symbol.iterator]())];
      return targets.map((target) => {
        try { target.planted = 1; } catch (error) { return [Object.isFrozen(target), error.name]; }
        return [Object.isFrozen(target), 'changed'];
      });
    `;
    expect((await engine.execute(tamper)).value).toEqual(Array.from({ length: 5 }, () => [true, 'TypeError']));
    const check = "const s = new Intl.Segmenter('en').segment('a'); return [Intl.planted, Object.getPrototypeOf(s).planted, Object.getPrototypeOf(s[Symbol.iterator]()).planted].map(String);";
    expect((await engine.execute(check)).value).toEqual(['undefined', 'undefined', 'undefined']);
  });
});
