// The code tool's approvals in the AI SDK's idiom, with a real generateText loop and the SDK's
// mock model: a script that may call a tool marked for approval is a `tool-approval-request`;
// a `tool-approval-response` decides it; the approval holds for that one execution only.
import { generateText, stepCountIs, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, InvalidOptionsError, ToolCatalog, type ApprovalRequest, type Engine, type EngineOptions } from 'toolweaver';
import { CodeToolError, createCodeTool, type CodeToolOptions } from 'toolweaver/ai-sdk';
// The built module, as `toolweaver/ai-sdk` loads it.
import { approvalForExecution } from '../../dist/connectors/ai-sdk/approval.js';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
const SEND = 'return await mail.send({ to: "ada@example.com" });';

/** A model that calls `execute_code` with `code` when its prompt has no tool message yet, and answers `done` once it has. */
function scriptingModel(code: string) {
  const prompts: ModelMessage[][] = [];
  const model = new MockLanguageModelV3({
    doGenerate: async (options) => {
      const prompt = options.prompt as ModelMessage[];
      prompts.push(prompt);
      if (!prompt.some((message) => message.role === 'tool')) {
        return { content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'execute_code', input: JSON.stringify({ code }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
      }
      return { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
    },
  });
  return { model, prompts };
}

/** The tool-result output the model read last. */
function lastToolOutput(prompts: ModelMessage[][]): unknown {
  const tool = prompts.at(-1)?.findLast((message) => message.role === 'tool');
  const part = Array.isArray(tool?.content) ? tool.content.find((item) => item.type === 'tool-result') : undefined;
  return part !== undefined && 'output' in part ? part.output : undefined;
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function createMail(options: Partial<EngineOptions> = {}) {
  const sent: string[] = [];
  const catalog = new ToolCatalog()
    .register({ name: 'mail.send', input: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, needsApproval: true, handler: async ({ to }: { to: string }) => (sent.push(to), `sent to ${to}`) })
    .register({ name: 'lookup', handler: async () => 'found' });
  engine = createEngine({ catalog, threads: 1, onApproval: 'per-execution', ...options });
  return { engine, sent };
}

/** Runs one generateText turn; when it stops on an approval request, answers it and runs the next turn. */
async function converse(code: string, decide: { approved: boolean; reason?: string } | undefined, toolOptions: CodeToolOptions = {}) {
  const { model, prompts } = scriptingModel(code);
  const tools = { execute_code: createCodeTool(engine!, toolOptions) };
  const messages: ModelMessage[] = [{ role: 'user', content: 'Email Ada' }];
  const first = await generateText({ model, tools, messages, stopWhen: stepCountIs(3) });
  const requests = first.content.filter((part) => part.type === 'tool-approval-request');
  if (requests.length === 0 || decide === undefined) return { first, requests, prompts, second: undefined };
  messages.push(...first.response.messages, { role: 'tool', content: requests.map((request) => ({ type: 'tool-approval-response' as const, approvalId: request.approvalId, ...decide })) });
  const second = await generateText({ model, tools, messages, stopWhen: stepCountIs(3) });
  return { first, requests, prompts, second };
}

describe('claim 15: a tool marked for approval never runs unasked (AI SDK code tool)', () => {
  it('asks through the AI SDK for a script that calls a tool marked for approval, and runs it once approved', async () => {
    const { sent } = createMail();
    const { first, requests, prompts, second } = await converse(SEND, { approved: true });
    expect(first.steps[0]!.toolResults).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(second?.text).toBe('done');
    expect(sent).toEqual(['ada@example.com']);
    expect(lastToolOutput(prompts)).toEqual({ type: 'json', value: { value: 'sent to ada@example.com', output: [] } });
  });

  it('hands a denial to the model with its reason; the script never runs', async () => {
    const { sent } = createMail();
    const { requests, prompts, second } = await converse(SEND, { approved: false, reason: 'not today' });
    expect(requests).toHaveLength(1);
    expect(second?.text).toBe('done');
    expect(lastToolOutput(prompts)).toEqual({ type: 'execution-denied', reason: 'not today' });
    expect(sent).toEqual([]);
  });

  it('runs a script that touches no such tool without asking', async () => {
    const { sent } = createMail();
    const { first, requests, prompts } = await converse('return await lookup();', undefined);
    expect(requests).toEqual([]);
    expect(first.text).toBe('done');
    expect(lastToolOutput(prompts)).toEqual({ type: 'json', value: { value: 'found', output: [] } });
    expect(sent).toEqual([]);
  });

  it('asks for a script that reaches the tool through an alias or a computed key', async () => {
    createMail();
    const { requests } = await converse('const box = mail; return await box["se" + "nd"]({ to: "a@b.c" });', undefined);
    expect(requests).toHaveLength(1);
  });

  it('approves only the execution of the approved tool call: the same script in another call is denied', async () => {
    const { engine: mailEngine, sent } = createMail();
    await converse(SEND, { approved: true });
    const codeTool = createCodeTool(mailEngine);
    // No approval for this tool call id in its messages (an approval of `call-1` only).
    const approvedElsewhere: ModelMessage[] = [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'execute_code', input: { code: SEND } }, { type: 'tool-approval-request', approvalId: 'a-1', toolCallId: 'call-1' }] },
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'a-1', approved: true }] },
    ];
    const denied = await Promise.resolve(codeTool.execute!({ code: SEND }, { toolCallId: 'call-2', messages: approvedElsewhere })).then(() => undefined, (error: unknown) => error);
    expect(denied).toBeInstanceOf(CodeToolError);
    expect((denied as CodeToolError).cause.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'no-handler' });
    expect(sent).toEqual(['ada@example.com']);
  });

  it('denies, in an approved execution, a call of a tool the reading of the script did not name', async () => {
    const { engine: mailEngine } = createMail();
    const approved: ModelMessage[] = [
      { role: 'assistant', content: [{ type: 'tool-approval-request', approvalId: 'a-1', toolCallId: 'call-1' }] },
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'a-1', approved: true }] },
    ];
    const onApproval = approvalForExecution(mailEngine, SEND, approved, 'call-1')!;
    const request = { calledAs: 'x', input: {}, executionId: 'tw-1', callIndex: 1, hostContext: undefined, signal: new AbortController().signal };
    expect(onApproval({ ...request, toolName: 'mail.send' })).toBe(true);
    expect(onApproval({ ...request, toolName: 'wire_money' })).toMatchObject({ approved: false });
    expect(approvalForExecution(mailEngine, SEND, approved, 'call-2')).toBeUndefined();
    const alsoDenied: ModelMessage[] = [...approved, { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'a-1', approved: false }] }];
    expect(approvalForExecution(mailEngine, SEND, alsoDenied, 'call-1')).toBeUndefined();
  });

  it('leaves every decision to the engine with approvals: "engine" (the tool never asks)', async () => {
    const asked: ApprovalRequest[] = [];
    const { sent } = createMail({ onApproval: (request) => (asked.push(request), true) });
    const { requests, prompts } = await converse(SEND, undefined, { approvals: 'engine' });
    expect(requests).toEqual([]);
    expect(asked.map((request) => request.toolName)).toEqual(['mail.send']);
    expect(sent).toEqual(['ada@example.com']);
    expect(lastToolOutput(prompts)).toEqual({ type: 'json', value: { value: 'sent to ada@example.com', output: [] } });
  });

  it('refuses an approvals option it does not know', () => {
    const { engine: mailEngine } = createMail();
    expect(() => createCodeTool(mailEngine, { approvals: 'always' as never })).toThrow(InvalidOptionsError);
  });
});
