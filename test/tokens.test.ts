import { describe, expect, it } from 'vitest';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { countResultTokens, countTokens, EXACT_TOKEN_CHARS, tokenCounterWarmedUp, warmTokenCounter } from '../src/tokens.js';

/** Deterministic JSON-like text of about `chars` characters, varied enough to tokenize like real results. */
function records(chars: number): string {
  const rows: string[] = [];
  let length = 2;
  for (let i = 0; length < chars; i++) {
    const row = JSON.stringify({ id: `L-${i}`, name: `Person ${i * 7919 % 1000}`, email: `p${i}@example.com`, score: (i * 37) % 101, status: ['new', 'qualified', 'nurture'][i % 3] });
    rows.push(row);
    length += row.length + 1;
  }
  return `[${rows.join(',')}]`;
}

describe('countTokens', () => {
  it('counts o200k_base tokens exactly up to the exact bound', () => {
    const text = records(EXACT_TOKEN_CHARS - 100);
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens(text)).toBe(encode(text).length);
  });

  it('estimates a long text from samples within 5% of the exact count', () => {
    for (const chars of [EXACT_TOKEN_CHARS * 2, 1_000_000]) {
      const text = records(chars);
      const exact = encode(text).length;
      const estimate = countTokens(text);
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.05);
    }
  });

  it('counts the value JSON and the output lines as the model reads them back', () => {
    expect(countResultTokens(undefined, [])).toBe(0);
    expect(countResultTokens('{"total":42}', [])).toBe(encode('{"total":42}').length);
    expect(countResultTokens('{"total":42}', ['3 of 12 people', 'done'])).toBe(encode('{"total":42}\n3 of 12 people\ndone').length);
    expect(countResultTokens(undefined, ['only output'])).toBe(encode('only output').length);
  });
});

describe('warmTokenCounter', () => {
  it('warms the counter once per process, never at import, and counts stay exact', () => {
    expect(tokenCounterWarmedUp()).toBe(false);
    warmTokenCounter();
    warmTokenCounter();
    expect(tokenCounterWarmedUp()).toBe(true);
    const text = '{"warm": [1.5, "up é"]}\n ok';
    expect(countTokens(text)).toBe(encode(text).length);
  });
});
