// Runs the README's quick-start snippet against the build, so the README stays true.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as toolweaver from 'toolweaver';

function readmeSnippet(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```js\n(import \{ ToolCatalog, createEngine \} from 'toolweaver';[\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('README quick-start snippet not found');
  return block[1]!;
}

describe('README', () => {
  it('runs the quick-start snippet and prints what its comments say', async () => {
    const body = readmeSnippet().replace(/^import .*$/m, '');
    const logged: unknown[] = [];
    const log = vi.fn((value: unknown) => logged.push(value));
    const run = new Function('ToolCatalog', 'createEngine', 'console', `return (async () => {${body}})();`);
    await run(toolweaver.ToolCatalog, toolweaver.createEngine, { log });
    expect(logged[0]).toBe(42);
    expect(logged[1]).toEqual(['orders: 2']);
    expect(logged[2]).toMatchObject({ toolCalls: 1, toolCallsByName: { get_user_orders: 1 } });
  });
});
