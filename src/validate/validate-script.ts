// Owns validateScript(): parse once, reject every forbidden construct, then hand back code
// SES will accept, wrapped so top-level await and return work. Runs on the main thread
// before anything is scheduled; must never return code for a script it has not validated.

import { ScriptSyntaxError, SecurityValidationError, UnknownToolError } from '../errors.js';
import { collectFacts } from './collect-facts.js';
import { findUnknownTools, type KnownTools } from './find-unknown-tools.js';
import { findViolations } from './find-violations.js';
import { COUNTER_DECLARATION, insertCheckpoints } from './insert-checkpoints.js';
import { normalizeInput, type Normalization, type NormalizedInput, type TakenFence } from './normalize-input.js';
import { normalizeForSes } from './normalize.js';
import { parseScript } from './parse.js';
import { findResultEdits, type ResultEdits } from './shape-result.js';

/** A validated script, ready for `compartment.evaluate()`. */
export interface PreparedScript {
  /**
   * Code to hand to `compartment.evaluate()`: the script (normalized: prose and TypeScript
   * blanked, `return` spliced before a last expression), with a call of the global
   * checkpoint at the head of every loop and function body (`if(--__tw_n<0)__tw_n=__tw_c()|0;`,
   * spliced into the line it starts on, so columns after it move but lines do not), possibly
   * regenerated, wrapped as `(async function () {var __tw_n=0,__tw_c=__tw_checkpoint;\n` + body +
   * `\n})()` (the counter's declaration only when there is a checkpoint) so top-level await and return work. The
   * wrapper's first line is its own line, so a runtime line L in `code` is line L-1 of the
   * text sent. Inside it, top-level `this` is undefined, as in the module the validator parsed.
   */
  code: string;
  /** True when the body had to be regenerated from the AST to get past SES's source checks. */
  regenerated: boolean;
  /** What was done to the text sent to make it a script, in order (empty for a plain script). */
  normalized: readonly Normalization[];
  /** The fence the script was taken from, when it came in a markdown reply. */
  fence?: TakenFence;
}

// SECURITY: "Scripts cannot reach ... the host's globals": SES runs `evaluate` with `this`
// bound to the Compartment's globalThis and `arguments` holding the source. An arrow wrapper
// would pass both through to top-level code (`this.eval`, `this.Function` are right there);
// a function called plainly from SES's strict code gets `this === undefined` and an empty
// `arguments`.
const WRAPPER_HEAD = '(async function () {\n';
const WRAPPER_TAIL = '\n})()';
const WRAPPER_HEAD_WITH_COUNTER = `(async function () {${COUNTER_DECLARATION}\n`;

/** What validation knows about the engine the script will run on. */
export interface ValidateOptions {
  /** The catalog's tools: calls of any other free name that is not a standard global are rejected. */
  tools?: KnownTools;
  /** Accept fences, TypeScript, wrappers and a last bare expression (normalize-input.ts). @default true */
  normalize?: boolean;
}

const NO_RESULT_EDITS: ResultEdits = { edits: [], shape: undefined };

function validateAndPrepare(source: string, options: ValidateOptions): PreparedScript {
  const normalize = options.normalize !== false;
  const input: NormalizedInput = normalize ? normalizeInput(source) : { text: source, parsed: parseScript(source), applied: [], fence: undefined };
  const { parsed } = input;
  // SECURITY: "Scripts cannot reach eval, Function, require, import, process or the host
  // globals": the facts the TypeScript walk gathered are collectFacts' on the AST it erased,
  // which is exactly what the blanked text parses to (strip-typescript.ts, typescript-facts.ts).
  const facts = parsed.facts ?? collectFacts(parsed.ast);
  const violations = findViolations(parsed, facts);
  // SECURITY: "Scripts cannot reach eval, Function, require, import, process or the
  // host globals": a script using a forbidden construct never runs; one error lists them all.
  if (violations.length > 0) throw new SecurityValidationError(violations);
  if (options.tools !== undefined) {
    const unknown = findUnknownTools(facts, options.tools);
    if (unknown.length > 0) throw new UnknownToolError(unknown);
  }
  // SECURITY: "A runaway script stops itself at its time limit": every loop and function
  // body calls the run's checkpoint, which throws once the run is out of time or stopped.
  const result = normalize ? findResultEdits(parsed.ast.program, input.text) : NO_RESULT_EDITS;
  const { body, regenerated } = normalizeForSes(insertCheckpoints(input.text, facts.checkpointSites, result.edits));
  const normalized = result.shape === undefined ? input.applied : [...input.applied, result.shape];
  // The counter is declared on the wrapper's own first line, so the script's lines stay put.
  const head = facts.checkpointSites.length > 0 ? WRAPPER_HEAD_WITH_COUNTER : WRAPPER_HEAD;
  const prepared: PreparedScript = { code: head + body + WRAPPER_TAIL, regenerated, normalized };
  if (input.fence !== undefined) prepared.fence = input.fence;
  return prepared;
}

/**
 * Validates an LLM-written script and prepares it for evaluation. Does not cache: the
 * caller decides whether repeated scripts are worth remembering.
 *
 * @throws {@link ScriptSyntaxError} when the script does not parse, is nested too deeply for
 *   the parser, or contains text the sandbox cannot accept in any form.
 * @throws {@link SecurityValidationError} listing every forbidden construct, in source order.
 * @throws {@link UnknownToolError} when `options.tools` is given and the script calls a free
 *   name that is neither a tool nor a standard global.
 */
export function validateScript(source: string, options: ValidateOptions = {}): PreparedScript {
  try {
    return validateAndPrepare(source, options);
  } catch (error) {
    // Babel's parser, traverse and generator recurse on the AST: a pathologically nested
    // script overflows the stack. That is the script's fault, not an engine failure.
    if (error instanceof RangeError) {
      throw new ScriptSyntaxError('The script is nested too deeply', 1, 1, { cause: error });
    }
    throw error;
  }
}
