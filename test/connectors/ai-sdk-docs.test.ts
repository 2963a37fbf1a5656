// Runs docs/ai-sdk.md's example, as written, with the AI SDK's mock model.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { ToolCatalog } from 'toolweaver';

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

describe('docs/ai-sdk.md', () => {
  it('answers through the code tool: the script runs and its value reaches the next step', async () => {
    const doc = readFileSync(new URL('../../docs/ai-sdk.md', import.meta.url), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    // Inside the package, so `toolweaver` and `toolweaver/ai-sdk` resolve as for a user.
    const dir = new URL('../../.scratch/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const file = new URL('ai-sdk-example.mjs', dir);
    writeFileSync(file, example);
    const { ask } = await import(file.href);
    let step = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        step++;
        if (step === 1) return { content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'execute_code', input: JSON.stringify({ code: 'const [a, b] = await Promise.all([square(3), square(4)]);\nreturn a + b;' }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
        const seen = JSON.stringify(options.prompt.at(-1));
        return { content: [{ type: 'text', text: seen.includes('"value":25') ? 'The answer is 25.' : 'no value' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
      },
    });
    const catalog = new ToolCatalog().register({ name: 'square', input: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }, handler: async ({ n }: { n: number }) => n * n });
    const { text, runs } = await ask(model, catalog, 'What is 3² + 4²?');
    expect(text).toBe('The answer is 25.');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ value: 25, output: [], metadata: { toolCalls: 2 } });
  });
});
