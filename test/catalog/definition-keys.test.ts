import { dynamicTool, jsonSchema, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolCatalog, type ToolDefinition } from '../../src/catalog/index.js';
import { suggestDefinitionKey } from '../../src/catalog/definition-keys.js';

const handler = () => null;
const register = (definition: object) => new ToolCatalog().register(definition as ToolDefinition);
const refusal = (toolName: string) => expect.objectContaining({ code: 'ERR_TOOL_REGISTRATION', toolName });

describe('definition keys', () => {
  it.each([
    ['concurency', 'concurrency'],
    ['handle', 'handler'],
    ['inputschema', 'inputSchema'],
    ['outptu', 'output'],
    ['descripton', 'description'],
  ])('refuses `%s` at register, suggesting `%s`', (typo, suggestion) => {
    expect(suggestDefinitionKey(typo)).toBe(suggestion);
    expect(() => register({ name: 't', handler, [typo]: 2 })).toThrow(refusal('t'));
  });

  it('refuses a key far from every known key, without a suggestion', () => {
    expect(suggestDefinitionKey('retryPolicy')).toBeUndefined();
    expect(() => register({ name: 't', handler, retryPolicy: 'always' })).toThrow(refusal('t'));
  });

  it.each([
    ['a string', 'yes'],
    ['a number', 1],
    ['an object', { always: true }],
  ])('refuses needsApproval given as %s, which would not be read as asking', (_label, needsApproval) => {
    expect(() => register({ name: 'send_email', handler, needsApproval: needsApproval as never })).toThrow(refusal('send_email'));
  });

  it('accepts needsApproval as a boolean, a function, or undefined', () => {
    expect(register({ name: 'a', handler, needsApproval: false }).has('a')).toBe(true);
    expect(register({ name: 'b', handler, needsApproval: undefined }).has('b')).toBe(true);
    expect(register({ name: 'c', handler, needsApproval: true }).get('c')?.needsApproval).toBe(true);
    const rule = (): boolean => true;
    expect(register({ name: 'd', handler, needsApproval: rule }).get('d')?.needsApproval).toBe(rule);
  });

  it('refuses two spellings of one field', () => {
    expect(() => register({ name: 't', handler, execute: handler })).toThrow(refusal('t'));
    expect(() => register({ name: 't', handler, input: { type: 'object' }, inputSchema: { type: 'object' } })).toThrow(refusal('t'));
  });

  it('registers a real AI SDK 6 tool() with every field it can carry', () => {
    const weather = tool({
      description: 'Weather of a city',
      title: 'Weather',
      inputSchema: z.object({ city: z.string() }),
      outputSchema: z.object({ temp: z.number() }),
      inputExamples: [{ input: { city: 'Oslo' } }],
      providerOptions: { openai: { strict: true } },
      strict: true,
      needsApproval: false,
      onInputStart: () => undefined,
      onInputDelta: () => undefined,
      onInputAvailable: () => undefined,
      toModelOutput: ({ output }) => ({ type: 'json', value: output }),
      execute: async ({ city }) => ({ temp: city.length }),
    });
    const registered = new ToolCatalog().register({ name: 'weather', ...weather }).get('weather')!;
    expect(registered.parameters).toEqual(['city']);
    expect(registered.description).toBe('Weather of a city');
    expect(registered.handler).toBe(weather.execute);
  });

  it('registers an AI SDK dynamicTool()', () => {
    const lookup = dynamicTool({ description: 'Look up', inputSchema: jsonSchema({ type: 'object', properties: { q: { type: 'string' } } }), execute: async () => 1 });
    expect(new ToolCatalog().register({ name: 'lookup', ...lookup }).get('lookup')!.parameters).toEqual(['q']);
  });

  it('refuses a provider-executed AI SDK tool', () => {
    expect(() => register({ name: 'web_search', type: 'provider', id: 'openai.web_search', args: {}, inputSchema: { type: 'object' } })).toThrow(refusal('web_search'));
  });
});

describe('unregister', () => {
  it('removes a tool, frees its script name and keeps the others', () => {
    const catalog = new ToolCatalog().register({ name: 'crm.get_lead', handler }).register({ name: 'crm.find', handler }).register({ name: 'mail.send', handler });
    const version = catalog.version;
    expect(catalog.unregister('crm.get_lead')).toBe(true);
    expect(catalog.unregister('crm.get_lead')).toBe(false);
    expect(catalog.version).toBe(version + 1);
    expect(catalog.scriptNameList).toEqual(['crm.find', 'mail.send']);
    catalog.unregister('mail.send');
    expect(catalog.namespaces()).toEqual(['crm']);
    expect(catalog.scriptNames.members.has('mail')).toBe(false);
    catalog.register({ name: 'crm.get_lead', handler });
    expect(catalog.get('crm.get_lead')!.scriptName).toBe('crm.get_lead');
    expect(catalog.namespaceToTypeScript('crm')).toContain('get_lead');
  });
});
