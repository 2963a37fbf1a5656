// Type-checks test/types/consumer/ (a strict consumer project: strict, exactOptionalPropertyTypes)
// against the built .d.ts in dist/. Its `@ts-expect-error` lines are wrong usage that must not
// compile: tsc fails if any of them compiles. Run `npm run build` first.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./consumer/tsconfig.json', import.meta.url));

describe('public types, as a strict consumer sees them', () => {
  it('type-check, with every wrong usage refused', async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', project], { encoding: 'utf8' }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});
