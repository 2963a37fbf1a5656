import { describe, expect, it } from 'vitest';
import { ToolCallError, ToolInputError, ToolOutputError, UnknownToolError } from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

const calls: unknown[] = [];
const expensesTool = {
  name: 'get_expenses',
  description: 'Expense lines of one member',
  input: {
    type: 'object',
    properties: { memberId: { type: 'string' }, quarter: { enum: ['Q1', 'Q2', 'Q3', 'Q4'] }, limit: { type: 'integer', default: 5 } },
    required: ['memberId', 'quarter'],
  },
  output: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } },
  handler: (args: unknown) => {
    calls.push(args);
    return [{ amount: 3 }];
  },
};

describe('schema-checked calls', () => {
  it('throws a catchable error naming the tool, the argument and what was expected, without calling the handler', async () => {
    calls.length = 0;
    const engine = engineFor([expensesTool]);
    const result = await engine.execute(`
      try { await get_expenses('m-1', 'q3'); return 'called'; }
      catch (error) { return error.message; }
    `);
    expect(result.value).toBe('get_expenses: `quarter` must be one of "Q1","Q2","Q3","Q4", got "q3"');
    expect(calls).toEqual([]);
  });

  it('fails the execution with ToolCallError carrying the same detail when uncaught', async () => {
    const engine = engineFor([expensesTool]);
    const error = await rejectionOf(engine.execute("await get_expenses({ memberId: 'm-1' });"));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error.cause).toBeInstanceOf(ToolInputError);
    expect(error.cause.issues).toEqual(['`quarter` is required']);
    expect(error.message).toContain('`quarter` is required');
  });

  it('fills defaults and accepts optional parameters in both call forms', async () => {
    calls.length = 0;
    const engine = engineFor([expensesTool]);
    await engine.execute("await get_expenses('m-1', 'Q1'); await get_expenses({ memberId: 'm-2', quarter: 'Q2', limit: 9 }); await get_expenses('m-3', 'Q3', 1);");
    expect(calls).toEqual([
      { memberId: 'm-1', quarter: 'Q1', limit: 5 },
      { memberId: 'm-2', quarter: 'Q2', limit: 9 },
      { memberId: 'm-3', quarter: 'Q3', limit: 1 },
    ]);
  });

  it('fails a call whose result breaks the output schema, unless validateOutput is off', async () => {
    const badTool = { ...expensesTool, handler: () => [{ amount: 'lots' }] };
    const strict = engineFor([badTool]);
    const error = await rejectionOf(strict.execute("return await get_expenses('m-1', 'Q1');"));
    expect(error.cause).toBeInstanceOf(ToolOutputError);
    expect(error.cause.issues).toEqual(['`[0].amount` must be number, got "lots"']);
    const lenient = engineFor([badTool], { validateOutput: false });
    expect((await lenient.execute("return await get_expenses('m-1', 'Q1');")).value).toEqual([{ amount: 'lots' }]);
  });
});

describe('names and namespaces', () => {
  it('calls dotted tools through namespaces and renamed tools by their script names', async () => {
    const seen: string[] = [];
    const engine = engineFor([
      { name: 'github.list_pull_requests', input: { type: 'object', properties: { repo: { type: 'string' } } }, handler: ({ repo }: { repo: string }, ctx: { toolName: string }) => (seen.push(ctx.toolName), [`${repo}#1`]) },
      { name: 'send-email', handler: () => 'sent' },
      { name: 'delete', handler: () => 'deleted' },
    ]);
    const result = await engine.execute(`
      const prs = await github.list_pull_requests({ repo: 'acme/api' });
      return [prs, await send_email(), await delete_(), Object.isFrozen(github)];
    `);
    expect(result.value).toEqual([['acme/api#1'], 'sent', 'deleted', true]);
    expect(seen).toEqual(['github.list_pull_requests']);
    expect(result.metadata.toolCallsByName).toEqual({ 'github.list_pull_requests': 1, 'send-email': 1, delete: 1 });
  });

  it('reports errors under the name the script used', async () => {
    const engine = engineFor([{ name: 'crm.update-lead', input: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, handler: () => null }]);
    const result = await engine.execute('try { await crm.update_lead({}); } catch (error) { return error.message; }');
    expect(result.value).toBe('crm.update_lead: `id` is required');
  });
});

describe('unknown tools', () => {
  const tools = [
    { name: 'get_users', handler: () => [] },
    { name: 'get_user_orders', handler: () => [] },
    { name: 'github.list_pull_requests', handler: () => [] },
  ];

  it('rejects a call of an unknown tool before anything runs, with its position and the nearest names', async () => {
    let ran = 0;
    const engine = engineFor([...tools, { name: 'audit', handler: () => ran++ }]);
    const error = await rejectionOf(engine.execute('await audit();\nconst users = await get_users();\nconst orders = await get_userz();'));
    expect(error).toBeInstanceOf(UnknownToolError);
    expect(error.code).toBe('ERR_UNKNOWN_TOOL');
    expect(error.unknownTools).toEqual([{ name: 'get_userz', line: 3, column: 22, suggestions: ['get_users'] }]);
    expect(error.message).toBe('unknown tool `get_userz` at 3:22; did you mean `get_users`?');
    expect(ran).toBe(0);
  });

  it('rejects unknown namespace members and suggests the qualified name', async () => {
    const engine = engineFor(tools);
    const error = await rejectionOf(engine.execute('await github.list_pull_request();\nawait list_pull_requests();'));
    expect(error.unknownTools.map((call: { name: string; suggestions: string[] }) => [call.name, call.suggestions])).toEqual([
      ['github.list_pull_request', ['github.list_pull_requests']],
      ['list_pull_requests', ['github.list_pull_requests']],
    ]);
  });

  it('does not flag functions the script defines, standard globals or methods', async () => {
    const engine = engineFor(tools);
    const result = await engine.execute(`
      function total(xs) { return xs.reduce((a, b) => a + b, 0); }
      const double = (n) => n * 2;
      const users = await get_users();
      print(JSON.stringify(users), Math.max(1, 2), parseInt('3'), String(4), Object.keys({}).length);
      return [total([1, 2]), double(2), [3].map(double)[0], await Promise.all([get_users()]).then((r) => r.length)];
    `);
    expect(result.value).toEqual([3, 4, 6, 1]);
  });
});

describe('stubs', () => {
  const stubbed = [
    {
      name: 'list_users',
      input: { type: 'object', properties: { team: { type: 'string' } }, required: ['team'] },
      output: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } }, required: ['name', 'email'] } },
      handler: () => { throw new Error('the real service must not be called in stub mode'); },
    },
    { name: 'no_schema_no_handler' },
  ];
  const script = "const users = await list_users('core'); return users;";

  it('answers with schema-valid, deterministic fake data and still validates and counts calls', async () => {
    const first = await engineFor(stubbed, { stubs: { seed: 42 } }).execute(script);
    const again = await engineFor(stubbed, { stubs: { seed: 42 } }).execute(script);
    const other = await engineFor(stubbed, { stubs: { seed: 43 } }).execute(script);
    expect(first.value).toEqual(again.value);
    expect(first.value).not.toEqual(other.value);
    expect((first.value as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(first.metadata.toolCalls).toBe(1);
    const invalid = await rejectionOf(engineFor(stubbed, { stubs: true }).execute('await list_users();'));
    expect(invalid.cause.issues).toEqual(['`team` is required']);
  });

  it('holds stubbed calls to maxToolCalls', async () => {
    const engine = engineFor(stubbed, { stubs: true, maxToolCalls: 2 });
    const error = await rejectionOf(engine.execute("for (let i = 0; i < 3; i++) { try { await list_users('t'); } catch {} }"));
    expect(error.code).toBe('ERR_TOOL_CALL_LIMIT');
    expect(error.metadata.toolCalls).toBe(3);
  });

  it('stubs only the listed tools', async () => {
    const engine = engineFor([{ name: 'real', handler: () => 'real' }, ...stubbed], { stubs: { tools: ['list_users'] } });
    const result = await engine.execute(`return [await real(), (await list_users('x')).length > 0];`);
    expect(result.value).toEqual(['real', true]);
  });

  it('gives a clear error for a tool with neither a handler nor an output schema', async () => {
    const engine = engineFor(stubbed, { stubs: true });
    const result = await engine.execute('try { await no_schema_no_handler(); } catch (error) { return error.message; }');
    expect(result.value).toBe('no_schema_no_handler failed: tool `no_schema_no_handler` cannot be stubbed: it has no output schema and no handler');
  });

  it.each([
    [{ stubs: { tools: ['missing'] } }, 'stubs.tools'],
    [{ stubs: 'yes' }, 'stubs'],
    [{ stubs: { seed: {} } }, 'stubs.seed'],
    [{ validateOutput: 'no' }, 'validateOutput'],
  ])('rejects bad stub or validation options %#', (options, option) => {
    expect(() => engineFor(stubbed, options as never)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', option }));
  });
});

describe('unknown tools and context values', () => {
  it('does not flag method calls on context values', async () => {
    const engine = engineFor([{ name: 'get_users', handler: () => [] }]);
    const result = await engine.execute('return [lead_id.toUpperCase(), cfg.items.map((x) => x * 2)];', { context: { lead_id: 'ab', cfg: { items: [1, 2] } } });
    expect(result.value).toEqual(['AB', [2, 4]]);
  });
});

describe('review fixes', () => {
  it('names a malformed call once, by the name the script used', async () => {
    const engine = engineFor([{ name: 'send-email', input: { type: 'object', properties: { to: { type: 'string' } } }, handler: () => null }]);
    const result = await engine.execute("try { await send_email('a', 'b'); } catch (error) { return error.message; }");
    expect(result.value).toBe('send_email: takes at most 1 (to), got 2 arguments');
  });

  it('validates a script compiled by another engine against its own catalog', async () => {
    const a = engineFor([{ name: 'delete_everything', handler: () => 'gone' }]);
    const b = engineFor([{ name: 'harmless', handler: () => 'ok' }]);
    const compiled = a.compile('return await delete_everything();');
    await expect(b.execute(compiled)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_TOOL' });
    expect((await a.execute(compiled)).value).toBe('gone');
  });

  it('refuses __proto__ as a context key', async () => {
    const engine = engineFor([]);
    await expect(engine.execute('return 1', { context: JSON.parse('{"__proto__": {"a": 1}}') })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});
