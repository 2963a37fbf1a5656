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
/** The scripts' chains of awaited calls: the fewest levels a run can measure. */
const MIN_LEVELS: Record<string, number> = { 'team-expenses': 2, 'batch-report': 3, 'qualified-leads-500': 4 };

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
      // The data and the scripts fix every result: calls, bytes and tokens match exactly. Levels
      // are measured (a call reaching the dispatcher after another was answered counts as
      // depending on it): each run's are at least the script's chain of awaited calls.
      expect({ toolCalls: row.toolCalls, traditional: { ...row.traditional, llmCalls: 0 }, programmatic: row.programmatic }).toEqual({
        toolCalls: report.calls.length,
        traditional: { ...report.traditional, llmCalls: 0 },
        programmatic: report.programmatic,
      });
      expect(Math.min(row.levels, report.levels)).toBeGreaterThanOrEqual(MIN_LEVELS[name]!);
      expect([row.traditional.llmCalls, report.traditional.llmCalls]).toEqual([row.levels + 1, report.levels + 1]);
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
