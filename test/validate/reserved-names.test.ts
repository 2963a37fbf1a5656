import { describe, expect, it } from 'vitest';
import { SecurityValidationError } from '../../src/errors.js';
import { validateScript } from '../../src/validate/index.js';
import { rejectionOf, violationsOf } from './rejection.js';

// Every way a script could bind, assign or read an engine-reserved name in scope: each would
// let it shadow or replace the checkpoint the engine calls in its loops and functions.
describe('engine-reserved names', () => {
  const cases: [label: string, source: string, line: number, column: number][] = [
    ['a const', 'const __tw_checkpoint = () => {};', 1, 7],
    ['a let', 'let __tw_checkpoint;', 1, 5],
    ['a var', 'var __tw_checkpoint = 1;', 1, 5],
    ['a function declaration', 'function __tw_checkpoint() {}', 1, 10],
    ['a named function expression', 'const f = function __tw_checkpoint() {};', 1, 20],
    ['a class declaration', 'class __tw_checkpoint {}', 1, 7],
    ['a named class expression', 'const C = class __tw_checkpoint {};', 1, 17],
    ['a parameter', 'function f(__tw_checkpoint) {}', 1, 12],
    ['an arrow parameter', 'const f = (__tw_checkpoint) => 1;', 1, 12],
    ['a rest parameter', 'const f = (...__tw_checkpoint) => 1;', 1, 15],
    ['a parameter with a default', 'function f(__tw_checkpoint = 1) {}', 1, 12],
    ['a catch parameter', 'try { f(); } catch (__tw_checkpoint) {}', 1, 21],
    ['an object pattern', 'const { a: __tw_checkpoint } = obj;', 1, 12],
    ['a shorthand object pattern', 'const { __tw_checkpoint } = obj;', 1, 9],
    ['an array pattern', 'const [, __tw_checkpoint] = list;', 1, 10],
    ['a nested pattern', 'const { a: [{ b: __tw_checkpoint }] } = obj;', 1, 18],
    ['a for-of binding', 'for (const __tw_checkpoint of list) {}', 1, 12],
    ['an assignment', '__tw_checkpoint = () => {};', 1, 1],
    ['a destructuring assignment', '({ a: __tw_checkpoint } = obj);', 1, 7],
    ['a for-in target', 'for (__tw_checkpoint in obj) {}', 1, 6],
    ['a call', '__tw_checkpoint();', 1, 1],
    ['a read', 'const f = __tw_checkpoint;', 1, 11],
    ['a typeof', 'typeof __tw_checkpoint;', 1, 8],
    ['a shorthand property value', 'const o = { __tw_checkpoint };', 1, 13],
    ['a computed key', 'const o = { [__tw_checkpoint]: 1 };', 1, 14],
    ['another name with the reserved prefix', 'let __tw_other = 1;', 1, 5],
    ['a unicode-escaped name', 'let \\u005f_tw_checkpoint = 1;', 1, 5],
  ];
  it.each(cases)('rejects %s', (_label, source, line, column) => {
    expect(violationsOf(source)).toEqual([{ rule: 'reserved-name', line, column }]);
  });

  it('names the identifier in the message', () => {
    const error = rejectionOf('const __tw_checkpoint = 1;') as SecurityValidationError;
    expect(error.violations[0]?.message).toContain('`__tw_checkpoint`');
  });

  const harmless: [label: string, source: string][] = [
    ['a property name', 'const o = { __tw_checkpoint: 1 }; return o.__tw_checkpoint;'],
    ['a method name', 'const o = { __tw_checkpoint() { return 2; } }; return o.__tw_checkpoint();'],
    ['a class member', 'class A { __tw_checkpoint = 1; static __tw_x() {} } return new A().__tw_checkpoint;'],
    ['a private name', 'class A { #__tw_checkpoint = 1; get() { return this.#__tw_checkpoint; } } return new A().get();'],
    ['a label', '__tw_checkpoint: for (;;) { break __tw_checkpoint; }'],
    ['a string', 'return "__tw_checkpoint();";'],
    ['a similar name', 'const tw_checkpoint = 1, _tw_x = 2, __TW_x = 3; return tw_checkpoint;'],
  ];
  it.each(harmless)('accepts %s (not a name in scope)', (_label, source) => {
    expect(() => validateScript(source)).not.toThrow();
  });
});
