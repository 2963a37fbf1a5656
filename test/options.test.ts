import { describe, expect, it } from 'vitest';
import { ToolCatalog } from '../src/catalog/index.js';
import { InvalidOptionsError } from '../src/errors.js';
import { resolveEngineOptions, resolveExecuteOptions } from '../src/options.js';

const catalog = new ToolCatalog();

describe('resolveEngineOptions', () => {
  it('fills documented defaults and freezes the result without touching the input', () => {
    const input = { catalog, threads: 2 };
    const resolved = resolveEngineOptions(input);
    expect(resolved).toMatchObject({ threads: 2, timeoutMs: 300_000, maxToolCalls: 10_000, scriptsPerThread: 128, maxOutputLines: 1_000, maxOutputChars: 100_000, killGraceMs: 1_000, isolation: 'process', normalize: true });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(input).toEqual({ catalog, threads: 2 });
  });

  it('keeps `normalize: false`', () => {
    expect(resolveEngineOptions({ catalog, normalize: false }).normalize).toBe(false);
  });

  it.each([
    ['unknown key', { catalog, timeout: 5 }, 'timeout'],
    ['string number', { catalog, timeoutMs: '5' }, 'timeoutMs'],
    ['zero', { catalog, threads: 0 }, 'threads'],
    ['not a catalog', { catalog: {} }, 'catalog'],
    ['a timer overflow', { catalog, timeoutMs: 2 ** 31 }, 'timeoutMs'],
    ['an unknown isolation mode', { catalog, isolation: 'threads' }, 'isolation'],
    ['a normalize flag that is not a boolean', { catalog, normalize: 'off' }, 'normalize'],
  ])('rejects %s naming the option', (_label, options, option) => {
    expect(() => resolveEngineOptions(options as never)).toThrow(InvalidOptionsError);
    try {
      resolveEngineOptions(options as never);
    } catch (error) {
      expect((error as InvalidOptionsError).option).toBe(option);
    }
  });
});

describe('resolveExecuteOptions', () => {
  const engine = resolveEngineOptions({ catalog, threads: 1, timeoutMs: 1_000 });
  it('takes the engine timeout by default and serializes the context', () => {
    const resolved = resolveExecuteOptions({ context: { lead_id: 'L-7' } }, engine, new Set());
    expect(resolved).toMatchObject({ timeoutMs: 1_000, contextJson: '{"lead_id":"L-7"}', contextKeys: ['lead_id'] });
  });

  it.each([
    ['a context key that is a tool', { context: { get_user: 1 } }],
    ['a reserved context key', { context: { class: 1 } }],
    ['a context key the engine reserves', { context: { __tw_checkpoint: 1 } }],
    ['a context array', { context: [1] }],
    ['a context with a function', { context: { f: () => 1 } }],
    ['a signal that is not an AbortSignal', { signal: {} }],
  ])('rejects %s', (_label, options) => {
    expect(() => resolveExecuteOptions(options as never, engine, new Set(['get_user']))).toThrow(InvalidOptionsError);
  });
});
