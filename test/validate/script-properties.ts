// The two properties of validation that random scripts check (issue 15, "Widen the net"):
// a prepared script computes what its source computes, and every loop and function body of a
// prepared script starts with the checkpoint call. Shared by properties.test.ts and the
// mutant test that shows both fail against a broken checkpoint inserter.
import { parse } from '@babel/parser';
import { VISITOR_KEYS, isFunction, isLoop, type Node } from '@babel/types';
import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { CHECKPOINT_COUNTER, CHECKPOINT_GLOBAL, CHECKPOINT_LOCAL } from '../../src/globals.js';
import { validateScript } from '../../src/validate/index.js';
import { createCheckpoint } from '../../src/worker/checkpoint.js';
import { writeScript } from './random-script.js';

/** Fixed, so a run is repeatable; fast-check prints it (and the path) with any failure. */
export const SEED = Number(process.env.TOOLWEAVER_PROPERTY_SEED ?? 15_2026);
export const RUNS = 200;

/** Choice sequences for writeScript: shrinking them gives shorter, simpler scripts. */
// Unbiased: fast-check's bias towards 0 would pick the first, simplest alternative most times.
export const scripts = fc.noBias(fc.array(fc.noBias(fc.nat({ max: 9_999 })), { minLength: 80, maxLength: 600 })).map(writeScript);

/** How a run ended, in plain host values so two realms compare with toEqual. */
export interface Outcome {
  settled: 'value' | 'thrown' | 'pending';
  value: unknown;
}

function toPlain(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return `[function ${value.name}/${value.length}]`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (Object.prototype.toString.call(value) === '[object Error]') {
    const { name, message } = value as Error;
    return { error: String(name), message: String(message) };
  }
  if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item, depth + 1)]));
}

/**
 * Runs `wrapped` (a script in the validator's async wrapper) in a fresh vm context, strict as
 * SES runs it, microtasks included, under a time limit that only a generator bug can reach.
 */
export function runWrapped(wrapped: string, checkpoint?: () => number): Outcome {
  const result: { settled: Outcome['settled']; value?: unknown } = { settled: 'pending' };
  const context: Record<string, unknown> = { result };
  if (checkpoint !== undefined) context[CHECKPOINT_GLOBAL] = checkpoint;
  const settle = '.then((v) => { result.settled = "value"; result.value = v; }, (e) => { result.settled = "thrown"; result.value = e; })';
  try {
    runInNewContext(`"use strict"; ${wrapped}${settle};`, context, { timeout: 2_000, microtaskMode: 'afterEvaluate' });
  } catch (error) {
    return { settled: 'thrown', value: { evaluation: toPlain(error) } };
  }
  return { settled: result.settled, value: toPlain(result.value) };
}

/** The source as the validator wraps it, without checkpoints or normalization. */
export const wrapSource = (source: string): string => `(async function () {\n${source}\n})()`;

/** Counts over a property's runs, so a test can check the generator reached what it must. */
export const tally = new Map<string, number>();
const count = (key: string): void => void tally.set(key, (tally.get(key) ?? 0) + 1);

/** Property (a): the prepared script, with a real checkpoint, ends as the source does. */
export function behavesAsWritten(source: string): void {
  const prepared = validateScript(source);
  if (prepared.regenerated) count('regenerated');
  const expected = runWrapped(wrapSource(source));
  const { refill } = createCheckpoint({ deadline: Number.POSITIVE_INFINITY });
  let checkpoints = 0;
  const actual = runWrapped(prepared.code, () => {
    checkpoints++;
    return refill();
  });
  count(`settled:${expected.settled}`);
  if (checkpoints > 0) count('checkpointed');
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`prepared script behaves differently\n--- source\n${source}\n--- prepared\n${prepared.code}\n--- source gave\n${JSON.stringify(expected)}\n--- prepared gave\n${JSON.stringify(actual)}`);
  }
}

const isCounter = (node: Node | undefined): boolean => node?.type === 'Identifier' && node.name === CHECKPOINT_COUNTER;

/** `--__tw_n < 0`: the counter's decrement and test. */
function isTick(node: Node | undefined): boolean {
  return (
    node?.type === 'BinaryExpression' && node.operator === '<' && node.right.type === 'NumericLiteral' && node.right.value === 0 &&
    node.left.type === 'UpdateExpression' && node.left.operator === '--' && node.left.prefix && isCounter(node.left.argument)
  );
}

/** `__tw_c()`: a call of the wrapper's copy of the run's checkpoint. */
function isCheckpointCall(node: Node | undefined): boolean {
  return node?.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === CHECKPOINT_LOCAL && node.arguments.length === 0;
}

/** `__tw_n = __tw_c() | 0`: the refill of the counter by the run's checkpoint. */
function isRefill(node: Node | undefined): boolean {
  return (
    node?.type === 'AssignmentExpression' && node.operator === '=' && isCounter(node.left) &&
    node.right.type === 'BinaryExpression' && node.right.operator === '|' && isCheckpointCall(node.right.left) &&
    node.right.right.type === 'NumericLiteral' && node.right.right.value === 0
  );
}

/** True when `body` (a loop's or a function's) runs the checkpoint before anything else. */
function startsWithCheckpoint(body: Node): boolean {
  if (body.type === 'BlockStatement') {
    // After a directive prologue the inserter writes `;checkpoint`: an empty statement
    // (it ends a directive written without one) runs nothing.
    const first = body.body.find((statement) => statement.type !== 'EmptyStatement');
    return first?.type === 'IfStatement' && first.alternate === null && isTick(first.test) && first.consequent.type === 'ExpressionStatement' && isRefill(first.consequent.expression);
  }
  // An arrow's expression body: `(--__tw_n<0&&(__tw_n=__tw_c()|0), expression)`.
  const first = body.type === 'SequenceExpression' ? body.expressions[0] : undefined;
  return first?.type === 'LogicalExpression' && first.operator === '&&' && isTick(first.left) && isRefill(first.right);
}

/** What kind of site `node` is, for the coverage tally. */
function siteKind(node: Node): string {
  const record = node as unknown as { async?: boolean; await?: boolean; generator?: boolean; kind?: unknown; static?: boolean; body?: Node | Node[] };
  const flags = [record.async || record.await ? 'async' : '', record.generator ? 'generator' : '', record.static ? 'static' : ''];
  const kind = typeof record.kind === 'string' ? record.kind : '';
  const body = record.body;
  const bodyShape = body !== undefined && !Array.isArray(body) && body.type !== 'BlockStatement' ? 'unbraced' : '';
  return [node.type, kind, ...flags, bodyShape].filter(Boolean).join(':');
}

/**
 * Calls `visit` with every loop and function of `code` (a wrapped script) but the wrapper, and
 * with every class static block. A static block is not a site: it runs once per class
 * evaluation and cannot be called again, so it cannot spin without a loop or a call, and
 * those have their checkpoints.
 */
function forEachSite(code: string, visit: (node: Node) => void): void {
  const { program } = parse(code, { sourceType: 'module', allowReturnOutsideFunction: true });
  const statement = program.body[0];
  const wrapper = statement?.type === 'ExpressionStatement' && statement.expression.type === 'CallExpression' ? statement.expression.callee : undefined;
  const stack: Node[] = [program];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if ((isFunction(node) && node !== wrapper) || isLoop(node) || node.type === 'StaticBlock') visit(node);
    const record = node as unknown as Record<string, unknown>;
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      const child = record[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item !== null) stack.push(item as Node);
      } else if (child !== null && typeof child === 'object') {
        stack.push(child as Node);
      }
    }
  }
}

/** Every loop and function of a prepared script whose body does not start with the checkpoint. */
export function uncheckedBodies(code: string): string[] {
  const missing: string[] = [];
  forEachSite(code, (node) => {
    if ((isFunction(node) || isLoop(node)) && !startsWithCheckpoint(node.body)) missing.push(`${siteKind(node)} at ${node.loc?.start.line}:${node.loc?.start.column}`);
  });
  return missing;
}

/** Property (b): no loop or function body of the prepared script lacks its checkpoint. */
export function checkpointsEveryBody(source: string): void {
  forEachSite(wrapSource(source), (node) => count(siteKind(node)));
  const { code } = validateScript(source);
  const missing = uncheckedBodies(code);
  if (missing.length > 0) throw new Error(`bodies without a checkpoint: ${missing.join(', ')}\n--- source\n${source}\n--- prepared\n${code}`);
}
