// What the dispatcher's unit tests share: a catalog made of this build's sources (test/helpers.ts
// makes one of the built package, which the dispatcher under test does not know), and a call
// site standing in for an execution, with no limit reached, no hook and no approval handler.
import { ToolCatalog } from '../../src/catalog/index.js';
import type { ToolContext, ToolDefinition, ToolHandler } from '../../src/catalog/types.js';
import type { CallSite } from '../../src/dispatch/index.js';
import { Journal, ReplayBudget } from '../../src/dispatch/journal.js';

export function catalogOf(tools: ToolDefinition[]): ToolCatalog {
  const catalog = new ToolCatalog();
  for (const tool of tools) catalog.register(tool);
  return catalog;
}

/** A first run of execution `executionId`, its journal on; tests override what they watch. */
export function fakeCallSite(executionId: string, journal = new Journal(new ReplayBudget(1_000_000))) {
  return {
    executionId,
    maxToolCalls: 100,
    signal: new AbortController().signal,
    ended: false as boolean,
    run: 0,
    journal,
    toolCalls: 0,
    toolCallsByName: {} as Record<string, number>,
    bytesFromTools: 0,
    failedCalls: new Map(),
    settledLevel: 0,
    levels: 0,
    callLog: undefined,
    hostContext: undefined,
    onApproval: undefined,
    runHandler: (handler: ToolHandler, input: unknown, context: ToolContext): unknown => handler(input, context),
    exceedToolCallLimit() {},
    replayDiverged(_detail: string) {},
    pauseClock: () => () => {},
    takeDeadlineUpdate: () => undefined,
  } satisfies CallSite;
}
