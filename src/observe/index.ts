// Entry of the observe folder: explicit re-exports only.
export { EngineEvents, ENGINE_EVENT_NAMES, emitPoolEvent } from './engine-events.js';
export { installHandlerHook, registerHandlerHookSetter } from './handler-hooks.js';
export type * from './event-types.js';
