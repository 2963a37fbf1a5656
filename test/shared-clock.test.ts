import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedNowMs } from '../src/shared-clock.js';

const CLOCK = fileURLToPath(new URL('../dist/shared-clock.js', import.meta.url));

describe('sharedNowMs', () => {
  // The host sets each run's deadline on this clock and a pool process (started at another
  // time) reads it: a per-process time origin would shift every deadline.
  it('reads the same clock in another process: its reading falls between two of ours', () => {
    const before = sharedNowMs();
    const source = `const { sharedNowMs } = await import(${JSON.stringify(CLOCK)}); process.stdout.write(String(sharedNowMs()));`;
    const child = Number(execFileSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' }));
    const after = sharedNowMs();
    expect(child).toBeGreaterThanOrEqual(before);
    expect(child).toBeLessThanOrEqual(after);
  });
});
