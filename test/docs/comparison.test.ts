// docs/comparison.md stays backed: each toolweaver cell links a test or bench file of this
// repository that exists (and holds the test name the link quotes); each codemode cell cites
// a public source, or says the figure was not measured here.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const docs = new URL('../../docs/', import.meta.url);
const text = readFileSync(new URL('comparison.md', docs), 'utf8');
const rows = text
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| |'))
  .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
const links = (cell: string): Array<{ label: string; target: string }> =>
  [...cell.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map((match) => ({ label: match[1]!, target: match[2]! }));

describe('docs/comparison.md', () => {
  it('compares connectors, approvals, limits, isolation and speed', () => {
    expect(rows.map(([aspect]) => aspect!.split(/[: ]/)[0])).toEqual(expect.arrayContaining(['MCP', 'Approvals', 'Limits', 'Isolation', 'Speed']));
  });

  it.each(rows.map((row) => [row[0]!, row[1]!]))('backs the toolweaver claim on %s with tests or benches that exist', (_aspect, cell) => {
    if (cell === 'none') return;
    const local = links(cell).filter(({ target }) => /^\.\.\/(?:test|bench)\//.test(target));
    expect(local.length).toBeGreaterThan(0);
    for (const { label, target } of local) {
      const url = new URL(target, docs);
      expect(existsSync(url), target).toBe(true);
      const quoted = /"([^"]+)"/.exec(label)?.[1];
      if (quoted !== undefined) expect(readFileSync(url, 'utf8'), `${target} has a test named like ${quoted}`).toContain(quoted);
    }
    for (const { target } of links(cell).filter(({ target }) => !target.startsWith('http'))) expect(existsSync(new URL(target, docs)), target).toBe(true);
  });

  it.each(rows.map((row) => [row[0]!, row[2]!]))('cites a public source for the codemode claim on %s', (_aspect, cell) => {
    if (cell === 'not measured here') return;
    const sources = links(cell).map(({ target }) => target);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^https:\/\/(?:github\.com\/cloudflare\/agents\/blob\/[0-9a-f]{40}\/|developers\.cloudflare\.com\/)/);
  });

  it('gives a speed figure for codemode only if measured here', () => {
    const speed = rows.find(([aspect]) => aspect === 'Speed')!;
    expect(speed[2]).toBe('not measured here');
  });
});
