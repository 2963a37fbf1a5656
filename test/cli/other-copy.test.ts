// A tools module that imports another copy of toolweaver (its own install under node_modules,
// as when `npx toolweaver` runs against a project with its own toolweaver): the CLI finds its
// catalog by the brand, not `instanceof`, and registers its tools again in its own copy.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, jsonLines, scratch, toolweaver } from './run-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `work/node_modules/toolweaver`: this build's dist and package.json, a second copy; its dependencies linked. */
function installSecondCopy(): void {
  const copy = join(work, 'node_modules', 'toolweaver');
  mkdirSync(copy, { recursive: true });
  cpSync(join(repo, 'package.json'), join(copy, 'package.json'));
  cpSync(join(repo, 'dist'), join(copy, 'dist'), { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'toolweaver') continue;
    symlinkSync(join(repo, 'node_modules', entry), join(work, 'node_modules', entry));
  }
}

const PRICE = {
  name: 'shop.get_price',
  description: 'Price of one product',
  input: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { sku: { type: 'string', minLength: 2 } }, required: ['sku'] },
  output: { type: 'object', properties: { sku: { type: 'string' }, cents: { type: 'integer' } }, required: ['sku', 'cents'] },
};

let tools: string;
beforeAll(() => {
  installSecondCopy();
  tools = file(work, 'tools.mjs', [
    "import { ToolCatalog } from 'toolweaver';",
    "import { z } from 'zod';",
    'export const catalog = new ToolCatalog()',
    `  .register({ ...${JSON.stringify(PRICE)}, concurrency: 2, handler: ({ sku }) => ({ sku, cents: sku.length * 100 }) })`,
    "  .register({ name: 'shop.stock', input: z.object({ sku: z.string() }), handler: ({ sku }) => sku.length });",
  ]);
});

describe('a tools module importing another copy of toolweaver', () => {
  it('really holds a catalog of another class (instanceof fails in plain Node)', () => {
    const check = [
      `import { ToolCatalog } from ${JSON.stringify(pathToFileURL(join(repo, 'dist', 'index.js')).href)};`,
      `const { catalog } = await import(${JSON.stringify(pathToFileURL(tools).href)});`,
      'console.log(JSON.stringify([catalog instanceof ToolCatalog, catalog.constructor.name]));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', check], { cwd: work, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([false, 'ToolCatalog']);
  });

  it('runs a script calling its tools, fan-out included', async () => {
    const script = file(work, 'fan-out.js', ["const prices = await Promise.all(['ab', 'abc', 'abcd'].map((sku) => shop.get_price(sku)));", "return { cents: prices.map((p) => p.cents), stock: await shop.stock({ sku: 'xyz' }) };"]);
    const run = await toolweaver(work, ['run', script, '--tools', tools, '--json']);
    expect(run.code).toBe(0);
    const [record] = jsonLines(run.stdout);
    expect(record!['result'].value).toEqual({ cents: [200, 300, 400], stock: 3 });
    expect(record!['result'].metadata.toolCalls).toBe(4);
  });

  it("checks calls against the tool's schema in the CLI's copy", async () => {
    const script = file(work, 'bad-input.js', ["return await shop.get_price('a');"]);
    const run = await toolweaver(work, ['run', script, '--tools', tools, '--json']);
    expect(run.code).toBe(1);
    const [record] = jsonLines(run.stdout);
    expect(record!['error'].code).toBe('ERR_TOOL_CALL');
    expect(record!['error'].cause.name).toBe('ToolInputError');
  });

  it('declares its tools (zod schemas included) with `types`', async () => {
    const run = await toolweaver(work, ['types', '--tools', tools]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('get_price(sku: string)');
    expect(run.stdout).toContain('stock(sku: string)');
  });
});

describe('a catalog of another copy this CLI cannot adopt', () => {
  it('is a usage error naming the shape version it cannot read', async () => {
    const module = file(work, 'future.mjs', ["export const catalog = { [Symbol.for('toolweaver.catalog')]: 99, list: () => [] };"]);
    const run = await toolweaver(work, ['types', '--tools', module]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('version 99');
  });

  it('is a usage error naming the tool whose definition this copy refuses', async () => {
    const module = file(work, 'refused.mjs', ["export const catalog = { [Symbol.for('toolweaver.catalog')]: 1, list: () => [{ name: 'broken_tool', input: { type: 'nonsense' } }] };"]);
    const run = await toolweaver(work, ['types', '--tools', module]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('broken_tool');
  });

  it('is a usage error for a catalog of an older copy without the brand', async () => {
    const module = file(work, 'unbranded.mjs', ['class ToolCatalog { list() { return []; } register() { return this; } }', 'export default new ToolCatalog();']);
    const run = await toolweaver(work, ['types', '--tools', module]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no brand');
  });
});
