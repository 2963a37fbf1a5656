import { describe, expect, it } from 'vitest';
import { codeFrame, MAX_MODEL_MESSAGE_CHARS, renderModelMessage } from '../src/model-message.js';

describe('codeFrame', () => {
  it('puts the caret under the column of the line', () => {
    expect(codeFrame('a\nconst x = y();\nb', 2, 11)).toBe('2 | const x = y();\n  |           ^');
  });

  it('keeps tabs before the caret, so it lines up in any tab width', () => {
    expect(codeFrame('\t\tfoo()', 1, 3)).toBe('1 | \t\tfoo()\n  | \t\t^');
  });

  it('cuts a long line around the column and keeps the caret under it', () => {
    const line = `${'a'.repeat(500)}BAD${'b'.repeat(500)}`;
    const frame = codeFrame(line, 1, 501)!;
    const [text, caret] = frame.split('\n') as [string, string];
    expect(text.length).toBeLessThan(140);
    expect(text[caret.indexOf('^')]).toBe('B');
  });

  it('gives nothing for a line that is not in the source', () => {
    expect(codeFrame('one line', 3, 1)).toBeUndefined();
  });
});

describe('renderModelMessage', () => {
  it('stays within its bound whatever the script printed or the error says', () => {
    const text = renderModelMessage({ summary: 'x'.repeat(5_000), hint: 'y'.repeat(5_000) }, undefined, Array.from({ length: 1_000 }, () => 'z'.repeat(1_000)));
    expect(text.length).toBeLessThanOrEqual(MAX_MODEL_MESSAGE_CHARS);
  });

  it('quotes only the last printed lines', () => {
    const text = renderModelMessage({ summary: 'failed' }, undefined, ['1', '2', '3', '4', '5', '6', '7']);
    expect(text).toBe('failed\n\nLast 5 of 7 printed lines before the failure:\n  3\n  4\n  5\n  6\n  7');
  });

  it('frames the first locations only, and lists the rest', () => {
    const source = 'a();\nb();\nc();\nd();';
    const locations = [1, 2, 3, 4].map((line) => ({ line, column: 1, note: `bad ${line}` }));
    const text = renderModelMessage({ summary: 'rejected', locations }, source);
    expect(text).toContain('- line 3, column 1: bad 3\n3 | c();');
    expect(text).toContain('- line 4, column 1: bad 4');
    expect(text).not.toContain('4 | d();');
  });
});
