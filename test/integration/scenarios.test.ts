import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureTools } from '../../fixtures/tools.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { loadScript, scenarios } from '../../fixtures/scenarios.mjs';
import { engineFor } from '../helpers.js';

describe('seed scenarios', () => {
  for (const scenario of scenarios as Array<Record<string, any>>) {
    it(`runs "${scenario.name}" end to end`, async () => {
      const { catalog, outbox } = createFixtureTools({ latencyMs: 2 });
      const engine = engineFor(catalog);
      const code = await loadScript(scenario.name);
      if (scenario.expectedError !== undefined) {
        await expect(engine.execute(code, { context: scenario.context })).rejects.toMatchObject({ code: scenario.expectedError });
        expect(outbox).toEqual([]);
        return;
      }
      const result = await engine.execute(code, { context: scenario.context });
      expect(result.value).toEqual(scenario.expected);
      expect(result.metadata.toolCalls).toBe(scenario.expectedToolCalls);
      expect(result.metadata.bytesFromTools).toBeGreaterThan(0);
    });
  }
});
