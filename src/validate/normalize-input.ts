// Owns reading code as a model sends it: the fence to run out of a markdown reply, TypeScript
// stripped, `export default` called, and the one JavaScript AST validation uses (a parse, or
// the TypeScript parse with its types erased, never two parses of a common script). Every
// step keeps each line and column where the model wrote it (blanking, never deleting), so
// positions need no map. Must never change a text that already parses as a plain script.

import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';
import { ScriptSyntaxError } from '../errors.js';
import { beginsWithProse, blankOutsideFence, chooseFence, findFences, mayHoldFence, type Fence } from './extract-fence.js';
import { parseScript, probeScript, type ParsedScript } from './parse.js';
import { rewriteExportDefault } from './shape-result.js';
import { stripTypeScript } from './strip-typescript.js';

const TYPESCRIPT_FENCES: ReadonlySet<string> = new Set(['ts', 'typescript', 'mts']);

/** A normalization the engine applied to a script, as listed in `metadata.normalized`. */
export type Normalization = 'fence' | 'typescript' | 'wrapper' | 'last-expression';

/** The fence a script was taken from. */
export interface TakenFence {
  /** 0-based index among all fences of the text. */
  index: number;
  /** Its language (`js`, `ts`, ...), empty for a bare fence. */
  language: string;
  /** 1-based line of its opening ``` in the text sent. */
  line: number;
}

/** The text validation works on, parsed, and what was done to get it. */
export interface NormalizedInput {
  /** Same length and line breaks as the text sent up to any `export default` call added at its end. */
  text: string;
  parsed: ParsedScript;
  applied: Normalization[];
  fence: TakenFence | undefined;
}

function tryParse(text: string, recover = true): ParsedScript | ScriptSyntaxError {
  try {
    return parseScript(text, { recover });
  } catch (error) {
    if (error instanceof ScriptSyntaxError) return error;
    throw error;
  }
}

function isLater(a: ScriptSyntaxError, b: ScriptSyntaxError): boolean {
  return a.line > b.line || (a.line === b.line && a.column > b.column);
}

/**
 * Parses `text` as JavaScript, else as TypeScript stripped to JavaScript; throws the error
 * that got further. Code from a TypeScript fence is read as TypeScript first: the model said
 * what it is, and the failing JavaScript probe is skipped. Probes stop at their first error;
 * only when both fail does the recovering parse run, to report `with` as a violation.
 */
function parseOrStrip(text: string, applied: Normalization[], typescriptFirst: boolean): { text: string; parsed: ParsedScript } {
  if (!typescriptFirst) {
    const probed = probeScript(text);
    if (probed !== undefined) return { text, parsed: probed };
  }
  const stripped = stripTypeScript(text);
  if ('code' in stripped) {
    if (stripped.code !== text) applied.push('typescript');
    return { text: stripped.code, parsed: stripped.parsed ?? parseScript(stripped.code) };
  }
  const parsed = tryParse(text);
  if (!(parsed instanceof ScriptSyntaxError)) return { text, parsed };
  throw isLater(stripped.failure, parsed) ? stripped.failure : parsed;
}

/** True when a template literal of `ast` starts at `offset` (only nodes spanning it are walked). */
function templateStartsAt(ast: Node, offset: number): boolean {
  const stack: Node[] = [ast];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'TemplateLiteral' && node.start === offset) return true;
    const record = node as unknown as Record<string, unknown>;
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      const children = ([] as unknown[]).concat(record[key] ?? []);
      for (const child of children as (Node | null)[]) {
        if (child !== null && child.start! <= offset && offset < child.end!) stack.push(child);
      }
    }
  }
  return false;
}

/**
 * A fence is taken unless the whole text is a plain script in which the fence's backticks
 * are not code: ```` ``` ```` in code position is an empty template string used as a tag
 * (`Answer:\n```js` is a label and such a call), which always throws, so such a text is a
 * reply, not a script. A fence inside a comment or string is the script's own text.
 */
function isReply(parsed: ParsedScript | undefined, fence: Fence): boolean {
  if (parsed === undefined) return true;
  return templateStartsAt(parsed.ast.program, fence.openAt);
}

/** The text to validate for `source`, the model's reply or script, parsed once as JavaScript. */
export function normalizeInput(source: string): NormalizedInput {
  const applied: Normalization[] = [];
  let text = source;
  let fence: TakenFence | undefined;
  if (mayHoldFence(source)) {
    const chosen = chooseFence(findFences(source));
    if (chosen !== undefined) {
      // A reply that opens with prose is not parsed whole: that parse can only fail.
      const whole = beginsWithProse(source) ? undefined : probeScript(source);
      if (!isReply(whole, chosen)) return { text: source, parsed: whole!, applied, fence };
      text = blankOutsideFence(source, chosen);
      fence = { index: chosen.index, language: chosen.language, line: chosen.line };
      applied.push('fence');
    }
  }
  let result = parseOrStrip(text, applied, fence !== undefined && TYPESCRIPT_FENCES.has(fence.language));
  const called = rewriteExportDefault(result.parsed.ast.program, result.text);
  if (called !== undefined) {
    applied.push('wrapper');
    result = { text: called, parsed: parseScript(called) };
  }
  return { text: result.text, parsed: result.parsed, applied, fence };
}
