// Property tests of validation (issue 15, "Widen the net"): random scripts that terminate,
// written to reach every kind of loop and function body and the SES-rejected sequences that
// force the regenerating path, prepared exactly as the engine prepares them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUNS, SEED, behavesAsWritten, checkpointsEveryBody, scripts, tally } from './script-properties.js';

/** Every kind of site the generator must reach, each at least a few times per run. */
const SITE_KINDS = [
  'FunctionDeclaration', 'FunctionDeclaration:async', 'FunctionDeclaration:generator', 'FunctionDeclaration:async:generator',
  'FunctionExpression', 'FunctionExpression:generator', 'ArrowFunctionExpression', 'ArrowFunctionExpression:unbraced',
  'ArrowFunctionExpression:async:unbraced', 'ObjectMethod:method', 'ObjectMethod:get', 'ObjectMethod:set', 'ObjectMethod:method:generator',
  'ClassMethod:constructor', 'ClassMethod:method', 'ClassMethod:get', 'ClassMethod:set', 'ClassMethod:method:static',
  'ClassPrivateMethod:method', 'StaticBlock', 'WhileStatement', 'WhileStatement:unbraced', 'DoWhileStatement', 'DoWhileStatement:unbraced',
  'ForStatement', 'ForStatement:unbraced', 'ForInStatement', 'ForInStatement:unbraced', 'ForOfStatement', 'ForOfStatement:unbraced',
  'ForOfStatement:async', 'ForOfStatement:async:unbraced',
];

describe('validation of random scripts', () => {
  it('prepares scripts that end exactly as their source does: checkpoints inserted, SES sequences escaped', () => {
    tally.clear();
    fc.assert(fc.property(scripts, behavesAsWritten), { seed: SEED, numRuns: RUNS });
    // The runs reached what they must: the regenerating path, and checkpoints that ran.
    expect(tally.get('regenerated')).toBeGreaterThan(RUNS / 4);
    expect(tally.get('checkpointed')).toBeGreaterThan(RUNS / 4);
  });

  it('puts the checkpoint call first in every loop and function body', () => {
    tally.clear();
    fc.assert(fc.property(scripts, checkpointsEveryBody), { seed: SEED, numRuns: RUNS });
    const rare = SITE_KINDS.filter((kind) => (tally.get(kind) ?? 0) < 3);
    expect(rare).toEqual([]);
  });
});
