// The examples in docs/api.md of `toModelMessage()`, run for real and compared as text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScriptSyntaxError, type ToolWeaverError } from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const start = doc.indexOf('### Errors a model fixes in one retry');
const next = doc.indexOf('\n## ', start);
const section = doc.slice(start, next === -1 ? undefined : next);
const examples = [...section.matchAll(/```js\n([\s\S]*?)\n```\n\n```text\n([\s\S]*?)\n```/g)].map((match) => [match[1]!, match[2]!] as const);

// engineFor closes its engines after each test.
const createEngine = () => engineFor([
  { name: 'get_users', input: { type: 'object', properties: { team: { type: 'string' } }, required: ['team'] }, handler: async ({ team }: { team: string }) => [{ id: 1, team }] },
  { name: 'get_expenses', input: { type: 'object', properties: { userId: { type: 'number' }, quarter: { enum: ['Q1', 'Q2', 'Q3', 'Q4'] } }, required: ['userId', 'quarter'] }, handler: async () => [] },
]);

describe('error.toModelMessage()', () => {
  it('has five examples in docs/api.md', () => {
    expect(examples).toHaveLength(5);
  });

  it.each(examples)('gives the docs/api.md text for %s', async (script, message) => {
    const error: ToolWeaverError = await rejectionOf(createEngine().execute(script));
    expect(error.script).toBe(script);
    expect(error.toModelMessage()).toBe(message);
  });

  it('frames the line of a syntax error thrown by compile(), in the text as sent', () => {
    const script = 'const a = 1;\nconst b = ;\nreturn a;';
    let error: unknown;
    try {
      createEngine().compile(script);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ScriptSyntaxError);
    expect((error as ScriptSyntaxError).toModelMessage()).toContain('2 | const b = ;\n  |           ^');
  });
});
