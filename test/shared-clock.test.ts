import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sharedNowMs } from '../src/shared-clock.js';

describe('sharedNowMs', () => {
  // The host sets each run's deadline on this clock and a pool process (started at another
  // time) reads it: a per-process time origin would shift every deadline.
  it('reads the same clock in another process: its reading falls between two of ours', () => {
    const before = sharedNowMs();
    const source = 'const [s, ns] = process.hrtime(); process.stdout.write(String(s * 1e3 + ns / 1e6));';
    const child = Number(execFileSync(process.execPath, ['-e', source], { encoding: 'utf8' }));
    const after = sharedNowMs();
    expect(child).toBeGreaterThanOrEqual(before);
    expect(child).toBeLessThanOrEqual(after);
  });

  it('never goes back', () => {
    let previous = sharedNowMs();
    for (let i = 0; i < 10_000; i++) {
      const now = sharedNowMs();
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
  });
});
