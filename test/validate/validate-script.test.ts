import { describe, expect, it } from 'vitest';
import { validateScript } from '../../src/validate/index.js';
import { syntaxErrorOf } from './rejection.js';

describe('accepted scripts', () => {
  it('wraps a clean script verbatim in an async function on its own first line', () => {
    const source = 'const users = await get_users();\nreturn users.length;';
    expect(validateScript(source)).toEqual({
      code: `(async function () {\n${source}\n})()`,
      regenerated: false,
      normalized: [],
    });
  });

  it('accepts top-level await and return', () => {
    expect(() => validateScript('const a = await Promise.resolve(1);\nif (a) return a;\nreturn 0;')).not.toThrow();
  });

  it('closes the wrapper after a trailing line comment', () => {
    const { code } = validateScript('return 1; // done');
    expect(code.endsWith('// done\n})()')).toBe(true);
  });

  it('turns a #! line into a comment so the wrapped code still parses', () => {
    const { code, regenerated } = validateScript('#!/usr/bin/env node\nreturn 1;');
    expect(regenerated).toBe(false);
    expect(code).toBe('(async function () {\n///usr/bin/env node\nreturn 1;\n})()');
  });

  it('does not keep state between calls', () => {
    const source = 'const process = 1;\nreturn process;';
    expect(validateScript(source)).toEqual(validateScript(source));
  });
});

describe('syntax errors', () => {
  const cases: [label: string, source: string, line: number, column: number][] = [
    ['an unexpected token', 'let x = ;', 1, 9],
    ['an error on a later line', 'const a = 1;\nconst b = (;', 2, 12],
    ['an unterminated string', 'const s = "abc;\nreturn s;', 1, 11],
    ['a missing semicolon Babel recovers from', 'a\n  b c', 2, 4],
    ['a redeclared let Babel recovers from', 'let x = 1;\nlet x = 2;', 2, 5],
    ['a strict-mode octal literal', 'const n = 010;', 1, 11],
    ['a strict-mode delete of a name', 'delete x;', 1, 1],
    ['new.target outside a function', 'new.target;', 1, 1],
  ];
  it.each(cases)('reports %s with its 1-based line and column', (_label, source, line, column) => {
    expect(syntaxErrorOf(source)).toEqual({ code: 'ERR_SCRIPT_SYNTAX', line, column });
  });

  it('reports a syntax error before any violation in the same script', () => {
    expect(syntaxErrorOf('eval("x");\nlet y = ;')).toEqual({ code: 'ERR_SCRIPT_SYNTAX', line: 2, column: 9 });
  });

  it('reports a pathologically nested script as a syntax error, not a crash', () => {
    const depth = 100_000;
    expect(syntaxErrorOf(`return ${'['.repeat(depth)}${']'.repeat(depth)};`)).toEqual({
      code: 'ERR_SCRIPT_SYNTAX',
      line: 1,
      column: 1,
    });
  });
});
