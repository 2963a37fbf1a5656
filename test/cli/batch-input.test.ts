// `toolweaver batch` reading jobs from pipes, `-`, /dev/stdin and process substitutions, with
// stderr on a real pseudo-terminal (the case that once counted the pipe dry and ran nothing).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOOLS, file, hasScriptCommand, inShell, inTerminal, jsonLines, quote, scratch, shellCommand, toolweaver } from './run-cli.js';

const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const JOBS = 50;
const contexts = file(work, 'contexts.jsonl', Array.from({ length: 120 }, (_, n) => JSON.stringify({ n })));
const first = file(work, 'first.jsonl', Array.from({ length: JOBS }, (_, n) => JSON.stringify({ n })));
const code = file(work, 'double.js', ['return n * 2;']);
const common = ['--code', code, '--tools', TOOLS, '--threads', '1'];

function expectEveryJob(outcomes: Array<Record<string, any>>, count: number): void {
  expect(outcomes).toHaveLength(count);
  const byIndex = [...outcomes].sort((a, b) => a['index'] - b['index']);
  byIndex.forEach((outcome, index) => {
    expect(outcome).toMatchObject({ index, line: index + 1, status: 'fulfilled', result: { value: index * 2 } });
  });
}

describe.skipIf(!hasScriptCommand())('batch with stderr on a terminal and jobs from a stream', () => {
  it.each([
    ['/dev/stdin fed by a pipe', (out: string) => `head -${JOBS} ${quote(contexts)} | ${shellCommand(['batch', '/dev/stdin', ...common])} > ${quote(out)}`],
    ['- fed by a pipe', (out: string) => `head -${JOBS} ${quote(contexts)} | ${shellCommand(['batch', '-', ...common])} > ${quote(out)}`],
    ['a process substitution', (out: string) => `${shellCommand(['batch', ...common])} <(head -${JOBS} ${quote(contexts)}) > ${quote(out)}`],
    ['- redirected from a regular file', (out: string) => `${shellCommand(['batch', '-', ...common])} < ${quote(first)} > ${quote(out)}`],
  ])('runs every job of %s and shows the count on the bar', (label, commandFor) => {
    const out = join(work, `${label.replace(/\W+/g, '-')}.jsonl`);
    const { code: exit, terminal } = inTerminal(commandFor(out));
    expect(exit).toBe(0);
    expectEveryJob(jsonLines(readFileSync(out, 'utf8')), JOBS);
    expect(terminal).toContain(`${JOBS}/? done`);
  });

  it.each([30, 60, 100])('draws every state of the bar within a terminal %i columns wide', (columns) => {
    const out = join(work, `narrow-${columns}.jsonl`);
    const { code: exit, terminal } = inTerminal(`stty cols ${columns}; ${shellCommand(['batch', contexts, ...common])} > ${quote(out)}`);
    expect(exit).toBe(0);
    // Each redraw starts at column 1 (CSI 1 G); what follows, up to the next control sequence, is one line.
    const drawn = terminal.split('\u001b[1G').slice(1).map((chunk) => chunk.split('\u001b')[0]!);
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect([...line].length).toBeLessThan(columns);
    expect(drawn.at(-1)).toContain('120/120 done');
  });

  it('counts a regular file ahead, so the bar has a total', () => {
    const out = join(work, 'regular.jsonl');
    const { code: exit, terminal } = inTerminal(`${shellCommand(['batch', contexts, ...common])} > ${quote(out)}`);
    expect(exit).toBe(0);
    expectEveryJob(jsonLines(readFileSync(out, 'utf8')), 120);
    expect(terminal).toContain('120/120 done');
  });
});

describe('batch input lines', () => {
  it('reads - from a pipe without a terminal', async () => {
    const out = join(work, 'piped.jsonl');
    const { code: exit } = inShell(`head -${JOBS} ${quote(contexts)} | ${shellCommand(['batch', '-', ...common])} > ${quote(out)}`);
    expect(exit).toBe(0);
    expectEveryJob(jsonLines(readFileSync(out, 'utf8')), JOBS);
  });

  it('names the file line of every job, and the line and JSON error of one that is not JSON', async () => {
    const jobs = file(work, 'lines.jsonl', [
      '',
      JSON.stringify({ id: 'a', code: 'return 1;' }),
      '   ',
      '{"id": "broken", "code": ',
      JSON.stringify({ id: 'b', code: 'return 2;' }),
    ]);
    const run = await toolweaver(work, ['batch', jobs, '--tools', TOOLS, '--threads', '1']);
    expect(run.code).toBe(1);
    const byIndex = jsonLines(run.stdout).sort((a, b) => a['index'] - b['index']);
    expect(byIndex.map((o) => [o['id'], o['line'], o['status']])).toEqual([['a', 2, 'fulfilled'], [1, 4, 'rejected'], ['b', 5, 'fulfilled']]);
    const { error } = byIndex[1]!;
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS', option: 'jobs[1]' });
    let parseError = '';
    try {
      JSON.parse('{"id": "broken", "code": ');
    } catch (thrown) {
      parseError = (thrown as Error).message;
    }
    expect(error.message).toContain(parseError);
  });

  it('never runs a line that is not JSON with --code, and names its line', async () => {
    const lines = file(work, 'bad-context.jsonl', [JSON.stringify({ n: 1 }), 'n: 2', '', JSON.stringify({ n: 3 })]);
    const run = await toolweaver(work, ['batch', lines, ...common]);
    expect(run.code).toBe(1);
    const byIndex = jsonLines(run.stdout).sort((a, b) => a['index'] - b['index']);
    expect(byIndex.map((o) => [o['line'], o['status'], o['error']?.code, o['result']?.value])).toEqual([
      [1, 'fulfilled', undefined, 2],
      [2, 'rejected', 'ERR_INVALID_OPTIONS', undefined],
      [4, 'fulfilled', undefined, 6],
    ]);
    // Rejected before running: no metadata, as for any malformed job.
    expect(byIndex[1]!['error'].metadata).toBeUndefined();
  });

  it.each([
    ['a directory', () => work],
    ['a file that does not exist', () => join(work, 'missing.jsonl')],
  ])('exits 2 for a jobs input that is %s', async (_label, path) => {
    const run = await toolweaver(work, ['batch', path(), '--tools', TOOLS]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});
