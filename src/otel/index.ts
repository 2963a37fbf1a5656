// Entry of `toolweaver/otel`, the OpenTelemetry subpath: explicit re-exports only. Loaded only
// by users who import it; `@opentelemetry/api` is an optional peer dependency.
export { instrumentEngine } from './instrument-engine.js';
export type { InstrumentOptions } from './instrument-engine.js';
