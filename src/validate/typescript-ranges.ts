// Owns deciding which source ranges of a TypeScript AST are TypeScript only (annotations,
// interfaces, `as`, `!`, type arguments, modifiers) and refusing what has runtime meaning we
// do not emulate (enum, namespace with values, parameter properties), one node at a time (the
// walk is typescript-walk.ts). Never edits text; says when a blank is one the erased AST follows.

import type { Node } from '@babel/types';
import { ScriptSyntaxError } from '../errors.js';
import { isErasedStatement, isLineLocal } from './erase-typescript.js';
import { readChild } from './read-child.js';

/** A range to blank; a `statement` range gets a `;` first, so neighbours never join by ASI. */
export interface BlankRange {
  start: number;
  end: number;
  statement: boolean;
}

const TYPE_DECLARATIONS = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction']);
const MODIFIERS = /\b(?:public|private|protected|readonly|abstract|override|declare)\b/g;
/** Characters that continue an expression onto the next line, so `x as T\n(y)` would become a call. */
const CONTINUES_EXPRESSION = /[([`+\-/]/;

const REFUSED: ReadonlyMap<string, string> = new Map(Object.entries({
  TSEnumDeclaration: '`enum` is not supported; use an object instead (`const Color = { Red: "red" } as const`)',
  TSModuleDeclaration: '`namespace` with values is not supported; use an object or plain functions',
  TSImportEqualsDeclaration: '`import x = ...` is not supported; tools are already globals',
  TSExportAssignment: '`export =` is not supported; `return` a value instead',
  TSNamespaceExportDeclaration: '`export as namespace` is not supported',
  TSParameterProperty: 'parameter properties (`constructor(private x)`) are not supported; assign the field in the constructor',
}));

function refuse(node: Node, message: string): never {
  const start = node.loc?.start;
  throw new ScriptSyntaxError(message, start?.line ?? 1, (start?.column ?? 0) + 1);
}

function isTypeOnly(node: Node): boolean {
  if (TYPE_DECLARATIONS.has(node.type)) return true;
  if (node.type === 'ExportNamedDeclaration') return node.exportKind === 'type' || (node.declaration != null && isTypeOnly(node.declaration));
  if (node.type === 'TSModuleDeclaration') {
    if (node.declare === true) return true;
    return node.body.type === 'TSModuleBlock' ? node.body.body.every(isTypeOnly) : isTypeOnly(node.body);
  }
  return false;
}

/** Collects the TypeScript-only ranges of an AST parsed with the `typescript` plugin, node by node. */
export class RangeCollector {
  readonly ranges: BlankRange[] = [];
  /** False once a blank was made that the erased AST does not follow exactly. */
  exact = true;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  blank(start: number, end: number, statement = false): void {
    if (end <= start) return;
    this.ranges.push({ start, end, statement });
    if (!statement && this.exact && !isLineLocal(this.#text, start, end)) this.exact = false;
  }

  /** A blank the erased AST does not follow (modifiers, `declare`, `implements`, ...). */
  #blankInexact(start: number, end: number, statement = false): void {
    if (end <= start) return;
    this.exact = false;
    this.blank(start, end, statement);
  }

  /**
   * True when the node is gone entirely (blanked or refused); false to walk its children.
   * Only called for the node types that can be (`mayBeWhole`).
   */
  takeWhole(node: Node): boolean {
    if (isErasedStatement(node)) {
      this.blank(node.start!, node.end!, true);
      return true;
    }
    if (isTypeOnly(node) || node.type === 'TSDeclareMethod' || node.type === 'TSIndexSignature') {
      this.#blankInexact(node.start!, node.end!, true);
      return true;
    }
    // Named reads, not `in`: V8 caches them per node shape (an absent flag reads undefined).
    const flags = node as { declare?: unknown; abstract?: unknown };
    if (flags.declare === true || (flags.abstract === true && node.type !== 'ClassDeclaration')) {
      this.#blankInexact(node.start!, node.end!, true);
      return true;
    }
    if (node.type === 'ImportDeclaration' && node.importKind === 'type') {
      this.#blankInexact(node.start!, node.end!, true);
      return true;
    }
    const refused = REFUSED.get(node.type);
    if (refused !== undefined) refuse(node, refused);
    return false;
  }

  /** Blanks the TypeScript parts of `node` itself; its children are walked by the caller. */
  blankParts(node: Node, shape: { typescript: boolean; typeKeys: readonly string[]; typeKeyIds: readonly number[]; hasParams: boolean }): void {
    const record = node as unknown as Record<string, Node | null | undefined>;
    switch (node.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
        this.#blankOperator(node, node.type === 'TSAsExpression' ? 'as' : 'satisfies', node.typeAnnotation);
        this.#assertNoJoin(node);
        return;
      case 'TSNonNullExpression':
        this.blank(node.end! - 1, node.end!);
        return;
      case 'TSTypeAssertion':
        this.blank(node.start!, this.#text.indexOf('>', node.typeAnnotation.end!) + 1);
        return;
      case 'Identifier':
        if (node.typeAnnotation != null || node.optional === true) this.#blankAfterName(node);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.#blankClassHead(node);
        break;
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty':
      case 'ClassMethod':
      case 'ClassPrivateMethod':
        this.#blankMember(node);
        break;
    }
    if (shape.typescript && node.type !== 'TSInstantiationExpression') {
      refuse(node, `TypeScript \`${node.type.slice(2)}\` is not supported here`);
    }
    for (let k = 0; k < shape.typeKeys.length; k++) {
      const child = readChild(node, shape.typeKeyIds[k]!, shape.typeKeys[k]!) as Node | null | undefined;
      if (child != null) this.blank(child.start!, child.end!);
    }
    if (shape.hasParams) {
      const params = (node as { params?: unknown }).params;
      if (Array.isArray(params) && params.length > 0) this.#blankThisParam(params as Node[]);
    }
  }

  /**
   * ` as T`, ` satisfies T`: from the keyword, not from the operand's end, which sits inside
   * the parentheses of `(x) as T`.
   */
  #blankOperator(node: Node, keyword: string, type: Node): void {
    let at = type.start!;
    while (at > 0 && /\s/.test(this.#text[at - 1]!)) at--;
    if (this.#text.slice(at - keyword.length, at) !== keyword) refuse(node, `a comment between \`${keyword}\` and its type is not supported`);
    this.blank(at - keyword.length, node.end!);
  }

  /** `x?: T`, `x!: T`, `x?`: everything after the name (the node ends after its annotation). */
  #blankAfterName(node: Node & { name: string }): void {
    const nameEnd = node.start! + node.name.length;
    if (!this.#text.startsWith(node.name, node.start!)) refuse(node, 'an escaped name with a type annotation is not supported');
    this.blank(nameEnd, node.end!);
  }

  /** A `this: T` parameter only types `this`: it goes, with the comma after it. */
  #blankThisParam(params: readonly Node[]): void {
    const first = params[0];
    if (first?.type !== 'Identifier' || first.name !== 'this') return;
    const next = params[1];
    this.#blankInexact(first.start!, next === undefined ? first.end! : next.start!);
  }

  #blankClassHead(node: Node & { implements?: readonly Node[] | null; abstract?: boolean | null; body: Node }): void {
    // `abstract` is the class's first token; a name after it (`extends mixins.abstract`) is code.
    if (node.abstract === true && this.#text.startsWith('abstract', node.start!)) this.#blankInexact(node.start!, node.start! + 'abstract'.length);
    const implemented = node.implements ?? [];
    if (implemented.length > 0) {
      const keyword = this.#text.lastIndexOf('implements', implemented[0]!.start!);
      this.#blankInexact(keyword, implemented[implemented.length - 1]!.end!);
    }
  }

  #blankMember(node: Node & { key: Node; computed?: boolean; optional?: boolean | null; definite?: boolean | null }): void {
    this.#blankModifiers(node.start!, node.key.start!, MODIFIERS);
    if (node.optional !== true && node.definite !== true) return;
    let at = node.computed === true ? this.#text.indexOf(']', node.key.end!) + 1 : node.key.end!;
    while (/\s/.test(this.#text[at] ?? '')) at++;
    if (this.#text[at] === '?' || this.#text[at] === '!') this.#blankInexact(at, at + 1);
  }

  #blankModifiers(start: number, end: number, words: RegExp): void {
    const head = this.#text.slice(start, end);
    for (const match of head.matchAll(words)) this.#blankInexact(start + match.index, start + match.index + match[0].length);
  }

  /**
   * SECURITY (meaning): `x as T` ends a statement that TypeScript closed by ASI; blanked, a
   * next line starting with `(` would join it (`x(y)`). Refused rather than guessed.
   */
  #assertNoJoin(node: Node): void {
    const rest = this.#text.slice(node.end!, node.end! + 200);
    const next = /\S/.exec(rest);
    if (next === null || !/[\n\r\u2028\u2029]/.test(rest.slice(0, next.index))) return;
    if (CONTINUES_EXPRESSION.test(next[0])) refuse(node, 'add a `;` after this expression: without its type, the next line would continue it');
  }
}
