// Runs the executeMany snippet of docs/api.md against the build, so the documented batch API stays true.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as toolweaver from 'toolweaver';

// One ```js block (never across blocks) that imports the engine and calls executeMany.
const SNIPPET = /```js\n(import \{ ToolCatalog, createEngine \} from 'toolweaver';(?:(?!```)[\s\S])*?engine\.executeMany(?:(?!```)[\s\S])*?)```/;

function batchSnippet(): string {
  const block = SNIPPET.exec(readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8'));
  if (block === null) throw new Error('docs/api.md executeMany snippet not found');
  return block[1]!;
}

describe('docs/api.md batch section', () => {
  it('runs the executeMany snippet and logs one line per job', async () => {
    const body = batchSnippet().replace(/^import .*$/m, '');
    const logged: unknown[][] = [];
    const log = vi.fn((...values: unknown[]) => logged.push(values));
    const run = new Function('ToolCatalog', 'createEngine', 'console', `return (async () => {${body}})();`);
    await run(toolweaver.ToolCatalog, toolweaver.createEngine, { log });
    expect(logged.sort()).toEqual([['L-1', 30], ['L-22', 40], ['L-333', 50]]);
  });
});
