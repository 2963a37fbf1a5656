// "The committed lockfile is the one npm install writes; a fresh clone's install must leave the
// tree clean" (issue 12): npm recomputes the lockfile from package.json and the committed one,
// offline, in a scratch copy (never in the repository), and it must come out byte for byte.
// Whatever package.json and package-lock.json are committed, together, is what is checked.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('package-lock.json', () => {
  it('is what `npm install` writes for package.json', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'toolweaver-lock-'));
    try {
      for (const name of ['package.json', 'package-lock.json']) copyFileSync(join(root, name), join(scratch, name));
      // Offline: a lockfile that matches package.json needs nothing from the registry.
      const args = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'];
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'] });
      const written = readFileSync(join(scratch, 'package-lock.json'), 'utf8');
      const npm = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], { encoding: 'utf8' }).trim();
      expect(written, `npm ${npm} rewrites package-lock.json: run npm install and commit the lockfile it writes`).toBe(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
