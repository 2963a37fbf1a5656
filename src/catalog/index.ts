// Entry of the catalog folder: explicit re-exports only.
export { ToolCatalog } from './tool-catalog.js';
export { toNamedArguments } from './arguments.js';
export type { NamedArguments } from './arguments.js';
export type { JsonSchema, RegisteredTool, ToolContext, ToolDefinition, ToolHandler } from './types.js';
