// Entry of the catalog folder: explicit re-exports only.
export { ToolCatalog, checksOf } from './tool-catalog.js';
export { CATALOG_BRAND, CATALOG_SHAPE_VERSION, catalogShapeVersion } from './brand.js';
export { adoptCatalog } from './adopt-catalog.js';
export type { ForeignCatalog } from './adopt-catalog.js';
export type { ToolChecks } from './tool-catalog.js';
export { toNamedArguments } from './arguments.js';
export type { NamedArguments } from './arguments.js';
export { createRandom, generateStub } from './stub-data.js';
export type { Random } from './stub-data.js';
export type { NameNode } from './script-names.js';
export type { SchemaCheck, SchemaDraft } from './schema.js';
export type { FromJsonSchema, InferSchema } from './infer-schema.js';
export type { JsonSchema, NeedsApproval, RegisteredTool, SchemaLike, ToolContext, ToolDefinition, ToolHandler } from './types.js';
export type { DeclarationOptions } from './declarations.js';
export { PROMPT_DEFAULTS } from './prompt.js';
export type { PromptOptions } from './prompt.js';
