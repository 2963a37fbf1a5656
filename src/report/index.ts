// Entry of the report folder: explicit re-exports only.
export { compareContext, latencyOf } from './compare-context.js';
export type { CallMeasure, ContextCost, ExecutionReport, LatencyParts } from './compare-context.js';
export { formatBytes, formatComparisonTable, formatReportTable } from './format-table.js';
export type { ReportRow, TableOptions } from './format-table.js';
