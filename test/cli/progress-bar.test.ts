// The batch progress line: it fits the terminal's width whatever the counts, keeps the bar
// while there is room, and shows the aborted state.
import { describe, expect, it } from 'vitest';
import { formatProgressLine } from '../../src/cli/progress-bar.js';

const payload = { failed: 3, rate: 1234, aborted: false };

describe('formatProgressLine', () => {
  it.each([1, 2, 10, 20, 40, 60, 80, 120, 300])('fits a terminal %i columns wide, without using the last column', (width) => {
    for (const [done, total] of [[0, 10], [5, 10], [10, 10], [999_999, 1_000_000], [7, undefined]] as const) {
      for (const aborted of [false, true]) {
        const line = formatProgressLine(width, done, total, { ...payload, aborted });
        expect(line.length).toBeLessThanOrEqual(Math.max(1, width - 1));
      }
    }
  });

  it('fills the width with the bar when there is room, in proportion to done/total', () => {
    const line = formatProgressLine(100, 50, 100, payload);
    expect(line).toHaveLength(99);
    const bar = line.slice(0, line.indexOf(' '));
    expect([...bar].filter((c) => c === '\u2588').length).toBe(Math.floor(bar.length / 2));
    expect(line).toContain('50/100 done');
  });

  it('drops the bar before the counts on a narrow terminal, and has none without a total', () => {
    expect(formatProgressLine(50, 5, 10, payload).startsWith('5/10 done')).toBe(true);
    expect(formatProgressLine(200, 5, undefined, payload).startsWith('5/? done')).toBe(true);
  });

  it('shows ABORTED in place of the ETA', () => {
    expect(formatProgressLine(120, 5, 10, { ...payload, aborted: true })).toContain('ABORTED');
    expect(formatProgressLine(120, 5, 10, payload)).not.toContain('ABORTED');
  });
});
