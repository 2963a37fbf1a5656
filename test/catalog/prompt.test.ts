import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ToolCatalog } from '../../src/catalog/index.js';
import { PROMPT_DEFAULTS } from '../../src/catalog/prompt.js';
import { DEFAULT_TIMEOUT_MS, MAX_TOOL_CALLS, resolveEngineOptions } from '../../src/options.js';
import { countTokens } from '../../src/tokens.js';
// @ts-expect-error: plain-JS fixtures.
import { createFixtureCatalog } from '../../fixtures/tools.mjs';

const handler = () => null;

/** The text of the fenced block after `label` in the prompt. */
function block(prompt: string, fence: string): string {
  const match = new RegExp(`\`\`\`${fence}\\n([\\s\\S]*?)\\n\`\`\``).exec(prompt);
  if (match === null) throw new Error(`no ${fence} block`);
  return match[1]!;
}

describe('toPrompt', () => {
  it('holds the rules, one example and the declarations in under 1,500 tokens for the fixture catalog', () => {
    const catalog: ToolCatalog = createFixtureCatalog();
    const prompt = catalog.toPrompt();
    expect(countTokens(prompt)).toBeLessThan(1_500);
    expect(block(prompt, 'ts')).toBe(catalog.toTypeScript().split('\n').slice(1).join('\n').trimEnd());
    expect(prompt).toContain('- Limits: 300 s per script, 10,000 tool calls, 1,000 printed lines.');
    expect(countTokens(catalog.toPrompt({ outputs: false }))).toBeLessThan(countTokens(prompt) * 0.6);
  });

  it('states the defaults of the engine when no engine is given', () => {
    const resolved = resolveEngineOptions({ catalog: new ToolCatalog() });
    expect(PROMPT_DEFAULTS).toEqual({ timeoutMs: DEFAULT_TIMEOUT_MS, maxToolCalls: MAX_TOOL_CALLS, maxOutputLines: resolved.maxOutputLines });
  });

  it('states the limits it is given', () => {
    const prompt = new ToolCatalog().toPrompt({ timeoutMs: 2_500, maxToolCalls: 40, maxOutputLines: 12_000 });
    expect(prompt).toContain('- Limits: 2.5 s per script, 40 tool calls, 12,000 printed lines.');
  });

  it('builds its example from a tool with scalar required arguments, valid JavaScript', () => {
    const catalog = new ToolCatalog()
      .register({ name: 'ping', handler })
      .register({ name: 'crm.get_lead', input: { type: 'object', properties: { leadId: { type: 'string' }, verbose: { type: 'boolean' } }, required: ['leadId'] }, handler });
    const example = block(catalog.toPrompt(), 'js');
    expect(example).toMatch(/^const results = await Promise\.all\(\[crm\.get_lead\("[^"]*"\), crm\.get_lead\("[^"]*"\)\]\);/);
    const parsed = ts.transpileModule(`(async () => {\n${example}\n})`, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    expect(parsed.diagnostics ?? []).toEqual([]);
  });

  it('shows the example it is given instead', () => {
    const prompt = new ToolCatalog().register({ name: 'ping', handler }).toPrompt({ example: 'return await ping();' });
    expect(block(prompt, 'js')).toBe('return await ping();');
  });
});
