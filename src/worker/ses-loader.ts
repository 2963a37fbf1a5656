// Owns how a pool thread loads SES: its one-file build run as a script, with V8's code cache
// for it kept beside this file (a cold start compiles SES from scratch otherwise). Must never
// trust a cache file that someone who cannot change this package's code could have written:
// V8 rejects a cache made for other source text or flags, but runs any other bytes it is given.

/// <reference types="ses" />
import { closeSync, fstatSync, openSync, readFileSync, renameSync, statSync, writeFileSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** What became of the cache when SES was loaded. */
export type SesCacheState = 'used' | 'rejected' | 'absent' | 'untrusted' | 'disabled';

/**
 * Set to `1` in the environment, no thread reads or writes the SES code cache: SES compiles
 * from source at every thread start (about 30 ms more CPU each), and nothing is ever written
 * beside the package's files (an install whose files must not change at run time).
 */
export const DISABLE_SES_CACHE_ENV = 'TOOLWEAVER_DISABLE_SES_CACHE';

export interface SesLoad {
  readonly cache: SesCacheState;
  /** Writes a fresh cache (after lockdown: it then holds the code lockdown ran) unless one was used. */
  saveCache(): void;
}

const SES_PATH = createRequire(import.meta.url).resolve('ses');
/** The code this cache is as trusted as: the worker entry beside it. */
const ENTRY_PATH = fileURLToPath(new URL('./main.js', import.meta.url));

/** 32-bit FNV-1a, as 8 hex digits: a file name, not a check (node:crypto would cost the thread's boot its load). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * One file per Node version, architecture, V8 flag set (a cache made under other flags is
 * rejected: the pool process's threads run with --expose-gc, an in-process pool's may not) and
 * installed SES file. V8 checks a cache against its source's length only, so a SES file
 * replaced by another of the same length gets a file name of its own.
 */
export function sesCachePath(): string {
  const ses = statSync(SES_PATH);
  const flags = `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}|${typeof (globalThis as { gc?: unknown }).gc}`;
  const key = fnv1a(`${SES_PATH}|${ses.size}|${ses.mtimeMs}|${flags}`);
  return fileURLToPath(new URL(`./ses-${process.version}-${process.arch}-${key}.v8cache`, import.meta.url));
}

/**
 * SECURITY: every claim rests on SES ("Scripts cannot reach eval, Function, require, import,
 * process or the host globals" first): the cache becomes SES's own code, run before lockdown,
 * so its bytes are trusted only where they are as safe as the worker's own code: a regular
 * file (not a link) owned by the owner of this package's worker entry, writable by no one
 * else. Whoever else could replace it (a writer of this directory) could replace the entry.
 */
export function readTrustedCache(path: string, entryPath = ENTRY_PATH): Buffer | 'absent' | 'untrusted' {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'untrusted';
  }
  try {
    const file = fstatSync(fd);
    if (!file.isFile() || file.uid !== statSync(entryPath).uid || (file.mode & 0o022) !== 0) return 'untrusted';
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` whole (a temporary file renamed over it), owner-writable only; false if it could not. */
export function writeCache(path: string, data: Buffer, entryPath = ENTRY_PATH): boolean {
  // A file of ours would not be trusted (readTrustedCache) unless we own the entry.
  if (typeof process.getuid !== 'function' || process.getuid() !== statSync(entryPath).uid) return false;
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o644, flag: 'wx' });
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}

/** Loads SES into this thread's realm (its globals: lockdown, harden, Compartment); `path` is a seam for tests. */
export function loadSes(path = sesCachePath()): SesLoad {
  const cached = process.env[DISABLE_SES_CACHE_ENV] === '1' ? 'disabled' : readTrustedCache(path);
  const script = new Script(readFileSync(SES_PATH, 'utf8'), { filename: SES_PATH, ...(typeof cached === 'string' ? {} : { cachedData: cached }) });
  script.runInThisContext();
  const cache: SesCacheState = typeof cached === 'string' ? cached : script.cachedDataRejected === true ? 'rejected' : 'used';
  return {
    cache,
    saveCache() {
      if (cache === 'used' || cache === 'disabled') return;
      writeCache(path, script.createCachedData());
    },
  };
}
