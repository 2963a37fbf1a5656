import { describe, expect, it } from 'vitest';
import { contentText, McpToolError, readCallResult } from '../../../src/connectors/mcp/call-result.js';

describe('reading an MCP tools/call result', () => {
  it('prefers structuredContent when the tool declares an output schema', () => {
    const result = { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } };
    expect(readCallResult('t', result, true)).toEqual({ a: 1 });
    expect(readCallResult('t', result, false)).toBe('{"a":1}');
  });

  it('joins text content and names blocks a script cannot use', () => {
    const content = [
      { type: 'text', text: 'one' },
      { type: 'image', data: 'AAAA', mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inline' } },
      { type: 'resource_link', uri: 'file:///b.txt', name: 'b' },
    ];
    expect(contentText(content)).toBe('one\n[image image/png]\ninline\n[resource file:///b.txt]');
  });

  it('throws an McpToolError with the tool\'s text for an isError result', () => {
    const read = () => readCallResult('send', { isError: true, content: [{ type: 'text', text: 'quota exceeded' }] }, false);
    expect(read).toThrow(McpToolError);
    expect(read).toThrow(expect.objectContaining({ mcpToolName: 'send', message: 'quota exceeded' }));
  });

  it('reads the legacy toolResult form', () => {
    expect(readCallResult('t', { toolResult: { ok: true } }, false)).toEqual({ ok: true });
  });
});
