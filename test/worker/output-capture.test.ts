import { describe, expect, it } from 'vitest';
import { formatLine, formatValue } from '../../src/worker/format-value.js';
import { createOutputCapture } from '../../src/worker/output-capture.js';

describe('formatValue', () => {
  it.each([
    ['nested data', { a: [1, 'x'], 'b c': null }, '{a: [1, "x"], "b c": null}'],
    ['a cycle', (() => { const a: Record<string, unknown> = {}; a.self = a; return a; })(), '{self: [Circular]}'],
    ['an error', new TypeError('bad'), 'TypeError: bad'],
    ['a map', new Map([['k', 1]]), 'Map(1) {k: 1}'],
    ['a function', function named() {}, '[Function named]'],
    ['deep nesting', { a: { b: { c: { d: { e: 1 } } } } }, '{a: {b: {c: {d: [Object]}}}}'],
    ['a bigint', 5n, '5n'],
  ])('formats %s', (_label, value, expected) => {
    expect(formatValue(value, 1_000)).toBe(expected);
  });

  it('stops formatting at the budget', () => {
    expect(formatValue(Array.from({ length: 10_000 }, (_, i) => i), 50).length).toBeLessThanOrEqual(60);
  });

  it('does not run a custom inspect hook', () => {
    let called = false;
    const value = { [Symbol.for('nodejs.util.inspect.custom')]: () => { called = true; return 'x'; } };
    formatLine([value], 100);
    expect(called).toBe(false);
  });
});

describe('createOutputCapture', () => {
  it('joins arguments like console.log and streams kept lines', () => {
    const streamed: string[] = [];
    const capture = createOutputCapture({ maxOutputLines: 10, maxOutputChars: 100 }, (line) => streamed.push(line));
    capture.print('a', 1, { b: 2 });
    capture.console.warn('w');
    expect(capture.lines).toEqual(['a 1 {b: 2}', 'w']);
    expect(streamed).toEqual(capture.lines);
    expect(capture.truncated()).toBe(false);
  });

  it('drops lines past the line cap and cuts at the character cap', () => {
    const byLines = createOutputCapture({ maxOutputLines: 2, maxOutputChars: 100 });
    for (let i = 0; i < 5; i++) byLines.print(i);
    expect(byLines.lines).toEqual(['0', '1']);
    expect(byLines.truncated()).toBe(true);
    const byChars = createOutputCapture({ maxOutputLines: 10, maxOutputChars: 5 });
    byChars.print('abc');
    byChars.print('defgh');
    byChars.print('ignored');
    expect(byChars.lines).toEqual(['abc', 'de']);
    expect(byChars.truncated()).toBe(true);
  });
});

describe('formatValue against shapes that claim more than they hold', () => {
  const sparse = (): unknown[] => {
    const items: unknown[] = [];
    items[2 ** 32 - 2] = 1;
    return items;
  };

  it('prints the first items of a huge sparse array and counts the rest', () => {
    expect(formatValue(sparse(), 2_000)).toBe(`[${Array.from({ length: 100 }, () => 'undefined').join(', ')}, ... 4294967195 more]`);
  });

  it('reads an error, a Date, a RegExp and a Map through their intrinsics, not what a script put on them', () => {
    const error = new Error('x');
    (error as { message: unknown }).message = sparse();
    const date = new Date(0);
    Object.defineProperty(date, 'toISOString', { value: () => sparse() });
    const pattern = /a+/g;
    Object.defineProperty(pattern, 'source', { get: () => sparse() });
    const map = new Map([['k', 1]]);
    Object.defineProperty(map, 'size', { get: () => sparse() });
    const fn = (): void => undefined;
    Object.defineProperty(fn, 'name', { value: sparse() });
    expect([error, date, pattern, map, fn].map((value) => formatValue(value, 200))).toEqual([
      'Error: ',
      '1970-01-01T00:00:00.000Z',
      '/a+/g',
      'Map(1) {k: 1}',
      '[Function (anonymous)]',
    ]);
  });

  it('runs the getters of a wide object only for the properties it prints', () => {
    let reads = 0;
    const wide: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) Object.defineProperty(wide, `k${i}`, { enumerable: true, get: () => ++reads });
    expect(formatValue(wide, 100_000)).toMatch(/, \.\.\. 9900 more}$/);
    expect(reads).toBe(100);
  });
});
