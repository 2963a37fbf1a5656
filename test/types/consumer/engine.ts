// A strict consumer's view of engine options under exactOptionalPropertyTypes.
import { createEngine, ToolCatalog } from 'toolweaver';

const fromEnv = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number(process.env[name]));
const engine = createEngine({ catalog: new ToolCatalog(), threads: fromEnv('THREADS'), timeoutMs: fromEnv('TIMEOUT_MS'), isolation: undefined, stubs: undefined });
const controller: AbortController | undefined = process.env.ABORTABLE === '1' ? new AbortController() : undefined;
await engine.execute('return 1', { timeoutMs: fromEnv('SCRIPT_TIMEOUT_MS'), signal: controller?.signal, context: undefined });
await engine.close({ force: undefined });
// @ts-expect-error `timeoutMs` is a number
createEngine({ catalog: new ToolCatalog(), timeoutMs: '5s' });
