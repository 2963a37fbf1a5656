// Entry of the report folder: explicit re-exports only.
export { compareContext } from './compare-context.js';
export type { CallMeasure, ContextCost, ExecutionReport } from './compare-context.js';
export { formatBytes, formatComparisonTable, formatReportTable } from './format-table.js';
