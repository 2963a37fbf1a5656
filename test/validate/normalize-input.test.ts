import { describe, expect, it } from 'vitest';
import { validateScript } from '../../src/validate/index.js';
import { normalizeInput } from '../../src/validate/normalize-input.js';
import { rejectionOf } from './rejection.js';

const FENCE = '```';

/** line:column of an offset, 1-based, as errors report them. */
function positionIn(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('normalizeInput', () => {
  const plain: [label: string, source: string][] = [
    ['a plain script', 'const a = await get_users();\nreturn a.length;'],
    ['a fence inside a block comment', `/*\n${FENCE}js\nreturn 1;\n${FENCE}\n*/\nreturn 2;`],
    ['escaped backticks in a template literal', 'const md = `\n\\`\\`\\`js\nx\n\\`\\`\\`\n`;\nreturn md;'],
    ['comparisons that look like type arguments', 'const a = 1, b = 2, c = 3;\nreturn a < b > (c);'],
    ['a script TypeScript would read otherwise', 'return x < y > (z);'],
    ['a first line of code that reads like prose (`in`)', `Items in /*\n${FENCE}js\nreturn 1;\n${FENCE}\n*/ list;\nreturn 2;`],
    ['a first line of code that reads like prose (`instanceof`)', `Shape instanceof /*\n${FENCE}ts\nreturn 1;\n${FENCE}\n*/ Object;\nreturn 2;`],
  ];
  it.each(plain)('leaves %s byte for byte', (_label, source) => {
    const input = normalizeInput(source);
    expect(input.text).toBe(source);
    expect(input.applied).toEqual([]);
    expect(input.fence).toBeUndefined();
  });

  it('takes a fence that is the whole text, though it parses as a tagged template', () => {
    const input = normalizeInput(`${FENCE}js\nreturn 1;\n${FENCE}`);
    expect(input.applied).toEqual(['fence']);
    expect(input.text).toBe('     \nreturn 1;\n   ');
  });

  it.each([
    ['a one-word label', `Answer:\r\n${FENCE}ts\r\nconst n: number = 1;\r\nn;\r\n${FENCE}\r\n`],
    ['a one-word line the fence would tag', `Solution\n${FENCE}js\nreturn 1;\n${FENCE}`],
  ])('takes a fence after prose that happens to parse (%s)', (_label, source) => {
    const input = normalizeInput(source);
    expect(input.applied[0]).toBe('fence');
    expect(input.fence?.line).toBe(2);
  });

  it('leaves Error.stackTraceLimit as it was after its probes fail', () => {
    const before = Error.stackTraceLimit;
    normalizeInput(`Some prose first.\n${FENCE}ts\nconst n: number = 1;\nreturn n;\n${FENCE}`);
    expect(() => normalizeInput('const = ;')).toThrow();
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('reports the fence taken among several', () => {
    const source = `Run this:\n${FENCE}bash\nnpm i\n${FENCE}\n${FENCE}typescript\nconst n: number = 1;\nreturn n;\n${FENCE}\n${FENCE}js\nreturn 2;\n${FENCE}`;
    const input = normalizeInput(source);
    expect(input.fence).toEqual({ index: 1, language: 'typescript', line: 5 });
    expect(input.applied).toEqual(['fence', 'typescript']);
    expect(input.text).toHaveLength(source.length);
  });

  it('leaves a reply with only fences of other languages for the parser to refuse', () => {
    const error = rejectionOf(`Here is the code:\n${FENCE}python\nprint(1)\n${FENCE}`);
    expect(error).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line: 1 });
  });
});

describe('positions point into the text the model sent', () => {
  const fenced = (code: string) => `Sure, here is the script.\n\n${FENCE}ts\n${code}\n${FENCE}\n\nIt returns the total.`;

  it('places a violation in a fenced TypeScript script at its place in the reply', () => {
    const source = fenced('interface Row { n: number }\nconst rows: Row[] = await get_rows();\nconst env: Record<string, string> = process.env as any;\nreturn rows.length;');
    const error = rejectionOf(source) as { code: string; violations: { line: number; column: number }[] };
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
    expect(error.violations.map(({ line, column }) => ({ line, column }))).toEqual([positionIn(source, 'process')]);
  });

  it('places a syntax error in a fenced script at its place in the reply', () => {
    const source = fenced('const total: number = 1;\nconst broken = (;\nreturn total;');
    expect(rejectionOf(source)).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', ...positionIn(source, ';\nreturn total') });
    expect(positionIn(source, ';\nreturn total')).toEqual({ line: 5, column: 17 });
  });

  it('places an unknown tool after blanked TypeScript at its column in the reply', () => {
    const source = fenced('const id: string = "u1", user: User = await get_usr<User>({ id } as Query);\nreturn user!.name;');
    const tools = { tree: { members: new Map([['get_user', { tool: 'get_user', members: new Map() }]]) }, names: ['get_user'] };
    const error = (() => {
      try {
        validateScript(source, { tools });
      } catch (caught) {
        return caught as { code: string; unknownTools: { name: string; line: number; column: number }[] };
      }
      return expect.fail('expected a rejection');
    })();
    expect(error.code).toBe('ERR_UNKNOWN_TOOL');
    expect(error.unknownTools.map(({ name, line, column }) => ({ name, line, column }))).toEqual([{ name: 'get_usr', ...positionIn(source, 'get_usr') }]);
  });

  it('places a refused TypeScript construct at its place in the reply', () => {
    const source = fenced('const x = 1;\nenum Mode { A, B }\nreturn x;');
    expect(rejectionOf(source)).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', ...positionIn(source, 'enum') });
  });

  it('reports the TypeScript error when TypeScript got further than JavaScript', () => {
    const source = 'const a: number = 1;\nconst b = (;';
    expect(rejectionOf(source)).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line: 2, column: 12 });
  });

  it('reports the JavaScript error for a script that is not TypeScript either', () => {
    expect(rejectionOf('const a = ;\nconst b: = 2;')).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line: 1, column: 11 });
  });
});
