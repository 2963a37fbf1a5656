// Owns the AST rewrite that runs before regenerating a script SES would reject: literals get
// escaped raw text, and the few names that print as `name(` get a form SES accepts. Every
// rewrite keeps the program's meaning; whatever cannot be rewritten is left for the re-check.

import { VISITOR_KEYS, parenthesizedExpression, stringLiteral } from '@babel/types';
import type { CallExpression, File, NewExpression, Node, TemplateLiteral } from '@babel/types';
import { rewriteRaw } from './rewrite-raw.js';
import { findSesRejection } from './ses-patterns.js';

interface RawExtra {
  raw?: unknown;
  rawValue?: unknown;
}

/** Rewrites a string or directive literal's quoted source; its `value` stays the same. */
function escapeQuotedLiteral(node: { value: string; extra?: RawExtra }): void {
  const raw = typeof node.extra?.raw === 'string' ? node.extra.raw : JSON.stringify(node.value);
  if (findSesRejection(raw) === undefined) return;
  // The generator prints `extra.raw` only while `extra.rawValue === value`.
  node.extra = { ...node.extra, raw: rewriteRaw(raw), rawValue: node.value };
}

function escapeTemplate(node: TemplateLiteral): void {
  for (const quasi of node.quasis) quasi.value.raw = rewriteRaw(quasi.value.raw);
}

/** True when `text` followed by `(` would trip SES (`$eval(`, `.$import(`, `#eval(`). */
function tripsWhenCalled(text: string): boolean {
  return findSesRejection(`${text}(`) !== undefined;
}

/**
 * Rewrites one node in place. Method keys become string keys (`"eval"() {}`), member names
 * become computed string members (`a["$eval"]`), plain callees get parentheses (`($eval)(x)`,
 * `(this.#eval)(x)`, which keep `this`): all three mean exactly what they replaced.
 */
function rewriteNode(node: Node, taggedQuasis: ReadonlySet<Node>): void {
  switch (node.type) {
    case 'StringLiteral':
    case 'DirectiveLiteral':
      escapeQuotedLiteral(node);
      return;
    case 'RegExpLiteral':
      node.pattern = rewriteRaw(node.pattern);
      delete node.extra;
      return;
    case 'TemplateLiteral':
      // SECURITY: a tag sees `strings.raw`; escaping it would change the value, so a tagged
      // template stays as written and the re-check refuses it if SES would.
      if (!taggedQuasis.has(node)) escapeTemplate(node);
      return;
    case 'ObjectMethod':
    case 'ClassMethod':
      if (!node.computed && node.key.type === 'Identifier' && tripsWhenCalled(node.key.name)) {
        node.key = stringLiteral(node.key.name);
      }
      return;
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      if (!node.computed && node.property.type === 'Identifier' && tripsWhenCalled(`.${node.property.name}`)) {
        node.property = stringLiteral(node.property.name);
        node.computed = true;
      }
      return;
    case 'CallExpression':
    case 'NewExpression':
      rewriteCallee(node);
      return;
  }
}

function rewriteCallee(node: CallExpression | NewExpression): void {
  const { callee } = node;
  if (callee.type === 'Identifier' && tripsWhenCalled(callee.name)) {
    node.callee = parenthesizedExpression(callee);
  } else if (callee.type === 'MemberExpression' && callee.property.type === 'PrivateName') {
    if (tripsWhenCalled(`#${callee.property.id.name}`)) node.callee = parenthesizedExpression(callee);
  }
}

/** Escapes, in place, everything in `ast` that would print as a sequence SES rejects. */
export function escapeSesSequences(ast: File): void {
  const taggedQuasis = new Set<Node>();
  const stack: Node[] = [ast.program];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'TaggedTemplateExpression') taggedQuasis.add(node.quasi);
    rewriteNode(node, taggedQuasis);
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
