// Owns `toolweaver/ai-sdk`: the engine as one Vercel AI SDK tool the model calls with its code.
// `ai` is an optional peer dependency, imported only here; the core never imports it. A
// failure reaches the model as the error's model message (the AI SDK's tool-error path),
// never as a stack or a host error.

import { jsonSchema, tool, type Tool } from 'ai';
import type { Engine } from '../../engine.js';
import { InvalidOptionsError, ToolWeaverError, type ExecutionMetadata } from '../../errors.js';
import type { ExecuteOptions } from '../../options.js';
import { approvalForExecution, codeNeedsApproval } from './approval.js';

/** What the model sends: one script. */
export interface CodeToolInput {
  code: string;
}

/** What the tool returns to the application (the model reads only `value` and `output`). */
export interface CodeToolOutput {
  /** The script's returned value (JSON data; `null` when it returned nothing). */
  value: unknown;
  /** Lines it printed. */
  output: string[];
  metadata: ExecutionMetadata;
}

/** Options of `createCodeTool`. */
export interface CodeToolOptions {
  /**
   * The tool's description, which the model reads. @default `engine.instructions()`: the
   * sandbox rules, an example and the declarations of every tool in the catalog.
   */
  description?: string | undefined;
  /** Options for every execution (time limit, context); the call's abort signal is added. */
  execute?: Omit<ExecuteOptions, 'signal' | 'onApproval'> | undefined;
  /**
   * Who decides calls of tools marked `needsApproval`. `ai-sdk`: the tool's own
   * `needsApproval` is true for a script that may call one, so the AI SDK asks the user
   * (`tool-approval-request`); once approved, those calls of that execution run. `engine`:
   * the tool never asks; the engine's `onApproval` decides every call. @default 'ai-sdk'
   */
  approvals?: 'ai-sdk' | 'engine' | undefined;
}

/**
 * A failed script, thrown from the tool's `execute` so the AI SDK reports a tool error:
 * its message is the error's `toModelMessage()`, and `cause` is the typed toolweaver error.
 */
export class CodeToolError extends Error {
  override readonly cause: ToolWeaverError;
  constructor(cause: ToolWeaverError) {
    super(cause.toModelMessage());
    this.name = 'CodeToolError';
    this.cause = cause;
  }
}

const INPUT_SCHEMA = jsonSchema<CodeToolInput>({
  type: 'object',
  properties: { code: { type: 'string', description: 'An async JavaScript (or TypeScript) script body. Call the tools as async globals, `await` them, and `return` the result.' } },
  required: ['code'],
  additionalProperties: false,
});

/**
 * An AI SDK `tool()` that runs the model's script on `engine`: input `{ code }`, output
 * `{ value, output, metadata }` (the model reads `{ value, output }`). The call's
 * `abortSignal` aborts the execution. A failing script throws CodeToolError, which the
 * AI SDK hands back to the model as a tool error carrying the model message. A script that
 * may call a tool marked for approval needs the user's approval first (`approvals`).
 */
export function createCodeTool(engine: Engine, options: CodeToolOptions = {}): Tool<CodeToolInput, CodeToolOutput> {
  const approvals = options.approvals ?? 'ai-sdk';
  if (approvals !== 'ai-sdk' && approvals !== 'engine') throw new InvalidOptionsError('approvals', `Expected \`approvals\` to be "ai-sdk" or "engine", got ${JSON.stringify(approvals)}`);
  const asks = approvals === 'ai-sdk';
  return tool<CodeToolInput, CodeToolOutput>({
    description: options.description ?? engine.instructions(),
    inputSchema: INPUT_SCHEMA,
    ...(asks ? { needsApproval: codeNeedsApproval(engine) } : {}),
    execute: async ({ code }, { abortSignal, messages, toolCallId }) => {
      try {
        const onApproval = asks ? approvalForExecution(engine, code, messages, toolCallId) : undefined;
        const result = await engine.execute(code, { ...options.execute, signal: abortSignal, ...(onApproval === undefined ? {} : { onApproval }) });
        return { value: result.value ?? null, output: result.output, metadata: result.metadata };
      } catch (error) {
        if (error instanceof ToolWeaverError) throw new CodeToolError(error);
        throw error;
      }
    },
    // Metadata is for the application; the model needs the value and what was printed.
    toModelOutput: ({ output }) => ({ type: 'json', value: { value: (output.value ?? null) as never, output: output.output } }),
  });
}
