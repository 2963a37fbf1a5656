// Owns toolweaver's side of the peer harness: the public API (`createEngine` from the build)
// with the fixture definitions registered in a ToolCatalog, as a user would; threads default
// to the machine's cores; `isolation` is the default 'process' or 'in-process'.

import { availableParallelism } from 'node:os';
import { ToolCatalog, createEngine } from '../../../dist/index.js';

/** @param {{ definitions: object[] }} tools @param {'process'|'in-process'} isolation */
export function createToolweaverRunner(tools, isolation) {
  const catalog = new ToolCatalog();
  for (const definition of tools.definitions) catalog.register(definition);
  const engine = createEngine({ catalog, threads: availableParallelism(), isolation });
  return {
    async run(code) {
      const { value, output } = await engine.execute(code);
      return { value, output };
    },
    close: () => engine.close(),
  };
}
