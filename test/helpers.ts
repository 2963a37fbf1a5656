// Shared test helpers: engines that are always closed, and gates that make orderings
// deterministic without wall-clock windows.
import { afterEach } from 'vitest';
import { createEngine, ToolCatalog, type Engine, type EngineOptions, type ToolDefinition } from 'toolweaver';

const open = new Set<Engine>();

afterEach(async () => {
  await Promise.all([...open].map((engine) => engine.close({ force: true })));
  open.clear();
});

/**
 * A runaway no checkpoint can stop: one regexp call backtracking for hours, with no script
 * code running inside it. Only terminating its thread ends it, so tests of that fallback
 * use it (a plain `while (true) {}` now stops itself at its time limit).
 */
export const UNSTOPPABLE_RUNAWAY = '/(a+)+$/.test("a".repeat(40) + "b");';

/** Creates an engine closed automatically after the test. */
export function engineFor(tools: ToolDefinition[] | ToolCatalog, options: Partial<EngineOptions> = {}): Engine {
  const catalog = tools instanceof ToolCatalog ? tools : catalogOf(tools);
  const engine = createEngine({ catalog, threads: 2, ...options });
  open.add(engine);
  return engine;
}

export function catalogOf(tools: ToolDefinition[]): ToolCatalog {
  const catalog = new ToolCatalog();
  for (const tool of tools) catalog.register(tool);
  return catalog;
}

/** A promise opened from outside; `wait` gives up after `ms` so a broken build fails, not hangs. */
export function createGate(): { open: () => void; wait: (ms?: number) => Promise<boolean>; readonly isOpen: boolean } {
  let release!: () => void;
  let isOpen = false;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    open() {
      isOpen = true;
      release();
    },
    async wait(ms = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      const result = await Promise.race([opened.then(() => true), timedOut]);
      clearTimeout(timer);
      return result;
    },
    get isOpen() {
      return isOpen;
    },
  };
}

/** Resolves with the rejection of `promise`; fails the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    return error;
  }
}
