// Owns rendering comparisons as Markdown tables (the seeds' table), for the CLI, the demo and
// the README. Pure text; never runs anything, never invents a number: without an LLM latency
// the latency cells are formulas in L (one LLM call's latency).

import { latencyOf, type ExecutionReport } from './compare-context.js';

/** Bytes as B / KB / MB with one decimal (1 KB = 1,024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

const count = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => `${count(Math.round(n))} ms`;

/** What the tables read from a report. */
export type ReportRow = Pick<ExecutionReport, 'traditional' | 'programmatic' | 'calls' | 'levels' | 'latency'>;

/** How the tables render. */
export interface TableOptions {
  /** An assumed latency of one LLM call (ms): latency cells become totals. @default undefined (cells are `n × L + measured ms`) */
  llmLatencyMs?: number | undefined;
}

/** Latency cells of one report: `3 × L + 62 ms`, or totals when `llmLatencyMs` is given. */
function latencyCells(report: ReportRow, options: TableOptions): [traditional: string, programmatic: string] {
  const { traditional: t, programmatic: p, latency } = report;
  if (options.llmLatencyMs === undefined) {
    return [`${t.llmCalls} × L + ${ms(latency.traditionalToolMs)}`, `${p.llmCalls} × L + ${ms(latency.programmaticMs)}`];
  }
  const modelled = latencyOf(report, options.llmLatencyMs);
  return [ms(modelled.traditionalMs), ms(modelled.programmaticMs)];
}

/** The seeds' two-column table for one execution: LLM round trips, context bytes and tokens, latency. */
export function formatReportTable(report: ReportRow, options: TableOptions = {}): string {
  const { traditional: t, programmatic: p } = report;
  const [traditionalLatency, programmaticLatency] = latencyCells(report, options);
  const l = options.llmLatencyMs === undefined ? 'L' : `L = ${ms(options.llmLatencyMs)}`;
  return [
    '| | traditional | programmatic |',
    '|---|---:|---:|',
    `| LLM round trips | ${t.llmCalls} | ${p.llmCalls} |`,
    `| context read (bytes) | ${formatBytes(t.bytes)} | ${formatBytes(p.bytes)} |`,
    `| context read (tokens) | ${count(t.tokens)} | ${count(p.tokens)} |`,
    `| tool calls (levels) | ${report.calls.length} (${report.levels}) | ${report.calls.length} (in the script) |`,
    `| latency (${l} per LLM call) | ${traditionalLatency} | ${programmaticLatency} |`,
  ].join('\n');
}

/** One row per named report: both sides side by side, for several scripts at once. */
export function formatComparisonTable(rows: ReadonlyArray<{ name: string; report: ReportRow }>, options: TableOptions = {}): string {
  const lines = [
    '| script | tool calls | levels | traditional: LLM calls | context | tokens | latency | programmatic: LLM calls | context | tokens | latency |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { name, report } of rows) {
    const { traditional: t, programmatic: p } = report;
    const [traditionalLatency, programmaticLatency] = latencyCells(report, options);
    lines.push(`| ${name} | ${report.calls.length} | ${report.levels} | ${t.llmCalls} | ${formatBytes(t.bytes)} | ${count(t.tokens)} | ${traditionalLatency} | ${p.llmCalls} | ${formatBytes(p.bytes)} | ${count(p.tokens)} | ${programmaticLatency} |`);
  }
  return lines.join('\n');
}
