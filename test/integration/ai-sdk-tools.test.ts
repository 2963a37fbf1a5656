// Real AI SDK 6 tool() objects registered as they are, run by scripts on real workers: the
// handler receives the AI SDK's execute options (toolCallId, messages, abortSignal).
import { jsonSchema, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, ToolCatalog, type Engine } from 'toolweaver';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close({ force: true });
  engine = undefined;
});

describe('AI SDK tools in a catalog', () => {
  it('runs a tool() as is, with the AI SDK execute options', async () => {
    const seen: Array<{ toolCallId: string; messages: unknown[]; aborted: boolean }> = [];
    const weather = tool({
      description: 'Weather of a city',
      inputSchema: z.object({ city: z.string(), units: z.enum(['c', 'f']).default('c') }),
      execute: async ({ city, units }, { toolCallId, messages, abortSignal }) => {
        seen.push({ toolCallId, messages, aborted: abortSignal?.aborted ?? true });
        return { city, units, temperature: city.length };
      },
    });
    const search = tool({ inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }), execute: async ({ q }) => q.length });
    const catalog = new ToolCatalog().register({ name: 'weather', ...weather }).register({ name: 'search', ...search });
    engine = createEngine({ catalog, threads: 1 });
    const result = await engine.execute(`
      const [a, b] = await Promise.all([weather('Oslo'), weather({ city: 'Rome', units: 'f' })]);
      let refused;
      try { await search({ q: 7 }); } catch (error) { refused = true; }
      return { a, b, n: await search('four'), refused };
    `);
    expect(result.value).toEqual({ a: { city: 'Oslo', units: 'c', temperature: 4 }, b: { city: 'Rome', units: 'f', temperature: 4 }, n: 4, refused: true });
    expect(seen).toHaveLength(2);
    expect(seen.map((call) => call.toolCallId).sort()).toEqual([`${result.metadata.executionId}:1`, `${result.metadata.executionId}:2`]);
    expect(seen.every((call) => Array.isArray(call.messages) && call.messages.length === 0 && call.aborted === false)).toBe(true);
  });
});
