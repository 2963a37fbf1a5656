// Owns reading a child of a Babel node by its visitor key, fast: the walks read every child of
// every node, and `node[key]` makes V8 look the key up afresh in each of Babel's many node
// shapes, while a named read (`node.body`) is cached per shape. Pure: never writes a node.

import type { Node } from '@babel/types';

/** The keys read by name, most of what VISITOR_KEYS holds in scripts; any other is read as `node[key]`. */
const NAMED_KEYS = [
  'body', 'expression', 'object', 'property', 'callee', 'arguments', 'key', 'value', 'id', 'init',
  'declarations', 'left', 'right', 'params', 'properties', 'elements', 'argument', 'test',
  'consequent', 'alternate', 'update', 'quasis', 'expressions', 'directives', 'decorators',
  'block', 'handler', 'finalizer', 'param', 'cases', 'discriminant', 'label', 'superClass',
  'declaration', 'tag', 'quasi', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments',
] as const;

/** The id readChild takes for `key` (-1 for a key read as `node[key]`). */
export function childKeyId(key: string): number {
  return (NAMED_KEYS as readonly string[]).indexOf(key);
}

/** `node[key]`, read by name when `id` is childKeyId(key). */
export function readChild(node: Node, id: number, key: string): unknown {
  const n = node as unknown as Record<(typeof NAMED_KEYS)[number], unknown>;
  switch (id) {
    case 0: return n.body;
    case 1: return n.expression;
    case 2: return n.object;
    case 3: return n.property;
    case 4: return n.callee;
    case 5: return n.arguments;
    case 6: return n.key;
    case 7: return n.value;
    case 8: return n.id;
    case 9: return n.init;
    case 10: return n.declarations;
    case 11: return n.left;
    case 12: return n.right;
    case 13: return n.params;
    case 14: return n.properties;
    case 15: return n.elements;
    case 16: return n.argument;
    case 17: return n.test;
    case 18: return n.consequent;
    case 19: return n.alternate;
    case 20: return n.update;
    case 21: return n.quasis;
    case 22: return n.expressions;
    case 23: return n.directives;
    case 24: return n.decorators;
    case 25: return n.block;
    case 26: return n.handler;
    case 27: return n.finalizer;
    case 28: return n.param;
    case 29: return n.cases;
    case 30: return n.discriminant;
    case 31: return n.label;
    case 32: return n.superClass;
    case 33: return n.declaration;
    case 34: return n.tag;
    case 35: return n.quasi;
    case 36: return n.typeAnnotation;
    case 37: return n.returnType;
    case 38: return n.typeParameters;
    case 39: return n.typeArguments;
    default: return (node as unknown as Record<string, unknown>)[key];
  }
}
