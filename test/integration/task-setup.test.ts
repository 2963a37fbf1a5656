// A task's setup (its tool bindings and limits) travels as one text, sent once per pool process
// and parsed once per thread: through the public API, every run still sees exactly the tools
// of the catalog version it was submitted under, in both isolations, while the catalog changes
// more often than either cache keeps setups.
import { describe, expect, it } from 'vitest';
import { ToolCatalog } from 'toolweaver';
import { engineFor } from '../helpers.js';

const toolNamed = (name: string) => ({ name, description: `tool ${name}`, input: { type: 'object', properties: {} }, handler: () => name });

describe.each(['process', 'in-process'] as const)('task setups (%s)', (isolation) => {
  it('gives each run the tools of the catalog it was submitted under, over many catalog versions', async () => {
    const catalog = new ToolCatalog();
    catalog.register(toolNamed('t0'));
    const engine = engineFor(catalog, { isolation });
    const results: Array<Promise<unknown>> = [];
    const expected: unknown[] = [];
    for (let n = 1; n <= 24; n++) {
      catalog.register(toolNamed(`t${n}`));
      // Several runs of each version, in flight together with those of later versions.
      for (let run = 0; run < 2; run++) {
        results.push(engine.execute(`return [await t${n}(), typeof t${n + 1}, typeof t0];`).then((result) => result.value));
        expected.push([`t${n}`, 'undefined', 'function']);
      }
    }
    expect(await Promise.all(results)).toEqual(expected);
  });

  it('keeps one engine\'s limits apart from another\'s on the same host', async () => {
    const small = engineFor([toolNamed('a')], { isolation, maxToolCalls: 2 });
    const large = engineFor([toolNamed('a')], { isolation, maxToolCalls: 5 });
    const script = 'let n = 0; try { for (let i = 0; i < 5; i++) { await a(); n++; } } catch { } return n;';
    const [fromSmall, fromLarge] = await Promise.allSettled([small.execute(script), large.execute(script)]);
    expect(fromSmall).toMatchObject({ status: 'rejected', reason: { code: 'ERR_TOOL_CALL_LIMIT' } });
    expect(fromLarge).toMatchObject({ status: 'fulfilled', value: { value: 5 } });
  });
});
