// How a pool thread loads SES (src/worker/ses-loader.ts): V8's code cache for it is trusted only
// where it is as safe as the worker's own code, and a cache that is missing, rejected by V8 or
// untrusted still loads a working SES.
import { chmodSync, chownSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrustedCache, writeCache } from '../../src/worker/ses-loader.js';

const dir = mkdtempSync(join(tmpdir(), 'tw-ses-cache-'));
const entry = join(dir, 'main.js');
writeFileSync(entry, '// the entry', { mode: 0o644 });
const isRoot = process.getuid?.() === 0;
let files = 0;

/** A cache file at a fresh path, with `mode`. */
function cacheFile(mode: number, bytes = 'bytes'): string {
  const path = join(dir, `cache-${files++}.v8cache`);
  writeFileSync(path, bytes);
  chmodSync(path, mode);
  return path;
}

describe('the SES code cache: what is trusted', () => {
  it('trusts a regular file of the entry\'s owner that only its owner can write', () => {
    expect(readTrustedCache(cacheFile(0o644), entry)).toEqual(Buffer.from('bytes'));
    expect(readTrustedCache(cacheFile(0o600), entry)).toEqual(Buffer.from('bytes'));
  });

  it('says absent when there is no file', () => {
    expect(readTrustedCache(join(dir, 'none.v8cache'), entry)).toBe('absent');
  });

  it('does not trust a file its group or anyone can write', () => {
    expect(readTrustedCache(cacheFile(0o664), entry)).toBe('untrusted');
    expect(readTrustedCache(cacheFile(0o646), entry)).toBe('untrusted');
  });

  it('does not follow a link, even to a trusted file', () => {
    const link = join(dir, `link-${files++}.v8cache`);
    symlinkSync(cacheFile(0o644), link);
    expect(readTrustedCache(link, entry)).toBe('untrusted');
  });

  it('does not trust a directory', () => {
    const path = join(dir, `dir-${files++}.v8cache`);
    mkdirSync(path);
    expect(readTrustedCache(path, entry)).toBe('untrusted');
  });

  it.skipIf(!isRoot)('does not trust a file of another owner (run as root)', () => {
    const path = cacheFile(0o644);
    chownSync(path, 12_345, 12_345);
    expect(readTrustedCache(path, entry)).toBe('untrusted');
  });
});

describe('the SES code cache: writing it', () => {
  it('writes the whole file, owner-writable only, and leaves no temporary file', () => {
    const path = join(dir, 'written.v8cache');
    expect(writeCache(path, Buffer.from('fresh'), entry)).toBe(true);
    expect(statSync(path).mode & 0o022).toBe(0);
    expect(readTrustedCache(path, entry)).toEqual(Buffer.from('fresh'));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!isRoot)('writes nothing when the entry belongs to someone else, whose reader would not trust it (run as root)', () => {
    const other = join(dir, 'other-entry.js');
    writeFileSync(other, '// another owner');
    chownSync(other, 12_345, 12_345);
    const path = join(dir, 'not-written.v8cache');
    expect(writeCache(path, Buffer.from('x'), other)).toBe(false);
    expect(readTrustedCache(path, other)).toBe('absent');
  });
});

/** Loads SES in a fresh thread with the cache at `path`, locks down, runs a Compartment; saves a cache if asked. */
function loadInThread(path: string, save: boolean, env: Record<string, string> = {}): Promise<{ cache: string; value: unknown; frozen: boolean }> {
  const source = `const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.loader).then(({ loadSes }) => {
      const ses = loadSes(workerData.path);
      lockdown({ errorTaming: 'safe', errorTrapping: 'none', unhandledRejectionTrapping: 'none' });
      if (workerData.save) ses.saveCache();
      const value = new Compartment().evaluate('[1, 2, 3].map((n) => n * 2).join()');
      parentPort.postMessage({ cache: ses.cache, value, frozen: Object.isFrozen(Array.prototype) });
    });`;
  const loader = new URL('../../dist/worker/ses-loader.js', import.meta.url).href;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { loader, path, save }, env: { ...process.env, ...env } });
    worker.once('message', (message) => void worker.terminate().then(() => resolve(message)));
    worker.once('error', reject);
  });
}

describe('loading SES with the code cache (dist, real threads)', () => {
  it('loads without a cache, writes one, and the next thread uses it', async () => {
    const path = join(dir, 'real.v8cache');
    expect(await loadInThread(path, true)).toEqual({ cache: 'absent', value: '2,4,6', frozen: true });
    expect(await loadInThread(path, false)).toEqual({ cache: 'used', value: '2,4,6', frozen: true });
  }, 30_000);

  it('neither reads nor writes the cache when TOOLWEAVER_DISABLE_SES_CACHE=1', async () => {
    const off = { TOOLWEAVER_DISABLE_SES_CACHE: '1' };
    const path = join(dir, 'disabled.v8cache');
    expect(await loadInThread(path, true, off)).toEqual({ cache: 'disabled', value: '2,4,6', frozen: true });
    expect(existsSync(path)).toBe(false);
    // A good cache beside it is not used either.
    expect(await loadInThread(path, true)).toEqual({ cache: 'absent', value: '2,4,6', frozen: true });
    const written = readFileSync(path);
    expect(await loadInThread(path, true, off)).toEqual({ cache: 'disabled', value: '2,4,6', frozen: true });
    expect(readFileSync(path).equals(written)).toBe(true);
    expect(await loadInThread(path, false)).toEqual({ cache: 'used', value: '2,4,6', frozen: true });
  }, 30_000);

  it('loads a working SES past a cache V8 rejects, and past one it does not trust', async () => {
    expect(await loadInThread(cacheFile(0o644, 'not a V8 code cache'), false)).toEqual({ cache: 'rejected', value: '2,4,6', frozen: true });
    expect(await loadInThread(cacheFile(0o666, 'not a V8 code cache'), false)).toEqual({ cache: 'untrusted', value: '2,4,6', frozen: true });
  }, 30_000);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
