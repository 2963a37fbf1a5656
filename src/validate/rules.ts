// Owns the stable rule ids of validation violations, their messages, and how a violation is
// built from a Babel position. Rule ids are public API (tests and callers match on them);
// messages are not. Pure data and helpers.

import type { Violation } from '../errors.js';

/** Stable id of each validation rule. */
export type RuleId =
  | 'import-declaration'
  | 'export-declaration'
  | 'dynamic-import'
  | 'import-meta'
  | 'with-statement'
  | 'forbidden-global'
  | 'reserved-name';

/** Rules whose message names the identifier at fault. */
type NamedRuleId = 'forbidden-global' | 'reserved-name';

/** Messages of the rules whose message does not depend on a name. */
export const RULE_MESSAGES: Readonly<Record<Exclude<RuleId, NamedRuleId>, string>> = {
  'import-declaration': '`import` declarations are not allowed; tools are already globals',
  'export-declaration': '`export` is not allowed; `return` a value instead',
  'dynamic-import': 'dynamic `import()` is not allowed; tools are already globals',
  'import-meta': '`import.meta` is not available',
  'with-statement': '`with` statements are not allowed',
};

/** Message of the `reserved-name` rule for `name`. */
export function reservedNameMessage(name: string): string {
  return `\`${name}\` is reserved for the engine; rename it`;
}

/** A Babel position: 1-based line, 0-based column. */
export interface BabelPosition {
  line: number;
  column: number;
}

const UNKNOWN_POSITION: BabelPosition = { line: 1, column: 0 };

/** A violation at a Babel position, converted to 1-based line and column. */
export function createViolation(
  rule: RuleId,
  message: string,
  position: BabelPosition | null | undefined,
): Violation {
  const { line, column } = position ?? UNKNOWN_POSITION;
  return { rule, message, line, column: column + 1 };
}

/** Orders violations by source position (stable sort keeps same-position order). */
export function compareViolations(a: Violation, b: Violation): number {
  return a.line - b.line || a.column - b.column;
}
