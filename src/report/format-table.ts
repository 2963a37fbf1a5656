// Owns rendering comparisons as Markdown tables (the seeds' table), for the CLI, the demo and
// the README. Pure text; never runs anything.

import type { ExecutionReport } from './compare-context.js';

/** Bytes as B / KB / MB with one decimal (1 KB = 1,024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The seeds' two-column table for one execution: LLM round trips, context bytes and tokens. */
export function formatReportTable(report: Pick<ExecutionReport, 'traditional' | 'programmatic' | 'calls' | 'levels'>): string {
  const { traditional: t, programmatic: p } = report;
  return [
    '| | traditional | programmatic |',
    '|---|---:|---:|',
    `| LLM round trips | ${t.llmCalls} | ${p.llmCalls} |`,
    `| context read (bytes) | ${formatBytes(t.bytes)} | ${formatBytes(p.bytes)} |`,
    `| context read (tokens) | ${count(t.tokens)} | ${count(p.tokens)} |`,
    `| tool calls (levels) | ${report.calls.length} (${report.levels}) | ${report.calls.length} (in the script) |`,
  ].join('\n');
}

/** One row per named report: both sides side by side, for several scripts at once. */
export function formatComparisonTable(rows: ReadonlyArray<{ name: string; report: Pick<ExecutionReport, 'traditional' | 'programmatic' | 'calls' | 'levels'> }>): string {
  const lines = [
    '| script | tool calls | levels | traditional: LLM calls | context | tokens | programmatic: LLM calls | context | tokens |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { name, report } of rows) {
    const { traditional: t, programmatic: p } = report;
    lines.push(`| ${name} | ${report.calls.length} | ${report.levels} | ${t.llmCalls} | ${formatBytes(t.bytes)} | ${count(t.tokens)} | ${p.llmCalls} | ${formatBytes(p.bytes)} | ${count(p.tokens)} |`);
  }
  return lines.join('\n');
}
