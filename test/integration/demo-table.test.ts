// `npm run demo` ends with the seeds' comparison table: its rows must be what engine.report()
// computes for the same fixture scripts and tools (values, not wording), the 500-lead
// scenario included, and the table must show those values.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as toolweaver from 'toolweaver';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { leadSet500 } from '../../fixtures/leads-500.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { loadScript } from '../../fixtures/scenarios.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureTools } from '../../fixtures/tools.mjs';
import { formatBytes } from '../../src/report/index.js';

const DEMO = fileURLToPath(new URL('../../fixtures/demo.mjs', import.meta.url));
const FILES: Record<string, string> = { 'team-expenses': 'team-expenses.js', 'batch-report': 'batch-report.js', 'qualified-leads-500': 'qualified-leads-500.js' };

interface Row {
  name: string;
  toolCalls: number;
  levels: number;
  traditional: toolweaver.ContextCost;
  programmatic: toolweaver.ContextCost;
  latency: toolweaver.LatencyParts;
}

/** engine.report() of one scenario, on the demo's tools (same latency, same lead set). */
async function reportOf(name: string): Promise<toolweaver.ExecutionReport> {
  const options = { latencyMs: 20, jitterMs: 5, ...(name === 'qualified-leads-500' ? { leadSet: leadSet500 } : {}) };
  const engine = toolweaver.createEngine({ catalog: createFixtureTools(options).catalog, threads: 1 });
  try {
    return await engine.report(await loadScript(FILES[name]));
  } finally {
    await engine.close();
  }
}

describe('the demo comparison table', () => {
  it('holds, for team expenses, batch report and 500 leads, what engine.report() computes', { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [DEMO, '--json', '--llm-latency-ms', '1000'], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trimEnd().split('\n');
    const rows = (JSON.parse(lines.at(-1)!) as { rows: Row[] }).rows;
    for (const name of Object.keys(FILES)) {
      const row = rows.find((r) => r.name === name)!;
      expect(row, name).toBeDefined();
      const report = await reportOf(name);
      // Deterministic: the data and the scripts fix every result, so bytes and tokens match exactly.
      expect({ toolCalls: row.toolCalls, levels: row.levels, traditional: row.traditional, programmatic: row.programmatic }).toEqual({
        toolCalls: report.calls.length,
        levels: report.levels,
        traditional: report.traditional,
        programmatic: report.programmatic,
      });
      // The table line shows the row's values; latency = round trips x 1,000 ms + measured ms.
      const cells = lines.find((line) => line.startsWith(`| ${name} |`))!.split('|').slice(2, -1).map((cell) => cell.trim());
      const { traditional: t, programmatic: p, latency } = row;
      const totals = toolweaver.latencyOf(row, 1000);
      const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`;
      expect(cells).toEqual([
        String(row.toolCalls), String(row.levels),
        String(t.llmCalls), formatBytes(t.bytes), t.tokens.toLocaleString('en-US'), ms(totals.traditionalMs),
        String(p.llmCalls), formatBytes(p.bytes), p.tokens.toLocaleString('en-US'), ms(totals.programmaticMs),
      ]);
      expect(totals).toEqual({ traditionalMs: expect.closeTo(t.llmCalls * 1000 + latency.traditionalToolMs, 2), programmaticMs: expect.closeTo(1000 + latency.programmaticMs, 2) });
      expect(latency.traditionalToolMs).toBeGreaterThanOrEqual(20 * row.levels);
    }
  });
});
