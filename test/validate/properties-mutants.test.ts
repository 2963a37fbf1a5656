// The property tests have teeth: each fails against a deliberately broken checkpoint inserter
// or SES escaper, swapped in here with vi.mock (src/ stays as it is). A property that passed
// against these would be checking nothing.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { CheckpointSite } from '../../src/validate/insert-checkpoints.js';
import { RUNS, SEED, behavesAsWritten, checkpointsEveryBody, scripts } from './script-properties.js';

type Mutant = 'none' | 'skip-do-while' | 'skip-arrow-expression-bodies' | 'arrow-body-as-statement' | 'no-escape';
const mutant = vi.hoisted(() => ({ current: 'none' as string }));

/** The sites a broken inserter would see. */
function mutateSites(sites: readonly CheckpointSite[]): CheckpointSite[] {
  switch (mutant.current) {
    case 'skip-do-while':
      return sites.filter((site) => site.type !== 'DoWhileStatement');
    case 'skip-arrow-expression-bodies':
      return sites.filter((site) => site.type !== 'ArrowFunctionExpression' || site.body.type === 'BlockStatement');
    case 'arrow-body-as-statement':
      // `x => expr` braced like a loop body: `x => {checkpoint();expr}` returns undefined.
      return sites.map((site) => (site.type === 'ArrowFunctionExpression' && site.body.type !== 'BlockStatement' ? ({ ...site, type: 'WhileStatement' } as unknown as CheckpointSite) : site));
    default:
      return [...sites];
  }
}

vi.mock('../../src/validate/insert-checkpoints.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/validate/insert-checkpoints.js')>();
  return { ...real, insertCheckpoints: (source: string, sites: readonly CheckpointSite[]) => real.insertCheckpoints(source, mutateSites(sites)) };
});

vi.mock('../../src/validate/escape-ast.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/validate/escape-ast.js')>();
  return { ...real, escapeSesSequences: (ast: Parameters<typeof real.escapeSesSequences>[0]) => (mutant.current === 'no-escape' ? undefined : real.escapeSesSequences(ast)) };
});

/** Whether `property` fails within RUNS scripts while `broken` is swapped in. */
function failsWith(broken: Mutant, property: (source: string) => void, numRuns = RUNS): boolean {
  mutant.current = broken;
  try {
    return fc.check(fc.property(scripts, property), { seed: SEED, numRuns, endOnFailure: true }).failed;
  } finally {
    mutant.current = 'none';
  }
}

describe('the property tests of validation', () => {
  it('pass with the real inserter and escaper (the mocks change nothing by default)', () => {
    expect(failsWith('none', behavesAsWritten, 50)).toBe(false);
    expect(failsWith('none', checkpointsEveryBody, 50)).toBe(false);
  });

  it.each<[Mutant]>([['skip-do-while'], ['skip-arrow-expression-bodies']])('catch an inserter that misses sites (%s)', (broken) => {
    expect(failsWith(broken, checkpointsEveryBody)).toBe(true);
  });

  it.each<[Mutant]>([['arrow-body-as-statement'], ['no-escape']])('catch a preparation that changes what a script computes (%s)', (broken) => {
    expect(failsWith(broken, behavesAsWritten)).toBe(true);
  });
});
