// The `toolweaver` executable, run as a subprocess against the build (npm test builds first).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureCatalog } from '../../fixtures/tools.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { getScenario } from '../../fixtures/scenarios.mjs';
import { CLI, STACK_LINE, TOOLS, hasScriptCommand, jsonLines, scratch, file as fileIn, toolweaver as toolweaverIn, type Run } from './run-cli.js';

const script = (name: string): string => fileURLToPath(new URL(`../../fixtures/scripts/${name}.js`, import.meta.url));
const work = scratch();

afterAll(() => rmSync(work, { recursive: true, force: true }));

const toolweaver = (args: string[]): Promise<Run> => toolweaverIn(work, args);
const file = (name: string, lines: string[]): string => fileIn(work, name, lines);

describe('toolweaver run', () => {
  it('prints the printed lines, then the result and metadata as JSON', async () => {
    const scenario = getScenario('team-expenses');
    const run = await toolweaver(['run', script('team-expenses'), '--tools', TOOLS]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [firstLine, ...rest] = run.stdout.split('\n');
    expect(firstLine).toBe(scenario.expectedOutput[0]);
    const printed = JSON.parse(rest.join('\n'));
    expect(printed.value).toEqual(scenario.expected);
    expect(printed.metadata.toolCalls).toBe(scenario.expectedToolCalls);
  });

  it('prints only one JSON record with --json, with the --context applied', async () => {
    const scenario = getScenario('lead-workflow');
    const run = await toolweaver(['run', script('lead-workflow'), '--tools', TOOLS, '--json', '--context', JSON.stringify(scenario.context)]);
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.status).toBe('fulfilled');
    expect(record.result.value).toEqual(scenario.expected);
    expect(record.result.output).toEqual(scenario.expectedOutput);
  });

  it('exits 1 with the typed error when the script fails', async () => {
    const asJson = await toolweaver(['run', script('rejected-import'), '--tools', TOOLS, '--json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 'rejected', error: { code: 'ERR_SECURITY_VALIDATION' } });
    const forPeople = await toolweaver(['run', script('rejected-import'), '--tools', TOOLS]);
    expect(forPeople.code).toBe(1);
    expect(forPeople.stderr).toContain('ERR_SECURITY_VALIDATION');
    expect(forPeople.stderr).not.toMatch(STACK_LINE);
  });

  it('runs with --stubs, or says stub mode is not available yet, never with a stack trace', async () => {
    const run = await toolweaver(['run', script('team-expenses'), '--tools', TOOLS, '--stubs', '--json']);
    if (run.code === 2) expect(run.stderr).toContain('stub mode is not available yet');
    else expect(JSON.parse(run.stdout)).toMatchObject({ status: 'fulfilled' });
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('toolweaver batch', () => {
  it('writes one JSON line per context with --code and exits 0 when every job succeeds', async () => {
    const code = file('double.js', ['print("n is", n);', 'return n * 2;']);
    const contexts = file('contexts.jsonl', Array.from({ length: 25 }, (_, n) => JSON.stringify({ n })));
    const run = await toolweaver(['batch', contexts, '--code', code, '--tools', TOOLS, '--concurrency', '4']);
    expect(run.code).toBe(0);
    const outcomes = jsonLines(run.stdout);
    expect(outcomes).toHaveLength(25);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ id: outcome.index, status: 'fulfilled', result: { value: outcome.index * 2, output: [`n is ${outcome.index}`] } });
    }
  });

  it('writes every outcome and exits 1 when some jobs fail', async () => {
    const jobs = file('mixed.jsonl', [
      JSON.stringify({ id: 'ok', code: 'return (await get_users()).length > 0;' }),
      '',
      JSON.stringify({ id: 'throws', code: 'throw new Error("no");' }),
      'this line is not JSON',
      JSON.stringify({ id: 'forbidden', code: 'return process.env;' }),
    ]);
    const run = await toolweaver(['batch', jobs, '--tools', TOOLS]);
    expect(run.code).toBe(1);
    const byIndex = jsonLines(run.stdout).sort((a, b) => a['index'] - b['index']);
    expect(byIndex.map((o) => [o['id'], o['line'], o['status'], o['error']?.code])).toEqual([
      ['ok', 1, 'fulfilled', undefined],
      ['throws', 3, 'rejected', 'ERR_SCRIPT'],
      [2, 4, 'rejected', 'ERR_INVALID_OPTIONS'],
      ['forbidden', 5, 'rejected', 'ERR_SECURITY_VALIDATION'],
    ]);
  });

  it('writes nothing to stderr when stderr is not a terminal', async () => {
    const contexts = file('quiet.jsonl', Array.from({ length: 50 }, (_, n) => JSON.stringify({ n })));
    const code = file('echo.js', ['return n;']);
    const run = await toolweaver(['batch', contexts, '--code', code, '--tools', TOOLS]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toHaveLength(50);
    expect(run.stderr).toBe('');
  });

  it.skipIf(!hasScriptCommand())('draws a progress bar on stderr when it is a terminal', () => {
    const contexts = file('tty.jsonl', Array.from({ length: 20 }, (_, n) => JSON.stringify({ n })));
    const code = file('tty.js', ['return n;']);
    // `script` runs the command on a pseudo-terminal; stdout goes to a file so only stderr shows.
    const command = [process.execPath, CLI, 'batch', contexts, '--code', code, '--tools', TOOLS].map((arg) => `'${arg}'`).join(' ');
    const terminal = execFileSync('script', ['-qec', `${command} > '${join(work, 'tty-out.jsonl')}'`, '/dev/null'], { encoding: 'utf8' });
    expect(terminal).toContain('20/20 done');
    expect(terminal).toContain('0 failed');
  });
});

describe('toolweaver types', () => {
  it('prints every tool of the catalog', async () => {
    const run = await toolweaver(['types', '--tools', TOOLS]);
    expect(run.code).toBe(0);
    for (const tool of createFixtureCatalog().list()) expect(run.stdout).toContain(tool.name);
  });
});

describe('toolweaver usage errors', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['a missing --tools', ['run', 'x.js']],
    ['an unknown option', ['types', '--tools', TOOLS, '--bogus']],
    ['a script that does not exist', ['run', 'missing.js', '--tools', TOOLS]],
    ['a tools module that does not exist', ['types', '--tools', 'missing.mjs']],
    ['a module without a ToolCatalog', ['types', '--tools', fileURLToPath(new URL('../../fixtures/data.mjs', import.meta.url))]],
    ['--context that is not JSON', ['run', script('team-expenses'), '--tools', TOOLS, '--context', '{nope']],
    ['--context naming a tool', ['run', script('team-expenses'), '--tools', TOOLS, '--context', '{"get_users":1}']],
    ['a jobs file that does not exist', ['batch', 'missing.jsonl', '--tools', TOOLS]],
    ['--concurrency 0', ['batch', TOOLS, '--tools', TOOLS, '--concurrency', '0']],
  ])('exits 2 with a usage message for %s, never a stack trace', async (_label, args) => {
    const run = await toolweaver(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^(error: |Usage: toolweaver)/);
    expect(run.stderr).toContain('--help');
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout).toBe('');
  });
});
