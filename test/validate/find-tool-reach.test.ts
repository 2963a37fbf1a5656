// The static reading of which tools marked for approval a script may call (the AI SDK code
// tool's `needsApproval`): every route to a tool counts, aliases and computed keys included;
// only a plain chain of member names to another tool, or a name that is not a reference, does not.
import { describe, expect, it } from 'vitest';
import { ToolCatalog } from '../../src/catalog/index.js';
import { findToolReach } from '../../src/validate/index.js';

const catalog = new ToolCatalog()
  .register({ name: 'send_email', needsApproval: true, handler: () => 'sent' })
  .register({ name: 'lookup', handler: () => 'found' })
  .register({ name: 'crm.find_leads', handler: () => [] })
  .register({ name: 'crm.delete_lead', needsApproval: () => true, handler: () => 'deleted' })
  .register({ name: 'crm.notes.add', handler: () => 'added' })
  .register({ name: 'crm.admin.purge', needsApproval: true, handler: () => 'purged' });
const marked = new Set(['send_email', 'crm.delete_lead', 'crm.admin.purge']);
const ALL_CRM = ['crm.admin.purge', 'crm.delete_lead'];
const reach = (code: string, normalize = true): string[] => findToolReach(code, { tools: { tree: catalog.scriptNames, names: [] }, counts: (name) => marked.has(name), normalize });

describe('claim 15: findToolReach never answers less than a script can call', () => {
  it.each([
    ['a direct call', 'await send_email("a")', ['send_email']],
    ['an alias', 'const f = send_email; await f("a")', ['send_email']],
    ['an array element', 'await [send_email][0]("a")', ['send_email']],
    ['a shorthand property', 'const o = { send_email }; await o.send_email("a")', ['send_email']],
    ['a tagged template', 'await send_email`a`', ['send_email']],
    ['a default parameter', 'async function go(send = send_email) { await send("a") } await go()', ['send_email']],
    ['an escaped identifier', 'await send_\\u0065mail("a")', ['send_email']],
    ['a callback', 'await Promise.all(["a"].map(send_email))', ['send_email']],
    ['a method of the tool', 'await send_email.call(undefined, "a")', ['send_email']],
    ['a typeof (counted: more, never less)', 'return typeof send_email', ['send_email']],
    ['a namespaced call', 'await crm.delete_lead("l-1")', ['crm.delete_lead']],
    ['optional chaining', 'await crm?.delete_lead?.("l-1")', ['crm.delete_lead']],
    ['a computed key on a namespace', 'await crm["delete" + "_lead"]("l-1")', ALL_CRM],
    ['a string key on a namespace', 'await crm["find_leads"]()', ALL_CRM],
    ['a destructured namespace', 'const { delete_lead } = crm; await delete_lead("l-1")', ALL_CRM],
    ['an aliased namespace', 'const c = crm; await c.find_leads()', ALL_CRM],
    ['a namespace in a sequence', 'await (0, crm).delete_lead("l-1")', ALL_CRM],
    ['a namespace passed on', 'const pick = (ns) => ns.delete_lead; await pick(crm)("l-1")', ALL_CRM],
    ['a computed key naming a tool', 'const k = "x"; return crm[k + String(send_email)]', [...ALL_CRM, 'send_email']],
    ['an aliased sub-namespace', 'const admin = crm.admin; await admin.purge()', ['crm.admin.purge']],
    ['a computed key on a sub-namespace', 'await crm.admin[String("purge")]()', ['crm.admin.purge']],
    ['TypeScript', 'const f: typeof send_email = send_email as any; await f("a")', ['send_email']],
    ['a markdown fence', 'Here it is:\n```js\nawait send_email("a")\n```', ['send_email']],
  ])('counts %s', (_label, code, expected) => {
    expect(reach(code)).toEqual(expected);
  });

  it.each([
    ['only free tools', 'const leads = await crm.find_leads(); return [await lookup(), leads]'],
    ['a sub-namespace of free tools', 'await crm.notes.add("n")'],
    ['a method of a free tool', 'await crm.find_leads.call(undefined)'],
    ['the name in a string', 'return "send_email"'],
    ['the name as an object key', 'return { send_email: 1, crm: 2 }'],
    ['the name as a member of something else', 'const x = { send_email: 1 }; return x.send_email'],
    ['a name that is not in the namespace', 'return crm.nope'],
  ])('does not count %s', (_label, code) => {
    expect(reach(code)).toEqual([]);
  });

  it('reads the text as it is when normalization is off', () => {
    expect(reach('await send_email("a")', false)).toEqual(['send_email']);
  });
});
