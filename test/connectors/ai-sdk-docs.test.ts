// Runs docs/ai-sdk.md's example, as written, with the AI SDK's mock model.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, ToolCatalog, type Engine } from 'toolweaver';

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

/** The `index`-th js example of docs/ai-sdk.md, written inside the package and imported. */
async function importExample(index: number, name: string): Promise<Record<string, any>> {
  const doc = readFileSync(new URL('../../docs/ai-sdk.md', import.meta.url), 'utf8');
  const example = [...doc.matchAll(/```js\n([\s\S]*?)```/g)][index]![1]!;
  const dir = new URL('../../.scratch/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(name, dir);
  writeFileSync(file, example);
  return import(file.href) as Promise<Record<string, any>>;
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

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

  it.each([
    ['approved', { approved: true }, 'saw: "sent to ada@example.com"', ['ada@example.com']],
    ['denied', { approved: false, reason: 'not now' }, 'saw: not now', []],
  ])('asks for a script that sends mail, and runs it only when %s', async (_label, decision, answer, sentTo) => {
    const { turn } = await importExample(1, 'ai-sdk-approval-example.mjs');
    const sent: string[] = [];
    const catalog = new ToolCatalog().register({ name: 'mail.send', input: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, needsApproval: true, handler: async ({ to }: { to: string }) => (sent.push(to), `sent to ${to}`) });
    engine = createEngine({ catalog, threads: 1, onApproval: 'per-execution' });
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        const tool = options.prompt.findLast((message) => message.role === 'tool');
        if (tool === undefined) return { content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'execute_code', input: JSON.stringify({ code: 'const box = mail; return await box.send({ to: "ada@example.com" });' }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
        const output = (tool.content.find((part) => part.type === 'tool-result') as { output: { type: string; value?: { value: unknown }; reason?: string } }).output;
        const text = output.type === 'execution-denied' ? `saw: ${output.reason}` : `saw: ${JSON.stringify(output.value?.value)}`;
        return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
      },
    });
    const asked: unknown[] = [];
    const text = await turn(model, engine, [{ role: 'user', content: 'Email Ada' }], (request: unknown) => (asked.push(request), decision));
    expect(asked).toEqual([{ code: 'const box = mail; return await box.send({ to: "ada@example.com" });', tools: ['mail.send'] }]);
    expect(text).toBe(answer);
    expect(sent).toEqual(sentTo);
  });
});
