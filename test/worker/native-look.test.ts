// The native look of endowments, on another realm's Function (the runner's own stays untouched).
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '../../src/worker/checkpoint.js';
import { endowFunction, installNativeLook } from '../../src/worker/native-look.js';

describe('native look', () => {
  const realmFunction = runInNewContext('Function') as FunctionConstructor;
  installNativeLook(realmFunction);
  const toString = realmFunction.prototype.toString;

  it('renders marked functions, including the checkpoint, as native code under the given name, and freezes them', () => {
    const checkpoint = createCheckpoint({ deadline: Infinity });
    const fn = endowFunction(checkpoint.fn, '__tw_checkpoint');
    expect(toString.call(fn)).toBe('function __tw_checkpoint() { [native code] }');
    const tool = endowFunction((...args: unknown[]) => args.length, 'get_users');
    expect(toString.call(tool)).toBe('function get_users() { [native code] }');
    expect(Object.isFrozen(tool)).toBe(true);
    expect(Reflect.ownKeys(tool).sort()).toEqual(['length', 'name']);
  });

  it('leaves every other function to the toString it replaced', () => {
    const plain = runInNewContext('(function double(x) { return x * 2; })') as () => number;
    expect(toString.call(plain)).toBe('function double(x) { return x * 2; }');
    expect(toString.call(realmFunction.prototype.call)).toBe('function call() { [native code] }');
    // A TypeError of the other realm.
    let thrown: unknown;
    try {
      toString.call({});
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).name).toBe('TypeError');
  });
});
