// readChild must be `node[key]` for every visitor key of every node type: the walks read all
// children through it, and a key read under the wrong name would hide code from validation.
import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';
import { describe, expect, it } from 'vitest';
import { childKeyId, readChild } from '../../src/validate/read-child.js';

describe('readChild', () => {
  const keys = [...new Set(Object.values(VISITOR_KEYS).flat())];

  it('reads every visitor key as `node[key]`, by name or not', () => {
    // One node holding every key, each with its own value.
    const node = Object.fromEntries(keys.map((key) => [key, { holds: key }])) as unknown as Node;
    for (const key of keys) expect(readChild(node, childKeyId(key), key), key).toBe((node as unknown as Record<string, unknown>)[key]);
  });

  it('reads the common keys by name and absent ones as undefined', () => {
    for (const key of ['body', 'callee', 'arguments', 'typeAnnotation', 'typeArguments']) expect(childKeyId(key), key).toBeGreaterThanOrEqual(0);
    expect(childKeyId('internalSlots')).toBe(-1);
    expect(readChild({ type: 'EmptyStatement' } as Node, childKeyId('body'), 'body')).toBeUndefined();
  });
});
