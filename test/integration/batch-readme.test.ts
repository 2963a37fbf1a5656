// Runs the README's executeMany snippet against the build, so the documented batch API stays true.
// The section is drafted in docs-draft/README-batch.md until it is merged into README.md:
// README.md is searched first, so the test keeps working after the merge.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as toolweaver from 'toolweaver';

// One ```js block (never across blocks) that imports the engine and calls executeMany.
const SNIPPET = /```js\n(import \{ ToolCatalog, createEngine \} from 'toolweaver';(?:(?!```)[\s\S])*?engine\.executeMany(?:(?!```)[\s\S])*?)```/;

function batchSnippet(): string {
  for (const file of ['../../README.md', '../../docs-draft/README-batch.md']) {
    const url = new URL(file, import.meta.url);
    const block = existsSync(url) ? SNIPPET.exec(readFileSync(url, 'utf8')) : null;
    if (block !== null) return block[1]!;
  }
  throw new Error('README executeMany snippet not found');
}

describe('README batch section', () => {
  it('runs the executeMany snippet and logs one line per job', async () => {
    const body = batchSnippet().replace(/^import .*$/m, '');
    const logged: unknown[][] = [];
    const log = vi.fn((...values: unknown[]) => logged.push(values));
    const run = new Function('ToolCatalog', 'createEngine', 'console', `return (async () => {${body}})();`);
    await run(toolweaver.ToolCatalog, toolweaver.createEngine, { log });
    expect(logged.sort()).toEqual([['L-1', 30], ['L-22', 40], ['L-333', 50]]);
  });
});
