// Owns splicing checkpoints into a validated script's text: one at the head of every loop
// body and at the entry of every function body, placed by the parsed AST's offsets, and the
// declaration of the script's own checkpoint counter. Must never insert a newline (line N of
// the result is line N of the script) nor change what the script computes besides counting.

import type { Function as FunctionNode, Loop, Node } from '@babel/types';
import { CHECKPOINT_COUNTER, CHECKPOINT_GLOBAL, CHECKPOINT_LOCAL } from '../globals.js';

/** A node whose body gets a checkpoint: every kind of function and loop. */
export type CheckpointSite = FunctionNode | Loop;

// The common path is one decrement and a branch on a variable of the script's own wrapper
// (kept in a register in a loop of that function): the call, which reads the clock, the
// heap meter and the stop flag, happens only when the counter runs out. The call's result
// is the next count; once the run is stopped it throws instead, so the counter stays
// negative and every later checkpoint calls (and throws) again. It is called through the
// wrapper's own `var` (no temporal-dead-zone check in the loop, see CHECKPOINT_LOCAL), and
// `|0` tells the optimizer the count is a small integer, so the counter stays an untagged
// int32 in a register instead of a tagged value checked and retagged every iteration.
const TICK_CONDITION = `--${CHECKPOINT_COUNTER}<0`;
const REFILL = `${CHECKPOINT_COUNTER}=${CHECKPOINT_LOCAL}()|0`;
const TICK = `if(${TICK_CONDITION})${REFILL};`;
const WRAP_EXPRESSION_OPEN = `(${TICK_CONDITION}&&(${REFILL}),`;
const WRAP_STATEMENT_OPEN = `{${TICK}`;

/**
 * SECURITY: "A runaway script stops itself at its time limit": the counter, declared first in
 * the script's wrapper function, so it is fresh for every run and private to it (scripts
 * sharing a thread, or a Compartment, each have their own), and the wrapper's copy of the
 * run's checkpoint function. `var`, not `let`: closures then read both without a
 * temporal-dead-zone check. Starting at 0, the first checkpoint calls.
 */
export const COUNTER_DECLARATION = `var ${CHECKPOINT_COUNTER}=0,${CHECKPOINT_LOCAL}=${CHECKPOINT_GLOBAL};`;

/** True for the nodes that get a checkpoint (for-await is a ForOfStatement). */
export function isCheckpointSite(node: Node): node is CheckpointSite {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
      return true;
    default:
      return false;
  }
}

/**
 * One piece of text to insert at `at`. Wrapping edits come in pairs around the span
 * [spanStart, spanEnd); an insertion after a `{` has the block as its span.
 */
export interface SourceEdit {
  at: number;
  text: string;
  closing: boolean;
  spanStart: number;
  spanEnd: number;
}

/**
 * Order of edits at one offset, so nested wraps stay nested: of two spans ending there, the
 * inner (later-starting) closes first; of two starting there, the outer (later-ending) opens
 * first. An opener and a closer never share an offset: a span that ended just before a body
 * would end with that body's own `)`, `=>` or `do`, so it would contain the whole body.
 */
function compareEdits(a: SourceEdit, b: SourceEdit): number {
  if (a.at !== b.at) return a.at - b.at;
  // Only with extra edits: `while (x) y;z` ends a loop body where the last statement starts.
  if (a.closing !== b.closing) return a.closing ? -1 : 1;
  return a.closing ? b.spanStart - a.spanStart : b.spanEnd - a.spanEnd;
}

/** The edits that put one checkpoint at the head of `body`, a function's or a loop's. */
function editsFor(body: Node, isArrowBody: boolean, edits: SourceEdit[]): void {
  const start = body.start!;
  const end = body.end!;
  if (body.type === 'BlockStatement') {
    // After the directive prologue, so a directive stays one (`;` ends one written without).
    const directives = body.directives;
    const last = directives.length > 0 ? directives[directives.length - 1] : undefined;
    const at = last === undefined ? start + 1 : last.end!;
    edits.push({ at, text: last === undefined ? TICK : `;${TICK}`, closing: false, spanStart: start, spanEnd: end });
  } else if (isArrowBody) {
    // `x => expr` becomes `x => (tick && refill, expr)`: the same value, parenthesized or not.
    edits.push({ at: start, text: WRAP_EXPRESSION_OPEN, closing: false, spanStart: start, spanEnd: end });
    edits.push({ at: end, text: ')', closing: true, spanStart: start, spanEnd: end });
  } else {
    // A loop body that is a single statement becomes a block holding the checkpoint first.
    edits.push({ at: start, text: WRAP_STATEMENT_OPEN, closing: false, spanStart: start, spanEnd: end });
    edits.push({ at: end, text: '}', closing: true, spanStart: start, spanEnd: end });
  }
}

/**
 * `source` with a checkpoint (a decrement of the counter, calling the run's checkpoint when it
 * runs out) at the head of the body of every node in `sites` (nodes of the AST parsed from
 * `source`), and the `extra` edits (shape-result's `return`) in the
 * same pass. Returns `source` itself when there is nothing to insert.
 */
export function insertCheckpoints(source: string, sites: readonly CheckpointSite[], extra: readonly SourceEdit[] = []): string {
  if (sites.length === 0 && extra.length === 0) return source;
  const edits: SourceEdit[] = [...extra];
  for (const site of sites) editsFor(site.body, site.type === 'ArrowFunctionExpression', edits);
  edits.sort(compareEdits);
  // Concatenated, not parts joined: V8 makes a rope of short appends and flattens it once,
  // where the parts array and join allocated ~5 KB per 30-line script.
  let result = '';
  let copied = 0;
  for (const edit of edits) {
    result += source.slice(copied, edit.at) + edit.text;
    copied = edit.at;
  }
  return result + source.slice(copied);
}
