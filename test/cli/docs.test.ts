// docs/cli.md stays true: its flags table lists exactly the flags each command's --help shows,
// and its exit-code table exactly the codes the CLI uses.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as exitCodes from '../../src/cli/usage-error.js';
import { scratch, toolweaver } from './run-cli.js';

const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));
const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

function tableRows(heading: string): string[][] {
  const section = doc.slice(doc.indexOf(`## ${heading}`)).split('\n## ')[0]!;
  return section.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

function documentedFlags(command: string): string[] {
  return tableRows('Flags')
    .filter(([, commands]) => commands === 'all' || commands!.split(', ').includes(command))
    .map(([flag]) => /^`(--[a-z-]+)/.exec(flag!)![1]!)
    .sort();
}

describe('docs/cli.md', () => {
  it.each(['run', 'batch', 'types', 'prompt', 'report', 'mcp'])('lists exactly the flags of `%s --help`', async (command) => {
    const help = await toolweaver(work, [command, '--help']);
    expect(help.code).toBe(0);
    const shown = [...new Set(help.stdout.match(/--[a-z][a-z-]*/g))].filter((flag) => flag !== '--help').sort();
    expect(documentedFlags(command)).toEqual(shown);
  });

  it('lists exactly the exit codes the CLI uses', () => {
    const documented = tableRows('Exit codes').map(([code]) => Number(code!.replaceAll('`', ''))).sort((a, b) => a - b);
    const used = Object.entries(exitCodes).filter(([name]) => name.startsWith('EXIT_')).map(([, code]) => code as number).sort((a, b) => a - b);
    expect(documented).toEqual(used);
  });
});
