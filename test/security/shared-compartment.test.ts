// Issue 13 W1: every script of a thread runs in the thread's one Compartment. Hostile scripts
// try to leave something there for the next script (or to read the next script's
// endowments), always on one thread so the two really share it.
import { describe, expect, it } from 'vitest';
import type { Isolation } from 'toolweaver';
import { createGate, engineFor, rejectionOf } from '../helpers.js';

/** Runs `body` once per attempt named in `attempts` (name -> arrow source); lists each as `name:outcome`. */
const TRY_EACH = (attempts: string): string => `
  const outcomes = [];
  for (const [name, attempt] of Object.entries(${attempts})) {
    try { attempt(); outcomes.push(name + ':done'); } catch (error) { outcomes.push(name + ':' + error.name); }
  }
`;

describe.each<Isolation>(['process', 'in-process'])('claim: no script can change anything another script sees (shared Compartment, %s)', (isolation) => {
  it('gives no script the context of a script before it, with the same code or another', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => null }], { threads: 1, isolation });
    const code = "await noop(); print('ran'); return typeof secret_a === 'undefined' ? 'none' : secret_a;";
    expect((await engine.execute(code, { context: { secret_a: 'a' } })).value).toBe('a');
    expect((await engine.execute(code)).value).toBe('none');
    expect((await engine.execute(code, { context: { secret_a: 'c' } })).value).toBe('c');
    expect((await engine.execute('return [typeof secret_a, typeof secret_b];', { context: { secret_b: 1 } })).value).toEqual(['undefined', 'number']);
  });

  it('gives a script that spells names with escapes its own endowments, and none of another script', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => 'called' }], { threads: 1, isolation });
    // An identifier can be spelled with `\u` escapes; the engine then binds every endowment of the run.
    const code = "return [typeof pr\\u0069nt, await n\\u006fop(), typeof s\\u0065cret === 'undefined' ? 'none' : s\\u0065cret];";
    expect((await engine.execute(code, { context: { secret: 'a' } })).value).toEqual(['function', 'called', 'a']);
    expect((await engine.execute(code)).value).toEqual(['function', 'called', 'none']);
  });

  it('keeps each of two scripts in flight on one thread, with the same code, to its own endowments', async () => {
    const gate = createGate();
    const engine = engineFor([{ name: 'hold', handler: () => gate.wait() }, { name: 'noop', handler: () => null }], { threads: 1, isolation });
    const code = "const late = (who === 'a' ? hold() : noop()).then(() => [who, typeof only_b, typeof print]); return await late;";
    const first = engine.execute(code, { context: { who: 'a' } });
    // Runs start to end while the first waits on its tool, in a promise job of its own.
    const second = await engine.execute(code, { context: { who: 'b', only_b: true } });
    gate.open();
    expect(second.value).toEqual(['b', 'boolean', 'function']);
    expect((await first).value).toEqual(['a', 'undefined', 'function']);
  });

  it('keeps top-level declarations, undeclared names and writes to shared globals from the next script', async () => {
    const engine = engineFor([], { threads: 1, isolation });
    const attempts = await engine.execute(`
      var leaked_var = 1; function leaked_fn() {} class LeakedClass {} let leaked_let = 1;
      ${TRY_EACH(`{
        undeclared: () => { leaked_undeclared = print; },
        date: () => { Date = print; },
        math: () => { Math = print; },
        json: () => { JSON = print; },
        intl: () => { Intl = print; },
        array: () => { Array = print; },
        undefinedValue: () => { undefined = 1; },
        printItself: () => { print = 1; },
      }`)}
      return outcomes;
    `);
    expect(attempts.value).toEqual(['undeclared:ReferenceError', 'date:TypeError', 'math:TypeError', 'json:TypeError', 'intl:TypeError', 'array:TypeError', 'undefinedValue:TypeError', 'printItself:TypeError']);
    const next = await engine.execute(`
      return [typeof leaked_var, typeof leaked_fn, typeof LeakedClass, typeof leaked_let, typeof leaked_undeclared,
        typeof Date.now(), typeof Math.random(), JSON.stringify([1]), typeof Intl.NumberFormat, Array.isArray([]), typeof undefined];
    `);
    expect(next.value).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'number', 'number', '[1]', 'function', true, 'undefined']);
  });

  it('gives top-level code and plain functions no `this` and no endowments in `arguments`', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => null }], { threads: 1, isolation });
    const result = await engine.execute(`
      const plain = function () { return [typeof this, arguments.length]; };
      return [typeof this, (() => typeof this)(), plain(), typeof arguments, arguments.length, Object.keys(arguments), typeof noop];
    `, { context: { key: 1 } });
    expect(result.value).toEqual(['undefined', 'undefined', ['undefined', 0], 'object', 0, [], 'function']);
  });

  it('leaves no shared place where a script can keep its endowments for the next', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => null }], { threads: 1, isolation });
    const stash = await engine.execute(`
      /(stashed_a)/.exec('stashed_a');
      ${TRY_EACH(`{
        objectProto: () => { Object.prototype.stash = secret; },
        arrayProto: () => { Array.prototype.stash = secret; },
        functionProto: () => { Object.getPrototypeOf(print).stash = secret; },
        asyncFunctionProto: () => { Object.getPrototypeOf(async function () {}).stash = secret; },
        promise: () => { Promise.stash = secret; },
        promiseProto: () => { Promise.prototype.stash = secret; },
        errorProto: () => { Error.prototype.stash = secret; },
        prepareStackTrace: () => { Error.prepareStackTrace = function stash_marker() { return secret; }; },
        math: () => { Math.stash = secret; },
        json: () => { JSON.stash = secret; },
        reflect: () => { Reflect.stash = secret; },
        date: () => { Date.stash = secret; },
        dateProto: () => { Date.prototype.stash = secret; },
        intl: () => { Intl.stash = secret; },
        symbol: () => { Symbol.stash = secret; },
        regexp: () => { RegExp.stash = secret; },
        print: () => { print.stash = secret; },
        console: () => { console.stash = secret; },
        tool: () => { noop.stash = secret; },
        context: () => { secret.stash = print; },
      }`)}
      return outcomes.filter((outcome) => !outcome.endsWith(':TypeError'));
    `, { context: { secret: { value: 's3cr3t' } } });
    // SES's Error.prepareStackTrace ignores what a script sets; reading it below shows that.
    expect(stash.value).toEqual(['prepareStackTrace:done']);
    const found = await engine.execute(`
      const places = [{}, [], print, async function () {}, Promise, Promise.resolve(), new Error('x'), Math, JSON, Reflect, Date, new Date(0), Intl, Symbol, RegExp, print, console, noop];
      return [places.map((place) => place.stash), String(Error.prepareStackTrace).includes('stash_marker'), typeof RegExp.$1, typeof RegExp.lastMatch, typeof secret];
    `);
    expect(found.value).toEqual([Array.from({ length: 18 }, () => null), false, 'undefined', 'undefined', 'undefined']);
  });

  it('keeps errors one script throws, catches or leaves rejected from every other', async () => {
    const engine = engineFor([{ name: 'fail', handler: () => { throw new Error('no'); } }], { threads: 1, isolation });
    const thrower = `
      const caught = [];
      try { await fail(); } catch (error) { caught.push(error); }
      try { undeclared_name = 1; } catch (error) { caught.push(error); }
      try { null.x; } catch (error) { caught.push(error); }
      const marks = caught.map((error) => { try { error.stash = secret; return 'marked'; } catch { return 'refused'; } });
      const protos = caught.map((error) => { try { Object.getPrototypeOf(error).stash = secret; return 'changed'; } catch (e) { return e.name; } });
      Promise.reject(caught[0]);
      return [marks, protos];
    `;
    expect((await engine.execute(thrower, { context: { secret: 'a' } })).value).toEqual([['marked', 'marked', 'marked'], ['TypeError', 'TypeError', 'TypeError']]);
    const reader = await engine.execute(`
      const caught = [];
      try { await fail(); } catch (error) { caught.push(error); }
      try { undeclared_name = 1; } catch (error) { caught.push(error); }
      try { null.x; } catch (error) { caught.push(error); }
      return caught.map((error) => [error.stash, Object.getPrototypeOf(error).stash, error.name]);
    `);
    expect(reader.value).toEqual([[null, null, 'Error'], [null, null, 'ReferenceError'], [null, null, 'TypeError']]);
    // A script ending with a thrown error leaves nothing either.
    const error = await rejectionOf(engine.execute("const e = new Error('left'); e.stash = secret; throw e;", { context: { secret: 'a' } }));
    expect(error.code).toBe('ERR_SCRIPT');
    expect((await engine.execute('try { await fail(); } catch (error) { return [error.stash, typeof secret]; }')).value).toEqual([null, 'undefined']);
  });

  it('keeps promise callbacks of two scripts interleaved on one thread each to its own endowments', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => null }], { threads: 1, isolation });
    // Each turn of each script runs in a promise job after a tool reply; the two alternate.
    // The first tries to leave its endowments where the second looks, and to read the second's.
    const leaver = engine.execute(`
      const seen = [];
      for (let i = 0; i < 20; i++) {
        await noop();
        try { Object.prototype.late = secret; } catch {}
        try { Date = print; } catch {}
        try { late_name = secret; } catch {}
        seen.push(typeof mine);
      }
      return [secret, [...new Set(seen)]];
    `, { context: { secret: 'a' } });
    const reader = engine.execute(`
      const seen = [];
      for (let i = 0; i < 20; i++) {
        await noop();
        seen.push(JSON.stringify([({}).late, typeof late_name, Date.name, typeof secret, mine]));
      }
      return [...new Set(seen)];
    `, { context: { mine: 'b' } });
    expect((await leaver).value).toEqual(['a', ['undefined']]);
    expect((await reader).value).toEqual([JSON.stringify([undefined, 'undefined', 'Date', 'undefined', 'b'])]);
  });

  it('deeply freezes context values, so a getter or a change planted on one reaches no one', async () => {
    const engine = engineFor([], { threads: 1, isolation });
    const code = `
      ${TRY_EACH(`{
        set: () => { config.limit = 99; },
        nested: () => { config.nested.x = 99; },
        getter: () => { Object.defineProperty(config, 'leak', { get: () => print }); },
        proto: () => { Object.setPrototypeOf(config.nested, { leak: 1 }); },
        push: () => { config.list.push(print); },
      }`)}
      return [outcomes, config.limit, config.nested.x, config.list.length, typeof config.leak, Object.isFrozen(config.nested)];
    `;
    const failed = ['set:TypeError', 'nested:TypeError', 'getter:TypeError', 'proto:TypeError', 'push:TypeError'];
    expect((await engine.execute(code, { context: { config: { limit: 1, nested: { x: 1 }, list: [] } } })).value).toEqual([failed, 1, 1, 0, 'undefined', true]);
    expect((await engine.execute(code, { context: { config: { limit: 5, nested: { x: 6 }, list: [1] } } })).value).toEqual([failed, 5, 6, 1, 'undefined', true]);
  });
});
