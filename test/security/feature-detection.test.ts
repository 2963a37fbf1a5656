// Hostile inputs around feature detection: `typeof X` of a forbidden global is accepted and
// must read "undefined" inside the sandbox, while every real use of X stays rejected.
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_GLOBALS } from '../../src/globals.js';
import { engineFor, rejectionOf } from '../helpers.js';

const NAMES = [...FORBIDDEN_GLOBALS.keys()];
const tools = () => [{ name: 'noop', handler: () => null }];

describe('claim: scripts cannot reach eval, Function, require, import, process or the host globals', () => {
  it.each(['process', 'in-process'] as const)('`typeof X` reads "undefined" for every forbidden global (isolation %s)', async (isolation) => {
    const engine = engineFor(tools(), { threads: 1, isolation });
    const lines = NAMES.map((name) => `  ${JSON.stringify(name)}: typeof ${name},`);
    const nested = NAMES.map((name) => `typeof ${name}`).join(', ');
    const result = await engine.execute(`const top = {\n${lines.join('\n')}\n};\nconst inner = (() => [${nested}])();\nreturn { top, inner };`);
    const value = result.value as { top: Record<string, string>; inner: string[] };
    expect(value.top).toEqual(Object.fromEntries(NAMES.map((name) => [name, 'undefined'])));
    expect(value.inner).toEqual(NAMES.map(() => 'undefined'));
  });

  it('`typeof X` reads "undefined" where a local of the same name exists in another scope', async () => {
    const engine = engineFor(tools(), { threads: 1 });
    const result = await engine.execute('function f(process, require) { return [process, require]; }\n{ const Function = 1; }\nreturn [typeof process, typeof require, typeof Function, f(1, 2)];');
    expect(result.value).toEqual(['undefined', 'undefined', 'undefined', [1, 2]]);
  });

  it.each(NAMES)('still rejects a real use of `%s` before anything runs', async (name) => {
    let called = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { called++; return null; } }], { threads: 1 });
    const error = await rejectionOf(engine.execute(`await noop();\nif (typeof ${name} !== "undefined") {\n  return ${name};\n}`));
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
    expect(error.violations).toEqual([expect.objectContaining({ rule: 'forbidden-global', line: 3, column: 10 })]);
    expect(called).toBe(0);
  });

  it.each([
    ['a member under typeof', 'return typeof process.env;'],
    ['a call under typeof', 'return typeof require("fs");'],
    ['a sequence under typeof', 'return typeof (0, globalThis);'],
    ['a TypeScript assertion under typeof', 'const t: string = typeof (process as any).env;\nreturn t;'],
    ['a fenced use after detection', '```js\nreturn typeof eval === "function" ? eval("1") : 0;\n```'],
  ])('still rejects %s', async (_label, code) => {
    const engine = engineFor(tools(), { threads: 1 });
    const error = await rejectionOf(engine.execute(code));
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
  });
});
