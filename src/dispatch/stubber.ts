// Owns stub mode: answering covered tools with fake data generated from their output
// schemas, deterministically for a seed (and the call's arguments, so a fan-out's order does
// not matter), and checked against the schema before it is returned.

import { checksOf, createRandom, generateStub, type RegisteredTool } from '../catalog/index.js';

/** Which tools are stubbed, and the seed. */
export interface StubOptions {
  /** `all`, or the registered names of the stubbed tools. */
  tools: 'all' | ReadonlySet<string>;
  seed: string;
}

/** Retries with a fresh random stream when a generated value breaks the schema. */
const ATTEMPTS = 5;

export interface Stubber {
  covers(tool: RegisteredTool): boolean;
  /** Fake data for one call; throws a clear error when the tool cannot be stubbed. */
  generate(tool: RegisteredTool, calledAs: string, args: unknown): unknown;
}

export function createStubber(options: StubOptions): Stubber {
  return {
    covers: (tool) => options.tools === 'all' || options.tools.has(tool.name),
    generate(tool, calledAs, args) {
      const schema = tool.output;
      if (schema === undefined) {
        throw new Error(`tool \`${calledAs}\` cannot be stubbed: it has no output schema${tool.handler === undefined ? ' and no handler' : ''}`);
      }
      const check = checksOf(tool).output;
      let issues: string[] = [];
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const random = createRandom(`${options.seed}\u0000${tool.name}\u0000${JSON.stringify(args) ?? ''}\u0000${attempt}`);
        const value = generateStub(schema, schema, random, tool.name.replace(/^(get|list|fetch|find)_/, ''));
        const result = check?.(value) ?? { ok: true };
        if (result.ok) return value;
        issues = result.issues;
      }
      throw new Error(`tool \`${calledAs}\` cannot be stubbed: generated data breaks its output schema (${issues.join('; ')})`);
    },
  };
}
