// toolweaver/ai-sdk against the real AI SDK: a generateText loop whose (mock) model calls the
// code tool with a script, then reads the tool's result in its next step.
import { generateText, stepCountIs, tool, jsonSchema, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, ToolCatalog, ToolCallError, ToolRegistrationError, type Engine } from 'toolweaver';
import { CodeToolError, createCodeTool } from 'toolweaver/ai-sdk';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** A model that calls `execute_code` with `code` first, then answers with text, recording its prompts. */
function scriptingModel(code: string) {
  const prompts: ModelMessage[][] = [];
  const model = new MockLanguageModelV3({
    doGenerate: async (options) => {
      prompts.push(options.prompt as ModelMessage[]);
      if (prompts.length === 1) {
        return { content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'execute_code', input: JSON.stringify({ code }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
      }
      return { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
    },
  });
  return { model, prompts };
}

/** The tool-result part the model was given in its second step. */
function toolResultSeen(prompts: ModelMessage[][]): unknown {
  const toolMessage = prompts[1]?.find((message) => message.role === 'tool');
  const part = Array.isArray(toolMessage?.content) ? toolMessage.content[0] : undefined;
  return part !== undefined && 'output' in part ? part.output : undefined;
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function createTeamEngine(): Engine {
  const catalog = new ToolCatalog().addAiSdkTools({
    get_team: tool({ description: 'Members of a team', inputSchema: jsonSchema<{ team: string }>({ type: 'object', properties: { team: { type: 'string' } }, required: ['team'] }), execute: async ({ team }) => [{ id: 1, team }, { id: 2, team }] }),
    get_spend: tool({ description: 'Spend of one member', inputSchema: jsonSchema<{ id: number }>({ type: 'object', properties: { id: { type: 'number' } }, required: ['id'] }), execute: async ({ id }) => id * 100 }),
  });
  engine = createEngine({ catalog, threads: 1 });
  return engine;
}

describe('toolweaver/ai-sdk', () => {
  it('runs the script a model sends in a generateText loop, and hands the value to its next step', async () => {
    const code = 'const team = await get_team("eng");\nconst spend = await Promise.all(team.map((m) => get_spend(m.id)));\nprint(`members: ${team.length}`);\nreturn spend.reduce((a, b) => a + b, 0);';
    const { model, prompts } = scriptingModel(code);
    const result = await generateText({ model, tools: { execute_code: createCodeTool(createTeamEngine()) }, prompt: 'Total spend of eng?', stopWhen: stepCountIs(3) });
    expect(result.text).toBe('done');
    const [toolResult] = result.steps[0]!.toolResults;
    expect(toolResult!.output).toMatchObject({ value: 300, output: ['members: 2'], metadata: { toolCalls: 3 } });
    // The model reads the value and the output, not the metadata.
    expect(toolResultSeen(prompts)).toEqual({ type: 'json', value: { value: 300, output: ['members: 2'] } });
  });

  it('describes itself with the engine instructions: the rules and every declaration', async () => {
    const codeTool = createCodeTool(createTeamEngine());
    expect(codeTool.description).toBe(engine!.instructions());
    expect(codeTool.description).toContain('get_spend');
  });

  it('hands a failing script back to the model as a tool error carrying the model message', async () => {
    const { model, prompts } = scriptingModel('const team = await get_teams("eng");\nreturn team;');
    const result = await generateText({ model, tools: { execute_code: createCodeTool(createTeamEngine()) }, prompt: 'Who is in eng?', stopWhen: stepCountIs(3) });
    const errorPart = result.steps[0]!.content.find((part) => part.type === 'tool-error');
    expect(errorPart?.type === 'tool-error' && errorPart.error).toBeInstanceOf(CodeToolError);
    const { cause } = (errorPart as { error: CodeToolError }).error;
    expect(cause.code).toBe('ERR_UNKNOWN_TOOL');
    expect(toolResultSeen(prompts)).toEqual({ type: 'error-text', value: cause.toModelMessage() });
    expect(cause.toModelMessage()).toContain('did you mean `get_team`?');
  });

  it('keeps the typed error of a failing tool as the cause', async () => {
    const catalog = new ToolCatalog().register({ name: 'flaky', handler: () => { throw new Error('service down'); } });
    engine = createEngine({ catalog, threads: 1 });
    const { model } = scriptingModel('return await flaky();');
    const result = await generateText({ model, tools: { execute_code: createCodeTool(engine) }, prompt: 'go', stopWhen: stepCountIs(3) });
    const errorPart = result.steps[0]!.content.find((part) => part.type === 'tool-error') as { error: CodeToolError };
    expect(errorPart.error.cause).toBeInstanceOf(ToolCallError);
  });

  it('aborts the execution when the call is aborted', async () => {
    const catalog = new ToolCatalog().register({ name: 'wait_forever', handler: () => new Promise(() => {}) });
    engine = createEngine({ catalog, threads: 1 });
    const codeTool = createCodeTool(engine);
    const controller = new AbortController();
    const running = codeTool.execute!({ code: 'return await wait_forever();' }, { toolCallId: 'c', messages: [], abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await Promise.resolve(running).then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(CodeToolError);
    expect((error as CodeToolError).cause.code).toBe('ERR_EXECUTION_ABORTED');
  });
  it('registers a record of AI SDK tools under their keys, and none of them if one (a provider tool) is refused', () => {
    const echo = tool({ inputSchema: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }), execute: async ({ text }) => text });
    const catalog = new ToolCatalog();
    expect(() => catalog.addAiSdkTools({ echo, web_search: { ...echo, type: 'provider', id: 'openai.web_search', args: {} } })).toThrow(ToolRegistrationError);
    expect(catalog.size).toBe(0);
    catalog.addAiSdkTools({ echo });
    expect(catalog.names).toEqual(['echo']);
    expect(() => catalog.addAiSdkTools({ echo })).toThrow(ToolRegistrationError);
  });
});
