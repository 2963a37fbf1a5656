// Owns which keys a tool definition may carry: toolweaver's own, the AI SDK `tool()` fields it
// uses or may safely ignore, and the refusals (a typo with a did-you-mean, `needsApproval`
// until approvals exist, provider-executed tools). Pure; never reads a key's value beyond a flag.

import { ToolRegistrationError } from '../errors.js';
import { editDistance } from '../validate/index.js';

/** Keys toolweaver reads. */
const OWN_KEYS = ['name', 'description', 'input', 'output', 'inputSchema', 'parameters', 'outputSchema', 'concurrency', 'handler', 'execute', 'needsApproval'];

/**
 * Keys of an AI SDK 6 `tool()` that only matter to a model provider or to the SDK's own loop
 * (streaming input callbacks, provider options, how results are shown to the model). They are
 * accepted so `{ name, ...tool({...}) }` registers as is, and ignored.
 */
const IGNORED_AI_SDK_KEYS = ['type', 'title', 'providerOptions', 'metadata', 'inputExamples', 'strict', 'onInputStart', 'onInputDelta', 'onInputAvailable', 'toModelOutput'];

const KNOWN_KEYS: ReadonlySet<string> = new Set([...OWN_KEYS, ...IGNORED_AI_SDK_KEYS]);

/** Suggestions further than this many edits away are noise. */
const MAX_SUGGESTION_DISTANCE = 3;

/** The known key nearest to `key`, if any is close enough to be a typo. */
export function suggestDefinitionKey(key: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const known of KNOWN_KEYS) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    const limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, Math.floor(known.length / 3)));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key;
}

/**
 * Refuses what the catalog cannot honour: unknown keys (likely typos that would otherwise
 * fail only at the first call), `needsApproval` (nothing would ask), and AI SDK tools the
 * provider executes (there is nothing to run here).
 */
export function checkDefinitionKeys(name: string, definition: object): void {
  for (const key of Reflect.ownKeys(definition)) {
    if (typeof key === 'symbol' || KNOWN_KEYS.has(key)) continue;
    const suggestion = suggestDefinitionKey(key);
    const hint = suggestion === undefined ? `; expected one of ${[...KNOWN_KEYS].join(', ')}` : `; did you mean \`${suggestion}\`?`;
    throw new ToolRegistrationError(name, `Unknown key \`${key}\` in the definition of tool \`${name}\`${hint}`);
  }
  const { needsApproval, type } = definition as { needsApproval?: unknown; type?: unknown };
  // SECURITY: a tool marked for approval must never run unasked (README: API, `catalog.register`).
  if (needsApproval !== undefined && needsApproval !== false) {
    throw new ToolRegistrationError(
      name,
      `Tool \`${name}\` sets \`needsApproval\`, but this version of toolweaver cannot ask for approvals yet; remove it (or set it to false) only if the tool may run unasked`,
    );
  }
  if (type !== undefined && type !== 'function' && type !== 'dynamic') {
    throw new ToolRegistrationError(name, `Tool \`${name}\` has \`type\` ${JSON.stringify(type)}; only tools executed locally (\`function\` or \`dynamic\`) can be registered`);
  }
}
