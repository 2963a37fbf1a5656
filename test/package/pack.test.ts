// What `npm pack` puts in the tarball a user installs: the build, its types and source maps
// whose sources are inline, the license, the changelog; no tests, fixtures or build state.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('the package tarball', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  const files = pack!.files.map((file) => file.path);

  it('holds the build of every export, the license, the changelog and the README', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, string | { types: string; default: string }>; bin: Record<string, string> };
    const wanted = Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.types, entry.default]));
    for (const path of [...wanted, ...Object.values(manifest.bin)]) expect(files).toContain(path.replace(/^\.\//, ''));
    for (const path of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/worker/main.js', 'dist/pool/pool-process.js']) expect(files).toContain(path);
  });

  it('leaves out tests, fixtures, sources of the repository, build state and the SES code caches written at run time', () => {
    expect(files.filter((path) => /^(test|fixtures|bench|examples|src)\//.test(path) || path.endsWith('.tsbuildinfo') || path.endsWith('.v8cache'))).toEqual([]);
  });

  it('ships source maps whose sources are inline, so they resolve without src/', () => {
    const maps = files.filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const path of maps) {
      const map = JSON.parse(readFileSync(new URL(path, root), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      expect(map.sourcesContent?.length, path).toBe(map.sources.length);
      expect(map.sourcesContent!.every((content) => typeof content === 'string' && content.length > 0), path).toBe(true);
    }
  });
});
