import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beginsWithProse, blankOutsideFence, chooseFence, findFences, mayHoldFence } from '../../src/validate/extract-fence.js';
import { probeScript } from '../../src/validate/parse.js';

const FENCE = '```';

describe('findFences', () => {
  it('finds each fence with its language, opening line and code range', () => {
    const text = `Intro\n${FENCE}bash\nls\n${FENCE}\n\n${FENCE}TypeScript title="x"\nreturn 1;\n${FENCE}\nbye`;
    const fences = findFences(text);
    expect(fences.map(({ index, language, line }) => ({ index, language, line }))).toEqual([
      { index: 0, language: 'bash', line: 2 },
      { index: 1, language: 'typescript', line: 6 },
    ]);
    expect(text.slice(fences[1]!.codeStart, fences[1]!.codeEnd)).toBe('return 1;\n');
  });

  it('runs an unclosed fence to the end of the text', () => {
    const text = `${FENCE}js\nreturn 2;`;
    const [fence] = findFences(text);
    expect(text.slice(fence!.codeStart, fence!.codeEnd)).toBe('return 2;');
  });

  it('closes a fence only with a run at least as long, of the same character', () => {
    const text = '````js\nconst s = "```";\n```\nreturn s;\n````\n';
    const [fence] = findFences(text);
    expect(text.slice(fence!.codeStart, fence!.codeEnd)).toBe('const s = "```";\n```\nreturn s;\n');
  });

  it('accepts tilde fences, CRLF line ends and up to three spaces of indent', () => {
    expect(findFences('~~~js\r\nreturn 1;\r\n~~~\r\n').map((f) => f.language)).toEqual(['js']);
    expect(findFences('   ```ts\nx\n   ```').map((f) => f.language)).toEqual(['ts']);
    expect(findFences('    ```ts\nx\n```')).toHaveLength(1);
    expect(findFences('    ```ts\nx\n```')[0]!.line).toBe(3);
  });

  it('takes no backtick line with a backtick in its info string as a fence', () => {
    expect(findFences('```js`\nreturn 1;\n```')).toEqual([expect.objectContaining({ line: 3, language: '' })]);
  });

  it('scans a hostile megabyte line with a trailing backtick in one pass (a backtracking regexp would stall the main thread)', () => {
    expect(findFences(`\`\`\`${'a'.repeat(1_000_000)}\``)).toEqual([]);
  });

  it('is skipped cheaply for text without a fence marker', () => {
    expect(mayHoldFence('return `a` + `b`;')).toBe(false);
    expect(mayHoldFence('x\n```')).toBe(true);
  });
});

describe('chooseFence', () => {
  const fence = (language: string, index: number) => ({ index, language, line: 1, openAt: 0, codeStart: 0, codeEnd: 0 });

  it.each([
    ['the first JavaScript or TypeScript fence', ['json', 'bash', 'ts', 'js'], 2],
    ['a script fence over an earlier bare one', ['', 'javascript'], 1],
    ['the first bare fence when none is tagged as a script', ['python', '', ''], 1],
    ['mjs and mts as scripts', ['sh', 'mts'], 1],
  ])('takes %s', (_label, languages, index) => {
    expect(chooseFence(languages.map(fence))?.index).toBe(index);
  });

  it('takes no fence of another language', () => {
    expect(chooseFence([fence('python', 0), fence('json', 1)])).toBeUndefined();
  });
});

describe('blankOutsideFence', () => {
  it('keeps the code where it was, blanking the rest and keeping every line break', () => {
    const text = `Sure! Here:\r\n${FENCE}js\r\nreturn 1;\r\n${FENCE}\r\nDone\u2028ok`;
    const fence = chooseFence(findFences(text))!;
    const blanked = blankOutsideFence(text, fence);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe(`           \r\n     \r\nreturn 1;\r\n   \r\n    \u2028  `);
  });
});

describe('beginsWithProse', () => {
  it.each([
    ['Here is the script:\n'],
    ['  \n\tSure thing, here it is'],
    ['I will call get_users first'],
    ['Items inside the list'],
    ["Here's the script"],
    ['Let\'s fetch the team first'],
    ['Say "hello"'],
  ])('finds prose at the start of %j', (text) => {
    expect(beginsWithProse(text)).toBe(true);
    expect(probeScript(text)).toBeUndefined();
  });

  it.each([
    ['Items in list;'],
    ['Shape instanceof Object;'],
    ['Items in(list);'],
    ['Answer:\nreturn 1;'],
    ['Tag`template`'],
    ['here is the code'],
    ["here's the code"],
    ['Here\nis the code'],
    ['Result.value'],
    ['#!/usr/bin/env node\nHere is'],
  ])('does not claim prose for %j', (text) => {
    expect(beginsWithProse(text)).toBe(false);
  });

  it('never claims prose for a text that parses as a script', () => {
    const word = fc.constantFrom('Here', 'Items', 'Foo', 'in', 'instanceof', 'inside', 'of', 'as', 'let', 'await', 'x', 'Y', 'is', "'s'", '"t"', '`u`', "'");
    const gap = fc.constantFrom(' ', '\t', '  ', '\n', ' /* c */ ', '');
    const rest = fc.constantFrom(';', ' list;', '(1);', ' = 1;', ': 1;', '', '\n```js\nreturn 1;\n```', ' /*\n```js\n```\n*/ list;');
    fc.assert(
      fc.property(fc.constantFrom('', ' ', '\n'), word, gap, word, rest, (lead, first, between, second, tail) => {
        const text = `${lead}${first}${between}${second}${tail}`;
        if (beginsWithProse(text)) expect(probeScript(text)).toBeUndefined();
      }),
      { seed: 20261207, numRuns: 3000 },
    );
  });
});
