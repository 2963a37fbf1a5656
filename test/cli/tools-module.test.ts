// A tools module that does not parse: the usage error names the file, line and column, for
// the module itself and for a module it imports (Node's own error names neither).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, file, scratch, toolweaver } from './run-cli.js';

const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));

mkdirSync(join(work, 'helpers'));
const broken = file(work, 'broken-tools.mjs', ['export const catalog = null;', 'const table = {', '  a: 1,,', '};']);
const helper = file(work, join('helpers', 'broken-helper.mjs'), ['export function helper() {', '\treturn [1, 2', '}']);
const fine = file(work, 'fine.mjs', ["export { helper } from './helpers/broken-helper.mjs';"]);
const importer = file(work, 'importer.mjs', ["import { helper } from './fine.mjs';", 'export default helper;']);
const missingExport = file(work, 'missing-export.mjs', ["import { nothing } from './fine-plain.mjs';", 'export default nothing;']);
file(work, 'fine-plain.mjs', ['export const something = 1;']);
const throwsAtTop = file(work, 'throws-at-top.mjs', ['export const catalog = null;', 'const config = JSON.parse("{");']);
const importsThrowing = file(work, 'imports-throwing.mjs', ["import './throws-at-top.mjs';", 'export default null;']);

function usageError(run: { code: number; stderr: string; stdout: string }): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(STACK_LINE);
}

describe('a tools module that does not load', () => {
  it('names the file, line and column of a syntax error in the module', async () => {
    const run = await toolweaver(work, ['types', '--tools', broken]);
    usageError(run);
    expect(run.stderr).toContain(`${broken}:3:8`);
  });

  it('names the imported file that does not parse, two imports down', async () => {
    const run = await toolweaver(work, ['run', file(work, 'one.js', ['return 1;']), '--tools', importer]);
    usageError(run);
    expect(run.stderr).toContain(`${helper}:3:1`);
  });

  it('still reports a link error (a missing export), which has no location to give', async () => {
    const run = await toolweaver(work, ['types', '--tools', missingExport]);
    usageError(run);
    expect(run.stderr).toContain('nothing');
    expect(run.stderr).not.toContain(`${missingExport}:`);
  });

  it.each([
    ['the module', throwsAtTop],
    ['a module it imports', importsThrowing],
  ])('names where a top-level statement of %s threw (a SyntaxError at run time, from JSON.parse)', async (_label, tools) => {
    const run = await toolweaver(work, ['types', '--tools', tools]);
    usageError(run);
    expect(run.stderr).toContain(`${throwsAtTop}:2:21`);
  });

  it('is reported the same way by batch, before any job is read', async () => {
    const jobs = file(work, 'jobs.jsonl', [JSON.stringify({ code: 'return 1;' })]);
    const run = await toolweaver(work, ['batch', jobs, '--tools', broken]);
    usageError(run);
    expect(run.stderr).toContain(`${broken}:3:8`);
  });
});
