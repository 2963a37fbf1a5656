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
    // Output lines are capped in the thread, from the setup alone.
    const small = engineFor([toolNamed('a')], { isolation, maxOutputLines: 2 });
    const large = engineFor([toolNamed('a')], { isolation, maxOutputLines: 5 });
    const script = 'for (let i = 0; i < 5; i++) print(i); return await a();';
    const [fromSmall, fromLarge] = await Promise.all([small.execute(script), large.execute(script)]);
    expect(fromSmall).toMatchObject({ value: 'a', output: ['0', '1'], metadata: { outputTruncated: true } });
    expect(fromLarge).toMatchObject({ value: 'a', output: ['0', '1', '2', '3', '4'], metadata: { outputTruncated: false } });
  });
});
