// A strict consumer's view of tool definitions: handler inputs are inferred from the schema.
// Every `@ts-expect-error` line is wrong usage that must not compile.
import { jsonSchema, tool } from 'ai';
import { ToolCatalog, type ToolContext } from 'toolweaver';
import { z } from 'zod';

const catalog = new ToolCatalog();

// zod: the handler's input is z.infer of the schema, defaults filled.
catalog.register({
  name: 'get_user',
  input: z.object({ id: z.string(), limit: z.number().default(10), tags: z.array(z.enum(['a', 'b'])).optional() }),
  handler: ({ id, limit, tags }) => {
    const text: string = id;
    const count: number = limit;
    const first: 'a' | 'b' | undefined = tags?.[0];
    return { text, count, first };
  },
});
// @ts-expect-error `id` is a string
catalog.register({ name: 'bad_zod', input: z.object({ id: z.string() }), handler: ({ id }) => Math.abs(id) });
// @ts-expect-error no such argument
catalog.register({ name: 'bad_key', input: z.object({ id: z.string() }), handler: (input) => input.nope });

// An MCP-style raw shape of zod schemas.
catalog.register({ name: 'raw_shape', input: { city: z.string(), days: z.number().optional() }, handler: ({ city, days }) => `${city.toUpperCase()}${days ?? 0}` });
// @ts-expect-error `city` is a string
catalog.register({ name: 'bad_shape', input: { city: z.string() }, handler: ({ city }) => city.toFixed() });

// JSON Schema, `as const` or inline: required, optional, enums, arrays, nested objects, defaults.
const expenses = {
  type: 'object',
  properties: {
    memberId: { type: 'string' },
    quarter: { enum: ['Q1', 'Q2', 'Q3', 'Q4'] },
    limit: { type: 'integer', default: 10 },
    note: { type: ['string', 'null'] },
    lines: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } },
  },
  required: ['memberId', 'quarter'],
} as const;
catalog.register({
  name: 'get_expenses',
  input: expenses,
  handler: ({ memberId, quarter, limit, note, lines }) => {
    const quarters: Array<'Q1' | 'Q2' | 'Q3' | 'Q4'> = [quarter];
    const total: number = (lines ?? []).reduce((sum, line) => sum + line.amount, limit);
    const text: string | null | undefined = note;
    return { memberId: memberId.toUpperCase(), quarters, total, text };
  },
});
// @ts-expect-error `quarter` is one of four strings, not any string
catalog.register({ name: 'bad_enum', input: expenses, handler: ({ quarter }) => { const q: 'Q5' = quarter; return q; } });
// @ts-expect-error `memberId` is a string
catalog.register({ name: 'bad_json', input: { type: 'object', properties: { memberId: { type: 'string' } } }, handler: ({ memberId }) => memberId?.toFixed() });

// A widened JsonSchema (loaded at run time) gives `any`, as before.
const loaded: Record<string, unknown> = JSON.parse('{"type":"object"}');
catalog.register({ name: 'loaded', input: loaded, handler: (input) => input.whatever });

// AI SDK: a real tool() registers as is; its execute reads the AI SDK's options.
const weather = tool({
  description: 'Weather of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }, { toolCallId, messages, abortSignal }) => ({ city, toolCallId, turns: messages.length, aborted: abortSignal?.aborted ?? false }),
});
catalog.register({ name: 'weather', ...weather });
const search = tool({ inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } } }), execute: async ({ q }) => q.length });
catalog.register({ name: 'search', ...search });
catalog.register({ name: 'typed_wrapper', inputSchema: jsonSchema<{ q: string }>({ type: 'object' }), execute: ({ q }) => q.toUpperCase() });
// @ts-expect-error the wrapper's type says `q` is a string
catalog.register({ name: 'bad_wrapper', inputSchema: jsonSchema<{ q: string }>({ type: 'object' }), execute: ({ q }) => q.toFixed() });

// The context every handler receives.
catalog.register({
  name: 'context',
  handler: (_input: unknown, context: ToolContext) => [context.signal.aborted, context.abortSignal, context.executionId, context.toolCallId, context.callIndex, context.messages.length],
});

// Optional fields accept `undefined` under exactOptionalPropertyTypes.
const maybeLimit: number | undefined = Number(process.env.LIMIT) || undefined;
catalog.register({ name: 'optional_fields', description: undefined, concurrency: maybeLimit, handler: undefined, needsApproval: undefined });

// Typos are caught by the compiler too (and refused at run time).
// @ts-expect-error `concurency` is not a definition key
catalog.register({ name: 'typo', concurency: 2, handler: () => 1 });
// @ts-expect-error `name` is required
catalog.register({ handler: () => 1 });
