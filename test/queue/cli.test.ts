// The queue commands as real subprocesses against a real Redis: `enqueue` checks and adds a
// JSONL file (refused lines named, exit 1; a progress bar only on a terminal), `worker` runs
// the jobs and exits 0 on SIGTERM after finishing them, `results` writes one line per outcome.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, hasScriptCommand, inTerminal, jsonLines, scratch, shellCommand, toolweaver } from '../cli/run-cli.js';
import { expectedValue, job, QUEUE_TOOLS, startWorker, TEAMS } from './queue-helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';

const skip = redisMissing();

describe.skipIf(skip !== undefined)('toolweaver worker, enqueue and results', () => {
  let redis: RedisServer;
  let dir: string;

  beforeAll(async () => {
    redis = await startRedis();
    dir = scratch();
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enqueues the valid lines, names the refused ones, runs them on a worker and writes every outcome', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify(job(i, 'cli')));
    lines.push(JSON.stringify({ code: 'return eval("1")', id: 'bad' }), '{ not json', JSON.stringify({ code: 'return await get_team_memberz()', id: 'unknown' }));
    const jobs = file(dir, 'jobs.jsonl', lines);
    const enqueued = await toolweaver(dir, ['enqueue', jobs, '--queue', 'cli', '--redis', redis.url, '--tools', QUEUE_TOOLS]);
    expect(enqueued.code).toBe(1);
    expect(enqueued.stderr).toContain('line 31');
    expect(enqueued.stderr).toContain('ERR_SECURITY_VALIDATION');
    expect(enqueued.stderr).toContain('line 32');
    expect(enqueued.stderr).toContain('line 33');
    expect(enqueued.stderr).toContain('ERR_UNKNOWN_TOOL');

    const worker = await startWorker(redis.url, 'cli', [], {});
    const results = await toolweaver(dir, ['results', '--queue', 'cli', '--redis', redis.url]);
    expect(results.code).toBe(0);
    const outcomes = jsonLines(results.stdout);
    expect(outcomes).toHaveLength(30);
    expect(new Set(outcomes.map((o) => o.id))).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `cli-${i}`)));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('fulfilled');
      expect(outcome.result.value).toEqual(expectedValue(TEAMS[Number(String(outcome.id).slice(4)) % TEAMS.length]!));
    }
    // Read again with --remove: the same 30, then nothing is left for a third reader.
    const removing = await toolweaver(dir, ['results', '--queue', 'cli', '--redis', redis.url, '--remove']);
    expect(removing.code).toBe(0);
    expect(jsonLines(removing.stdout).map((o) => o.id)).toEqual(outcomes.map((o) => o.id));
    const after = await toolweaver(dir, ['results', '--queue', 'cli', '--redis', redis.url]);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 60_000);

  it('runs the example of docs/queue.md', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const doc = readFileSync(join(root, 'docs/queue.md'), 'utf8');
    const code = /<!-- queue-example -->\n```js\n([\s\S]*?)^```/m.exec(doc)![1]!;
    // Inside the package, so `toolweaver` resolves to this build.
    const where = mkdtempSync(join(root, '.queue-example-'));
    try {
      writeFileSync(join(where, 'example.mjs'), code);
      const { stdout } = await promisify(execFile)(process.execPath, [join(where, 'example.mjs')], { env: { ...process.env, REDIS_URL: redis.url } });
      expect(stdout.trim().split('\n').sort()).toEqual(['ab fulfilled 200', 'abc fulfilled 300', 'abcd fulfilled 400']);
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  }, 60_000);

  it('documents in docs/queue.md every flag the queue commands take', async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/queue.md', import.meta.url)), 'utf8');
    const section = doc.slice(doc.indexOf('## Command line')).split('\n## ')[0]!;
    const documented = new Set(section.match(/--[a-z][a-z-]*/g));
    const helps = await Promise.all(['worker', 'enqueue', 'results'].map((command) => toolweaver(dir, [command, '--help'])));
    for (const help of helps) {
      expect(help.code).toBe(0);
      const shown = [...new Set(help.stdout.match(/--[a-z][a-z-]*/g))].filter((flag) => flag !== '--help');
      expect(shown.filter((flag) => !documented.has(flag))).toEqual([]);
    }
  }, 60_000);

  it('refuses bad flags as usage errors', async () => {
    const noRedis = await toolweaver(dir, ['results', '--queue', 'cli']);
    expect(noRedis.code).toBe(2);
    const badUrl = await toolweaver(dir, ['results', '--queue', 'cli', '--redis', 'http://localhost']);
    expect(badUrl.code).toBe(2);
  });

  it.skipIf(!hasScriptCommand())('shows a progress bar on a terminal while it enqueues', () => {
    const jobs = file(dir, 'tty.jsonl', Array.from({ length: 40 }, (_, i) => JSON.stringify(job(i, 'tty'))));
    const { code, terminal } = inTerminal(shellCommand(['enqueue', jobs, '--queue', 'tty', '--redis', redis.url]));
    expect(code).toBe(0);
    expect(terminal).toContain('40/40 done');
  });
});
