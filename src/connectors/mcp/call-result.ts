// Owns reading an MCP `tools/call` result as a tool's value: `structuredContent` when the tool
// declares an output schema, the text content otherwise; an `isError` result becomes a thrown
// McpToolError (a tool failure the script can catch). Pure; never sees the script.

/** The parts of an MCP content block this module reads. */
interface ContentBlock {
  type: string;
  text?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  resource?: { uri?: unknown; text?: unknown; mimeType?: unknown };
}

/** The parts of an MCP `CallToolResult` this module reads. */
export interface McpCallResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  toolResult?: unknown;
}

/** An MCP tool answered with `isError: true`; the message is the tool's own text content. */
export class McpToolError extends Error {
  /** The tool's name on its MCP server. */
  readonly mcpToolName: string;
  constructor(mcpToolName: string, message: string) {
    super(message);
    this.name = 'McpToolError';
    this.mcpToolName = mcpToolName;
  }
}

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'resource':
      return typeof block.resource?.text === 'string' ? block.resource.text : `[resource ${String(block.resource?.uri)}]`;
    case 'resource_link':
      return `[resource ${String(block.uri)}]`;
    default:
      // Images and audio are base64 payloads a script cannot use; name them instead.
      return `[${block.type}${typeof block.mimeType === 'string' ? ` ${block.mimeType}` : ''}]`;
  }
}

/** The content blocks' text, joined with newlines. */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter((block): block is ContentBlock => typeof block === 'object' && block !== null && typeof (block as ContentBlock).type === 'string')
    .map(blockText)
    .join('\n');
}

/** The value a script receives for `result`, or a thrown McpToolError for an `isError` result. */
export function readCallResult(mcpToolName: string, result: McpCallResult, hasOutputSchema: boolean): unknown {
  if (result.isError === true) {
    const text = contentText(result.content);
    throw new McpToolError(mcpToolName, text === '' ? `MCP tool \`${mcpToolName}\` reported an error` : text);
  }
  if (hasOutputSchema && result.structuredContent !== undefined) return result.structuredContent;
  // Servers of protocol 2024-10-07 answer with `toolResult` instead of `content`.
  if (result.content === undefined && result.toolResult !== undefined) return result.toolResult;
  return contentText(result.content);
}
