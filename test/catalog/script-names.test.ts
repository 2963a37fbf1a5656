import { describe, expect, it } from 'vitest';
import { ToolCatalog } from '../../src/catalog/index.js';

const handler = () => null;
const catalogOf = (...names: string[]) => {
  const catalog = new ToolCatalog();
  for (const name of names) catalog.register({ name, handler });
  return catalog;
};

describe('script names', () => {
  it.each([
    ['github.list_pull_requests', 'github.list_pull_requests'],
    ['send-email', 'send_email'],
    ['3d_render', '_3d_render'],
    ['delete', 'delete_'],
    ['print', 'print_'],
    ['eval', 'eval_'],
    ['JSON', 'JSON_'],
    ['crm.leads.delete', 'crm.leads.delete'],
    ['files/read file', 'files_read_file'],
    ['a.__proto__', 'a.__proto___'],
    ['__tw_checkpoint', '___tw_checkpoint'],
    ['crm.__tw_checkpoint', 'crm.__tw_checkpoint'],
  ])('maps %s to %s', (name, scriptName) => {
    expect(catalogOf(name).get(name)?.scriptName).toBe(scriptName);
  });

  it('keeps mapped names collision-free in registration order', () => {
    const catalog = catalogOf('send_email', 'send-email', 'send.email', 'send');
    expect(catalog.list().map((tool) => tool.scriptName)).toEqual(['send_email', 'send_email_2', 'send.email', 'send_2']);
  });

  it('moves a namespace aside when a plain tool owns its name', () => {
    const catalog = catalogOf('github', 'github.list_pull_requests');
    expect(catalog.get('github.list_pull_requests')?.scriptName).toBe('github_2.list_pull_requests');
  });
});
