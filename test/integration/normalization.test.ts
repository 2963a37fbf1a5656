import { describe, expect, it } from 'vitest';
import type { Engine, ToolDefinition } from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

const FENCE = '```';

const USERS = [
  { id: 'u1', name: 'Ada', score: 7 },
  { id: 'u2', name: 'Bo', score: 3 },
  { id: 'u3', name: 'Cy', score: 9 },
];

const tools: ToolDefinition[] = [
  { name: 'get_users', handler: () => USERS },
  { name: 'get_orders', handler: (args: { userId: string }) => USERS.findIndex((u) => u.id === args.userId) + 1 },
];

/** A model's reply around `code`, in a fence of `language`. */
const reply = (language: string, code: string) => `Here is a script that does it:\n\n${FENCE}${language}\n${code}\n${FENCE}\n\nIt returns the result you asked for.`;

const TYPED = `interface User { id: string; name: string; score?: number }
type Summary = { top: string; orders: number };
const users: User[] = await get_users();
const best = users.sort((a: User, b: User): number => b.score! - a.score!)[0]!;
const orders = (await get_orders<number>({ userId: best.id })) as number;
const summary = { top: best.name, orders } satisfies Summary;`;

const MAIN = `async function main() {
  const users = await get_users();
  return users.filter((u) => u.score > 5).map((u) => u.name);
}`;

describe('what the engine accepts from a model', () => {
  const cases: [label: string, code: string, value: unknown, normalized: string[]][] = [
    ['a js fence with prose around it', reply('js', 'const users = await get_users();\nreturn users.length;'), 3, ['fence']],
    ['a javascript fence', reply('javascript', 'return (await get_users())[0].name;'), 'Ada', ['fence']],
    ['a bare fence', reply('', 'return await get_orders({ userId: "u2" });'), 2, ['fence']],
    ['a ts fence with TypeScript', reply('ts', `${TYPED}\nreturn summary;`), { top: 'Cy', orders: 3 }, ['fence', 'typescript']],
    ['a typescript fence ending in an expression', reply('typescript', `${TYPED}\nsummary;`), { top: 'Cy', orders: 3 }, ['fence', 'typescript', 'last-expression']],
    ['TypeScript without a fence', `${TYPED}\nreturn summary.top;`, 'Cy', ['typescript']],
    ['`as const` and generics on new', 'const modes = ["a", "b"] as const;\nconst m = new Map<string, number>([[modes[0], 1]]);\nreturn m.get("a")!;', 1, ['typescript']],
    ['main() called last', `${MAIN}\nmain();`, ['Ada', 'Cy'], ['wrapper']],
    ['await main()', `${MAIN}\nawait main();`, ['Ada', 'Cy'], ['wrapper']],
    ['return await main()', `${MAIN}\nreturn await main();`, ['Ada', 'Cy'], []],
    ['main().catch(console.error)', `${MAIN}\nmain().catch(console.error);`, ['Ada', 'Cy'], ['wrapper']],
    ['an async IIFE', '(async () => {\n  const users = await get_users();\n  return users.length * 2;\n})();', 6, ['wrapper']],
    ['export default async function', 'export default async function () {\n  return (await get_users()).map((u) => u.id).join(",");\n}', 'u1,u2,u3', ['wrapper']],
    ['a bare async arrow', 'async () => {\n  const n = await get_orders({ userId: "u3" });\n  return n + 1;\n}', 4, ['wrapper']],
    ['a last bare expression', 'const users = await get_users();\nconst total = users.reduce((s, u) => s + u.score, 0);\ntotal;', 19, ['last-expression']],
    ['a last awaited tool call', 'await get_orders({ userId: "u1" });', 1, ['last-expression']],
    // structuredClone is a sandbox global (a safe version); the others are not there.
    ['feature detection', 'const clone = typeof structuredClone === "function" ? "native" : "json";\nreturn [clone, typeof setTimeout, typeof process, typeof window, typeof require];', ['native', 'undefined', 'undefined', 'undefined', 'undefined'], []],
    [
      'a ts fence with a typed main, called last',
      reply('ts', `interface User { name: string; score: number }\nasync function main(): Promise<string[]> {\n  const users: User[] = await get_users();\n  return users.filter((u) => u.score > 5).map((u) => u.name);\n}\nmain();`),
      ['Ada', 'Cy'],
      ['fence', 'typescript', 'wrapper'],
    ],
    [
      'a ts fence with export default and feature detection',
      reply('ts', 'export default async function (): Promise<string> {\n  const hasTimers: boolean = typeof setTimeout === "function";\n  return hasTimers ? "timers" : "no timers";\n}'),
      'no timers',
      ['fence', 'typescript', 'wrapper'],
    ],
  ];

  it.each(cases)('runs %s and returns the intended value', async (_label, code, value, normalized) => {
    const engine = engineFor(tools, { threads: 1 });
    const result = await engine.execute(code);
    expect(result.value).toEqual(value);
    expect(result.metadata.normalized).toEqual(normalized);
  });

  it('takes the first JavaScript or TypeScript fence and says which', async () => {
    const engine = engineFor(tools, { threads: 1 });
    const code = `First install nothing:\n${FENCE}bash\nnpm test\n${FENCE}\nThen run:\n${FENCE}ts\nreturn 1 as number;\n${FENCE}\nor:\n${FENCE}js\nreturn 2;\n${FENCE}`;
    const result = await engine.execute(code);
    expect(result.value).toBe(1);
    expect(result.metadata.fence).toEqual({ index: 1, language: 'ts', line: 6 });
    expect(engine.compile(code).fence).toEqual({ index: 1, language: 'ts', line: 6 });
  });

  it('lists the normalizations on compiled scripts too', () => {
    const engine = engineFor(tools, { threads: 1 });
    expect(engine.compile(reply('ts', 'const n: number = 1;\nn;')).normalized).toEqual(['fence', 'typescript', 'last-expression']);
    expect(engine.compile('return 1;').normalized).toEqual([]);
  });

  it('reports a runtime error on the line of the reply it happened on', async () => {
    const engine = engineFor(tools, { threads: 1 });
    const code = reply('ts', 'const users: { id: string }[] = await get_users();\nconst missing = users.find((u) => u.id === "zz")!;\nreturn missing.id;');
    const error = await rejectionOf(engine.execute(code));
    expect(error).toMatchObject({ code: 'ERR_SCRIPT', line: 6 });
  });

  it('still rejects a real use next to feature detection', async () => {
    const engine = engineFor(tools, { threads: 1 });
    const error = await rejectionOf(engine.execute(reply('js', 'if (typeof process !== "undefined") {\n  return process.env.HOME;\n}')));
    expect(error).toMatchObject({ code: 'ERR_SECURITY_VALIDATION', violations: [expect.objectContaining({ rule: 'forbidden-global', line: 5, column: 10 })] });
  });

  it('refuses an enum with a syntax error at its place in the reply', async () => {
    const engine = engineFor(tools, { threads: 1 });
    const error = await rejectionOf(engine.execute(reply('ts', 'enum Tier { Gold, Silver }\nreturn Tier.Gold;')));
    expect(error).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line: 4, column: 1 });
  });
});

describe('normalization off', () => {
  it('rejects the forms normalization accepts', async () => {
    const engine = engineFor(tools, { threads: 1, normalize: false });
    await expect(engine.execute(reply('js', 'return 1;'))).rejects.toMatchObject({ code: 'ERR_SCRIPT_SYNTAX' });
    await expect(engine.execute('const n: number = 1;\nreturn n;')).rejects.toMatchObject({ code: 'ERR_SCRIPT_SYNTAX' });
    await expect(engine.execute('export default async function () { return 1; }')).rejects.toMatchObject({ code: 'ERR_SECURITY_VALIDATION' });
    const result = await engine.execute('const total = 5;\ntotal;');
    expect(result.value).toBeUndefined();
    expect(result.metadata.normalized).toEqual([]);
  });

  it('is validated as an engine option', () => {
    expect(() => engineFor(tools, { normalize: 'yes' as unknown as boolean })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', option: 'normalize' }));
  });
});

describe('a valid plain script runs the same with normalization on and off', () => {
  const plain: [label: string, code: string][] = [
    ['a script that returns', 'const users = await get_users();\nreturn users.map((u) => u.name);'],
    ['an early return and a last expression', 'const users = await get_users();\nif (users.length > 0) return users.length;\nusers;'],
    ['a return in a loop and a last call', 'for (const u of await get_users()) { if (u.score > 8) return u.id; }\nawait get_orders({ userId: "u1" });'],
    ['a last print', 'const n = (await get_users()).length;\nprint(`n=${n}`);'],
    ['a last console call', 'console.log("hi");'],
    ['a last assignment', 'let total = 0;\ntotal = (await get_users()).length;'],
    ['a last update', 'let i = 1;\ni++;'],
    ['main defined, never called', `${MAIN}\nprint("defined");`],
    ['main defined and returned', `${MAIN}\nreturn main();`],
    ['comparisons that look like type arguments', 'const a = 1, b = 2, c = 3;\nreturn a < b > (c);'],
    ['a fence in a block comment', `/*\n${FENCE}js\nreturn 1;\n${FENCE}\n*/\nreturn 2;`],
    ['a string with markdown', 'return "```js\\nx\\n```";'],
    ['a script that ends in a declaration', 'const users = await get_users();'],
    ['a forbidden use', 'return process.env;'],
    ['a syntax error', 'const = 1;'],
    ['feature detection', 'return typeof fetch;'],
  ];

  async function outcome(engine: Engine, code: string): Promise<unknown> {
    try {
      const { value, output, metadata } = await engine.execute(code);
      return { value, output, toolCalls: metadata.toolCalls, normalized: metadata.normalized };
    } catch (error) {
      const { code: errorCode, line, column, violations } = error as Record<string, unknown>;
      return { errorCode, line, column, violations };
    }
  }

  it.each(plain)('%s', async (_label, code) => {
    const on = engineFor(tools, { threads: 1 });
    const off = engineFor(tools, { threads: 1, normalize: false });
    const [withNormalization, without] = await Promise.all([outcome(on, code), outcome(off, code)]);
    expect(withNormalization).toEqual(without);
    expect(withNormalization).not.toHaveProperty('normalized', expect.arrayContaining([expect.anything()]));
  });
});
