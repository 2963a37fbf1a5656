// Owns the host side of the tools for every engine of the peer harness: the fixture
// definitions (fixtures/tool-definitions.mjs, the same handlers toolweaver's catalog
// registers), a counter of the calls that reach a handler, and, for the peers, the mapping
// of a script's positional arguments onto the handler's named object (as toolweaver does).
// Peers do not validate arguments against the schemas; toolweaver does (this favours peers).

import { createFixtureToolDefinitions } from '../../fixtures/tool-definitions.mjs';

/**
 * The fixture tools at `latencyMs`, with every handler counting its calls.
 * @returns {{ definitions: object[], calls: { count: number } }}
 */
export function createCountedTools(latencyMs) {
  const calls = { count: 0 };
  const { definitions } = createFixtureToolDefinitions({ latencyMs });
  const counted = definitions.map((definition) => ({
    ...definition,
    handler: (input, ctx) => {
      calls.count++;
      return definition.handler(input, ctx);
    },
  }));
  return { definitions: counted, calls };
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A host dispatcher for a peer: `call(name, args, signal)` resolves with the handler's result.
 * One plain-object argument whose keys are all parameters is the named form; otherwise
 * arguments fill the parameters in schema order.
 */
export function createHostDispatcher(definitions) {
  const byName = new Map(definitions.map((d) => [d.name, { definition: d, parameters: Object.keys(d.input?.properties ?? {}) }]));
  const names = [...byName.keys()];
  function call(name, args, signal) {
    const tool = byName.get(name);
    if (tool === undefined) return Promise.reject(new Error(`Unknown tool \`${name}\``));
    const { definition, parameters } = tool;
    let named;
    if (args.length === 1 && isPlainObject(args[0]) && Object.keys(args[0]).every((key) => parameters.includes(key))) {
      named = args[0];
    } else {
      named = {};
      args.forEach((value, index) => {
        if (parameters[index] !== undefined && value !== undefined) named[parameters[index]] = value;
      });
    }
    return Promise.resolve().then(() => definition.handler(named, { signal }));
  }
  return { names, call };
}
