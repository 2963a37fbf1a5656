// The worker's parsed task setups: each distinct text parsed once, frozen, bounded.
import { describe, expect, it } from 'vitest';
import { createSetupCache } from '../../src/worker/setup-cache.js';

const setupText = (tool: string, maxToolCalls = 10): string => JSON.stringify({ tools: [{ name: tool, path: [tool] }], limits: { maxToolCalls } });

/** Counts the setups the cache made (parsed) by counting what it froze. */
function counted() {
  let made = 0;
  const cache = createSetupCache((value) => {
    made++;
    return Object.freeze(value);
  });
  return { cache, made: () => made };
}

describe('createSetupCache', () => {
  it('parses each distinct text once and gives every run of it the same frozen setup', () => {
    const { cache, made } = counted();
    const first = cache.get(setupText('a'));
    // An equal text in another string (as each task's clone brings it) hits too.
    expect(cache.get(`${setupText('a')}`.slice(0))).toBe(first);
    expect(first.tools[0]!.name).toBe('a');
    expect(Object.isFrozen(first)).toBe(true);
    expect(made()).toBe(1);
  });

  it('gives each text its own setup, alternating', () => {
    const { cache, made } = counted();
    for (let i = 0; i < 3; i++) {
      expect(cache.get(setupText('a')).tools[0]!.name).toBe('a');
      expect(cache.get(setupText('b', 20)).limits.maxToolCalls).toBe(20);
    }
    expect(made()).toBe(2);
  });

  it('keeps at most eight setups, dropping the least recently used', () => {
    const { cache, made } = counted();
    for (let i = 0; i < 8; i++) cache.get(setupText(`t${i}`));
    cache.get(setupText('t0'));
    cache.get(setupText('t8'));
    expect(made()).toBe(9);
    // t0 was used again, so t1 was the one dropped.
    cache.get(setupText('t0'));
    expect(made()).toBe(9);
    cache.get(setupText('t1'));
    expect(made()).toBe(10);
  });
});
