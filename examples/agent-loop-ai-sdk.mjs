// The agent loop with the Vercel AI SDK: the engine is one tool, `execute_code`, described by
// `engine.instructions()`. The model here is the SDK's mock (`ai/test`), scripted to write one
// script and then answer from its result, so this runs without network or key; pass a real
// model (e.g. `openai('gpt-4.1')` from `@ai-sdk/openai`) to `ask` and nothing else changes.
// Run from the repository root, after `npm run build`: node examples/agent-loop-ai-sdk.mjs
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createEngine } from 'toolweaver';
import { createCodeTool } from 'toolweaver/ai-sdk';
import { createFixtureCatalog } from '../fixtures/tools.mjs';

/** Answers `question` with `model` over the tools of `catalog` (as in docs/ai-sdk.md). */
export async function ask(model, catalog, question) {
  const engine = createEngine({ catalog });
  try {
    const { text, steps } = await generateText({
      model,
      tools: { execute_code: createCodeTool(engine, { execute: { timeoutMs: 30_000 } }) },
      prompt: question,
      stopWhen: stepCountIs(5),
    });
    const runs = steps.flatMap((step) => step.toolResults.map((result) => result.output));
    return { text, runs };
  } finally {
    await engine.close();
  }
}

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const script = `const team = await get_team_members();
const expenses = await Promise.all(team.map((m) => get_expenses(m.id, 'Q3')));
return team
  .map((m, i) => ({ name: m.name, total: expenses[i].reduce((s, e) => s + e.amount, 0) }))
  .filter((m) => m.total > 10000);`;

/** A scripted model: first it writes the script, then it answers from what the tool returned. */
const model = new MockLanguageModelV3({
  doGenerate: async ({ prompt }) => {
    const last = prompt.at(-1);
    if (last.role !== 'tool') {
      return { content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'execute_code', input: JSON.stringify({ code: script }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
    }
    const { value } = last.content[0].output.value; // what the model reads: { value, output }
    const text = `${value.length} people spent more than $10,000 in Q3: ${value.map((m) => m.name).join(', ')}.`;
    return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
  },
});

const { text, runs } = await ask(model, createFixtureCatalog(), 'Who spent more than $10,000 in Q3?');
console.log(text);
console.log(`tool calls: ${runs[0].metadata.toolCalls}, bytes from tools: ${runs[0].metadata.bytesFromTools}, bytes returned: ${runs[0].metadata.bytesReturned}`);
