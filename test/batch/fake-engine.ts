// A stand-in engine for unit tests of the batch: no workers. Each execution waits until the
// test settles it (or settles at once in `auto` mode), so orderings are chosen, not timed.
import { CompiledScript } from '../../src/compiled-script.js';
import { ExecutionAbortedError, ScriptError, ScriptSyntaxError } from '../../src/errors.js';
import type { ExecuteResult } from '../../src/execution.js';
import type { ExecuteOptions } from '../../src/options.js';
import type { BatchEngine } from '../../src/batch/index.js';

export interface FakeRun {
  source: string;
  context: Record<string, unknown> | undefined;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface FakeEngine extends BatchEngine {
  /** Every source compiled, in order. */
  readonly compiled: string[];
  /** Executions not settled yet, in start order. */
  readonly running: FakeRun[];
  /** Executions started so far. */
  started: number;
}

function resultOf(value: unknown): ExecuteResult {
  return { value, output: [], metadata: { executionId: 'tw-fake', toolCalls: 0, toolCallsByName: {}, reruns: 0, replayedCalls: 0, elapsedMs: 0, tokensEstimated: 0, bytesFromTools: 0, bytesReturned: 0, outputTruncated: false, normalized: [] } };
}

/**
 * `auto`: code `fail` rejects with ScriptError, anything else fulfils with its context's `n`.
 * `manual`: executions wait in `running` until the test settles them. Code containing
 * `syntax` fails to compile. An aborted signal rejects a running execution, as the engine does.
 */
export function createFakeEngine(mode: 'auto' | 'manual' = 'auto'): FakeEngine {
  const engine: FakeEngine = {
    compiled: [],
    running: [],
    started: 0,
    compile(code) {
      engine.compiled.push(code);
      if (code.includes('syntax')) throw new ScriptSyntaxError('Unexpected token', 1, 1);
      return new CompiledScript(code, 0, { code: '', regenerated: false, normalized: [] }, engine);
    },
    execute(script, options: ExecuteOptions) {
      engine.started++;
      return new Promise<ExecuteResult>((resolve, reject) => {
        const run: FakeRun = {
          source: script.source,
          context: options.context,
          resolve: (value) => settle(() => resolve(resultOf(value))),
          reject: (error) => settle(() => reject(error)),
        };
        const settle = (done: () => void): void => {
          const at = engine.running.indexOf(run);
          if (at >= 0) engine.running.splice(at, 1);
          done();
        };
        options.signal?.addEventListener('abort', () => run.reject(new ExecutionAbortedError('signal')), { once: true });
        if (mode === 'manual') engine.running.push(run);
        else if (script.source === 'fail') reject(new ScriptError('Error', 'boom', {}));
        else resolve(resultOf(options.context?.['n']));
      });
    },
  };
  return engine;
}

/** An iterable of `count` jobs that counts how many were taken and whether it was closed. */
export function countingJobs(count: number, code = 'return n'): Iterable<{ code: string; context: { n: number } }> & { pulled: number; closed: boolean } {
  const source = {
    pulled: 0,
    closed: false,
    *[Symbol.iterator]() {
      try {
        for (let n = 0; n < count; n++) {
          source.pulled++;
          yield { code, context: { n } };
        }
      } finally {
        source.closed = true;
      }
    },
  };
  return source;
}
