// Owns the queue commands: `worker` (runs jobs of a queue until SIGINT/SIGTERM: the first
// finishes active jobs, a second hands them back), `enqueue` (checks and adds the jobs of a
// JSONL input, progress on a terminal) and `results` (one JSON line per stored outcome).
// `bullmq` is loaded only when one of them runs: the rest of the CLI works without it.

import type { Command } from 'commander';
import type { BatchJob } from '../batch/index.js';
import { InvalidOptionsError, ToolWeaverError } from '../errors.js';
import { loadCatalog } from './load-catalog.js';
import { addEngineOptions, integerFrom1To, openEngine, type EngineFlags } from './open-engine.js';
import { createProgressBar } from './progress-bar.js';
import { openJobs, type JobLine } from './read-jobs.js';
import { outcomeToJson } from './to-json.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, messageOf } from './usage-error.js';
import { writeLine } from './write-line.js';

interface QueueFlags {
  queue: string;
  redis: string;
  prefix?: string;
}

/** Lines added per addMany call. */
const ENQUEUE_CHUNK = 500;

async function loadQueueModule(): Promise<typeof import('../queue/index.js')> {
  try {
    return await import('../queue/index.js');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && messageOf(error).includes('bullmq')) throw new UsageError('the queue commands need `bullmq` (npm install bullmq)');
    throw error;
  }
}

/** Runs `open`, turning a bad option (a bad `--redis` URL, say) into a usage error. */
function opened<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    throw error;
  }
}

function base(flags: QueueFlags): { connection: string; name: string; prefix?: string } {
  return { connection: flags.redis, name: flags.queue, ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }) };
}

async function runWorker(flags: QueueFlags & EngineFlags & { tools: string; concurrency?: number; maxDeliveries?: number; lockDuration?: number }): Promise<void> {
  const { createQueueWorker } = await loadQueueModule();
  const engine = openEngine(await loadCatalog(flags.tools), flags);
  const worker = opened(() => createQueueWorker({
    ...base(flags),
    engine,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(flags.maxDeliveries === undefined ? {} : { maxDeliveries: flags.maxDeliveries }),
    ...(flags.lockDuration === undefined ? {} : { lockDurationMs: flags.lockDuration }),
    onError: (error) => process.stderr.write(`worker: ${error.message}\n`),
  }));
  await worker.waitUntilReady();
  process.stderr.write(`worker: taking jobs of queue ${flags.queue}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.stderr.write('worker: finishing active jobs (again to hand them back)\n');
      process.once('SIGINT', force).once('SIGTERM', force);
      void worker.close().then(resolve);
    };
    const force = (): void => void worker.close({ force: true }).then(resolve);
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
  await engine.close();
  process.stderr.write('worker: closed\n');
}

async function addLines(queue: import('../queue/index.js').JobQueue, lines: readonly JobLine[], report: (line: number, error: unknown) => void): Promise<number> {
  const jobs = lines.filter((line) => line.parseError === undefined);
  for (const line of lines) if (line.parseError !== undefined) report(line.line, new UsageError(`not JSON: ${line.parseError}`));
  try {
    return (await queue.addMany(jobs.map((line) => line.job as BatchJob))).length;
  } catch (error) {
    if (!(error instanceof ToolWeaverError)) throw error;
  }
  // One job of the chunk was refused: add them one by one, to name each refused line.
  let added = 0;
  for (const line of jobs) {
    try {
      await queue.add(line.job as BatchJob);
      added++;
    } catch (error) {
      if (!(error instanceof ToolWeaverError)) throw error;
      report(line.line, error);
    }
  }
  return added;
}

async function runEnqueue(jobsPath: string, flags: QueueFlags & { tools?: string }): Promise<void> {
  const { createJobQueue } = await loadQueueModule();
  const catalog = flags.tools === undefined ? undefined : await loadCatalog(flags.tools);
  const input = await openJobs(jobsPath, undefined);
  const queue = opened(() => createJobQueue({ ...base(flags), ...(catalog === undefined ? {} : { catalog }) }));
  const progress = createProgressBar(process.stderr, input.total);
  const startedAt = performance.now();
  let added = 0;
  let refused = 0;
  const report = (line: number, error: unknown): void => {
    refused++;
    const code = error instanceof ToolWeaverError ? `${error.code} ` : '';
    process.stderr.write(`error: line ${line} of ${input.name} refused: ${code}${messageOf(error)}\n`);
  };
  try {
    let chunk: JobLine[] = [];
    const flush = async (): Promise<void> => {
      added += await addLines(queue, chunk, report);
      chunk = [];
      progress?.update({ done: added + refused, failed: refused, inFlight: 0, rate: (added + refused) / ((performance.now() - startedAt) / 1000) });
    };
    for await (const line of input.lines(new AbortController().signal)) {
      chunk.push(line);
      if (chunk.length === ENQUEUE_CHUNK) await flush();
    }
    await flush();
  } finally {
    progress?.stop();
    await queue.close();
    await input.close();
  }
  process.stderr.write(`enqueued ${added} jobs to queue ${flags.queue}${refused === 0 ? '' : `; ${refused} refused`}\n`);
  process.exitCode = refused === 0 ? EXIT_OK : EXIT_FAILURE;
}

async function runResults(flags: QueueFlags & { follow?: boolean; remove?: boolean }): Promise<void> {
  const { createJobQueue } = await loadQueueModule();
  const queue = opened(() => createJobQueue(base(flags)));
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  let rejected = 0;
  try {
    for await (const outcome of queue.results({ follow: flags.follow === true, remove: flags.remove === true, signal: stop.signal })) {
      if (outcome.status === 'rejected') rejected++;
      await writeLine(process.stdout, JSON.stringify(outcomeToJson(outcome)));
    }
  } finally {
    await queue.close();
  }
  process.exitCode = rejected === 0 ? EXIT_OK : EXIT_FAILURE;
}

function addQueueOptions(command: Command): Command {
  return command
    .requiredOption('--queue <name>', 'the queue\'s name')
    .requiredOption('--redis <url>', 'where Redis is (redis://host:port/db)')
    .option('--prefix <prefix>', 'BullMQ\'s key prefix (default: bull)');
}

/** Adds the `worker`, `enqueue` and `results` commands to `program`. */
export function registerQueueCommands(program: Command): void {
  const worker = addQueueOptions(program.command('worker').description('run jobs of a queue on this machine until SIGINT or SIGTERM (again: hand active jobs back)'))
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--concurrency <n>', 'most jobs run at once (default: 256)', integerFrom1To(100_000))
    .option('--max-deliveries <n>', 'deliveries of a job before it fails as a poison job (default: 3)', integerFrom1To(100))
    .option('--lock-duration <ms>', 'how long a dead worker\'s jobs wait before they run elsewhere (default: 30000)', integerFrom1To(86_400_000));
  addEngineOptions(worker).action(runWorker);
  addQueueOptions(program.command('enqueue').description('check the jobs of a JSONL input and add them to a queue (exit 1 if any was refused)'))
    .argument('<jobs>', 'JSONL file, or - for standard input: one job { code, context?, id? } per line')
    .option('--tools <module>', 'also refuse scripts that call tools this catalog does not have')
    .action(runEnqueue);
  addQueueOptions(program.command('results').description('write one JSON line per stored outcome, until every job added has one (exit 1 if any was rejected)'))
    .option('--follow', 'keep waiting for new outcomes')
    .option('--remove', 'delete each outcome from Redis once its line is written (one reader only)')
    .action(runResults);
}
