// Hostile scripts for claim 15 through the AI SDK code tool: each reaches a tool marked for
// approval by a route a reader could miss. The tool must ask for each (needsApproval true), and
// run without an approval, none may reach the handler (the engine, 'per-execution', denies).
import { describe, expect, it } from 'vitest';
import { ToolCatalog } from 'toolweaver';
import { CodeToolError, createCodeTool } from 'toolweaver/ai-sdk';
import { checkHostHealthAfterEach, engineFor } from '../helpers.js';

checkHostHealthAfterEach();

const HOSTILE: Array<[string, string]> = [
  ['an alias', 'const f = ops.wire; return await f({ to: "x" });'],
  ['a computed key built at run time', 'const k = ["wi", "re"].join(""); return await ops[k]({ to: "x" });'],
  ['a destructured namespace', 'const { wire } = ops; return await wire({ to: "x" });'],
  ['a namespace handed to a function', 'const call = (ns, name) => ns[name]({ to: "x" }); return await call(ops, "wire");'],
  ['a namespace stored in an object', 'const box = { ops }; return await box.ops.wire({ to: "x" });'],
  ['Object.values over the namespace', 'return await Promise.all(Object.values(ops).map((fn) => fn({ to: "x" })));'],
  ['a tool passed as a callback', 'const run = (fn) => fn({ to: "x" }); return await run(ops.wire);'],
  ['Reflect.get on the namespace', 'return await Reflect.get(ops, "wire")({ to: "x" });'],
  ['an escaped identifier', 'return await \\u006fps.wire({ to: "x" });'],
  ['a TypeScript cast', 'return await (ops as any)["wi" + "re"]({ to: "x" });'],
  ['a markdown reply', 'Sure:\n```ts\nconst o: any = ops;\nreturn await o.wire({ to: "x" });\n```'],
  ['a tool called by .call', 'return await ops.wire.call(undefined, { to: "x" });'],
  ['a getter returning the tool', 'const o = { get f() { return ops.wire; } }; return await o.f({ to: "x" });'],
];

describe('claim 15: a tool marked for approval never runs unasked (hostile scripts, AI SDK code tool)', () => {
  it.each(HOSTILE)('asks for %s, and without an approval never reaches the handler', async (_label, code) => {
    let wired = 0;
    const catalog = new ToolCatalog()
      .register({ name: 'ops.wire', needsApproval: true, handler: async () => (wired++, 'wired') })
      .register({ name: 'ops.status', handler: async () => 'ok' });
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    const codeTool = createCodeTool(engine);
    const needsApproval = codeTool.needsApproval as (input: { code: string }) => boolean;
    expect(needsApproval({ code })).toBe(true);
    // The SDK would not call execute before an approval; called anyway, the script reaches
    // the call and the call is refused.
    const failure = await Promise.resolve(codeTool.execute!({ code }, { toolCallId: 'c1', messages: [] })).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(CodeToolError);
    expect((failure as CodeToolError).cause.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'no-handler', toolName: 'ops.wire' });
    expect(wired).toBe(0);
  });
});
