import { describe, expect, it } from 'vitest';
import {
  EngineClosedError,
  ExecutionAbortedError,
  ExecutionTimeoutError,
  InvalidOptionsError,
  MemoryLimitError,
  PayloadTooLargeError,
  ResultNotSerializableError,
  ScriptError,
  ScriptSyntaxError,
  SecurityValidationError,
  ToolCallError,
  ToolCallLimitError,
  ToolInputError,
  ToolOutputError,
  ToolApprovalError,
  ToolRegistrationError,
  ToolWeaverError,
  UnknownToolError,
  WorkerCrashedError,
  QueueDataLostError,
  type AnyToolWeaverError,
  type ExecutionMetadata,
} from '../src/errors.js';
import { MAX_CAUSE_DEPTH, errorFromJson, errorToJson } from '../src/error-json.js';

const metadata: ExecutionMetadata = {
  executionId: 'tw-1',
  toolCalls: 2,
  toolCallsByName: { get_user: 2 },
  normalized: [],
  reruns: 0,
  replayedCalls: 0,
  elapsedMs: 12.5,
  tokensEstimated: 3,
  bytesFromTools: 40,
  bytesReturned: 0,
  outputTruncated: false,
};

/** One instance of every class, with the context fields it carries. */
const EVERY_ERROR: Array<[string, () => AnyToolWeaverError]> = [
  ['InvalidOptionsError', () => new InvalidOptionsError('timeoutMs', 'Expected `timeoutMs` to be a positive integer, got -1')],
  ['ToolRegistrationError', () => new ToolRegistrationError('get_user', 'A tool named `get_user` is already registered')],
  ['EngineClosedError', () => new EngineClosedError()],
  ['SecurityValidationError', () => new SecurityValidationError([{ rule: 'forbidden-global', message: '`eval` is not allowed', line: 1, column: 3 }])],
  ['ScriptSyntaxError', () => new ScriptSyntaxError('Unexpected token', 2, 5)],
  ['ExecutionTimeoutError', () => new ExecutionTimeoutError(5000, { output: ['started'], metadata })],
  ['ToolCallError', () => new ToolCallError('get_user', 2, 'Tool `get_user` failed', { cause: new ToolInputError('get_user', ['`id` is required']), metadata })],
  ['ToolInputError', () => new ToolInputError('get_user', ['`id` is required', '`x` must be string, got 1'])],
  ['ToolOutputError', () => new ToolOutputError('get_user', ['`name` is required'])],
  ['ToolApprovalError', () => new ToolApprovalError('send_email', 'timed-out', 'no decision within 600000 ms')],
  ['UnknownToolError', () => new UnknownToolError([{ name: 'get_userz', line: 1, column: 7, suggestions: ['get_user'] }])],
  ['ToolCallLimitError', () => new ToolCallLimitError(10)],
  ['ScriptError', () => new ScriptError('TypeError', 'x is not a function', { line: 3, column: 1 }, { output: ['a', 'b'] })],
  ['ResultNotSerializableError', () => new ResultNotSerializableError('value.users[2].save', 'a function cannot be returned')],
  ['PayloadTooLargeError', () => new PayloadTooLargeError('result', 1000, 'get_user returned a result larger than 1000 characters')],
  ['ExecutionAbortedError', () => new ExecutionAbortedError('close')],
  ['MemoryLimitError', () => new MemoryLimitError(64)],
  ['WorkerCrashedError', () => new WorkerCrashedError(true, 'exit code 1')],
  ['QueueDataLostError', () => new QueueDataLostError('expenses')],
];

describe('errorToJson / errorFromJson', () => {
  it('covers every error class', () => {
    expect(new Set(EVERY_ERROR.map(([, make]) => make().code)).size).toBe(19);
  });

  it.each(EVERY_ERROR)('round-trips %s with its class, code, message and context fields', (name, make) => {
    const error = make();
    const json = errorToJson(error);
    expect(json).toMatchObject({ name, code: error.code, message: error.message });
    const wire = JSON.parse(JSON.stringify(json)) as typeof json;
    const back = errorFromJson(wire);
    expect(back).toBeInstanceOf(error.constructor);
    expect(back).toBeInstanceOf(ToolWeaverError);
    expect(back.name).toBe(name);
    expect(back.message).toBe(error.message);
    expect({ ...back }).toEqual({ ...error });
    expect(errorToJson(back)).toEqual(json);
  });

  it('keeps the cause chain, rebuilding toolweaver causes and foreign ones', () => {
    const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', secret: 'not copied' });
    const error = new ToolCallError('fetch_page', 1, 'Tool `fetch_page` failed', { cause: new ToolOutputError('fetch_page', ['bad']) });
    Object.defineProperty(error.cause, 'cause', { value: root });
    const json = errorToJson(error);
    expect(json.cause).toMatchObject({ code: 'ERR_TOOL_OUTPUT', cause: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET' } });
    expect(JSON.stringify(json)).not.toContain('not copied');
    const back = errorFromJson(JSON.parse(JSON.stringify(json)));
    expect(back.cause).toBeInstanceOf(ToolOutputError);
    const foreign = (back.cause as Error).cause as Error & { code?: string };
    expect([foreign.message, foreign.code]).toEqual(['socket hang up', 'ECONNRESET']);
  });

  it('bounds a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    let depth = 0;
    for (let node = errorToJson(a); node.cause !== undefined; node = node.cause) depth++;
    expect(depth).toBe(MAX_CAUSE_DEPTH);
  });

  it('turns a thrown non-error into a record and back into an Error', () => {
    expect(errorToJson('boom')).toEqual({ name: 'Error', message: 'boom' });
    expect(errorFromJson({ name: 'Error', message: 'boom' })).toBeInstanceOf(Error);
  });

  it('rebuilds a record with an unknown code as a plain Error keeping its code', () => {
    const back = errorFromJson({ name: 'FutureError', message: 'later', code: 'ERR_FROM_THE_FUTURE' }) as Error & { code?: string };
    expect(back).not.toBeInstanceOf(ToolWeaverError);
    expect([back.name, back.code, back.message]).toEqual(['FutureError', 'ERR_FROM_THE_FUTURE', 'later']);
  });
  it('keeps the script, so the rebuilt error gives the same model message', () => {
    const error = new UnknownToolError([{ name: 'get_userz', line: 2, column: 7, suggestions: ['get_users'] }]);
    error.script = 'const a = 1;\nawait get_userz();';
    const rebuilt = errorFromJson(JSON.parse(JSON.stringify(errorToJson(error)))) as UnknownToolError;
    expect(rebuilt.script).toBe(error.script);
    expect(rebuilt.toModelMessage()).toBe(error.toModelMessage());
    expect(rebuilt.toModelMessage()).toContain('2 | await get_userz();');
  });
});
