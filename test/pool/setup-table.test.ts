// The host's mirror of the pool process's task setups and the process's table stay in step:
// every key the host names resolves, in the process, to the text the host meant.
import { describe, expect, it } from 'vitest';
import { createSetupSender, createSetupTable, MAX_SETUPS } from '../../src/pool/setup-table.js';

/** A sender and a table joined as over the ordered IPC channel; counts the texts sent. */
function joined() {
  const sender = createSetupSender();
  const table = createSetupTable();
  let sent = 0;
  const keyOf = (text: string): number =>
    sender.keyOf(text, (key, sentText) => {
      sent++;
      table.add(key, sentText);
    });
  return { keyOf, table, sent: () => sent };
}

describe('task setups across the IPC channel', () => {
  it('sends each text once and names it by the same key afterwards', () => {
    const { keyOf, table, sent } = joined();
    const first = keyOf('{"a":1}');
    expect(keyOf('{"a":1}')).toBe(first);
    expect(keyOf('{"b":2}')).not.toBe(first);
    expect(sent()).toBe(2);
    expect(table.get(first)).toBe('{"a":1}');
  });

  it('sends a text again once the process has dropped it, and every key named resolves to its text', () => {
    const { keyOf, table, sent } = joined();
    const texts = Array.from({ length: MAX_SETUPS + 5 }, (_, index) => `{"v":${index}}`);
    for (const text of texts) expect(table.get(keyOf(text))).toBe(text);
    // The first texts were dropped by both sides: naming them again sends them again.
    expect(table.get(keyOf(texts[0]!))).toBe(texts[0]);
    expect(sent()).toBe(texts.length + 1);
  });

  it('stays in step over a long random sequence of texts', () => {
    const { keyOf, table } = joined();
    // xorshift32: every bit varies, so texts come back both before and after their eviction.
    let seed = 7;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    for (let i = 0; i < 5_000; i++) {
      const text = `{"v":${next() % (MAX_SETUPS * 2)}}`;
      expect(table.get(keyOf(text))).toBe(text);
    }
  });

  it('holds at most MAX_SETUPS texts in the process', () => {
    const { keyOf, table } = joined();
    const keys = Array.from({ length: MAX_SETUPS * 3 }, (_, index) => keyOf(`{"v":${index}}`));
    expect(keys.filter((key) => table.get(key) !== undefined)).toHaveLength(MAX_SETUPS);
  });
});
