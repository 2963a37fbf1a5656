// Writes random scripts that always terminate, for the property tests of validation: loops with
// bounded counts (single statements and blocks), labelled break/continue, switch, try/catch/
// finally, functions of every kind (arrows, methods, accessors, classes, generators, async),
// closures, destructuring, templates, and SES-rejected sequences in strings, comments and names.
// Driven by a choice sequence: shrinking its numbers towards 0 picks simpler alternatives.
import { functionScope, writeExpression, type Scope } from './random-expression.js';

/** The next choice in [0, n): 0 once the sequence is used up, so shorter is simpler. */
export type Choose = (n: number) => number;

/** Creates a Choose reading `choices` in order. */
export function chooserOf(choices: readonly number[]): Choose {
  let next = 0;
  return (n) => (next < choices.length ? choices[next++]! % n : 0);
}

/** Writes statements; scopes say which names, labels and jumps are legal at each point. */
export class ProgramWriter {
  readonly choose: Choose;
  #ids = 0;

  constructor(choose: Choose) {
    this.choose = choose;
  }

  one<T>(items: readonly T[]): T {
    return items[this.choose(items.length)]!;
  }

  int(min: number, max: number): number {
    return min + this.choose(max - min + 1);
  }

  fresh(prefix: string): string {
    return `${prefix}${this.#ids++}`;
  }

  expr(scope: Scope, depth = 2): string {
    return writeExpression(this, scope, depth);
  }

  /** A loop body: a block of statements, or one statement (the inserter must brace it). */
  body(scope: Scope): string {
    if (this.choose(2) === 0) return this.single(scope);
    return this.block(scope, this.int(1, 3));
  }

  block(scope: Scope, count: number): string {
    return `{ ${Array.from({ length: count }, () => this.statement(scope)).join(' ')} }`;
  }

  /** A statement legal as a loop body without braces (no declarations). */
  single(scope: Scope): string {
    const { mutable } = scope;
    switch (this.choose(6)) {
      case 0:
        return `out.push(${this.expr(scope)});`;
      case 1:
        return `${this.one(mutable)} += ${this.expr(scope, 1)};`;
      case 2:
        return `if (${this.expr(scope, 1)} > ${this.expr(scope, 1)}) ${this.single(scope)} else ${this.single(scope)}`;
      case 3:
        return ';';
      case 4:
        return scope.loopLabels.length + scope.loops > 0 ? this.jump(scope) : `out.push(${this.expr(scope)});`;
      default:
        return scope.depth > 0 ? this.loop({ ...scope, depth: scope.depth - 1 }) : `out.push(${this.expr(scope)});`;
    }
  }

  /** A conditional break or continue that stays inside the enclosing loops and labels. */
  jump(scope: Scope): string {
    const targets = [...(scope.loops > 0 ? ['break;', 'continue;'] : []), ...scope.loopLabels.flatMap((label) => [`break ${label};`, `continue ${label};`])];
    targets.push(...scope.blockLabels.map((label) => `break ${label};`));
    if (scope.breakable > scope.loops) targets.push('break;');
    return `if (${this.expr(scope, 1)} > ${this.int(0, 6)}) ${this.one(targets)}`;
  }

  loop(scope: Scope): string {
    const inner: Scope = { ...scope, loops: scope.loops + 1, breakable: scope.breakable + 1 };
    const label = this.choose(4) === 0 ? this.fresh('L') : undefined;
    if (label !== undefined) inner.loopLabels = [...scope.loopLabels, label];
    const n = this.int(0, 3);
    const counter = this.fresh('i');
    const withCounter: Scope = { ...inner, vars: [...inner.vars, counter] };
    const head = label === undefined ? '' : `${label}: `;
    switch (this.choose(7)) {
      case 0:
        return `${head}for (let ${counter} = 0; ${counter} < ${n}; ${counter}++) ${this.body(withCounter)}`;
      case 1:
        // `w --> 0` is `w-- > 0`; SES rejects the text `-->` anywhere.
        return `{ let ${counter} = ${n}; ${head}while (${counter}${this.one(['-- > 0', ' --> 0', '-->0'])}) ${this.body(withCounter)} }`;
      case 2:
        return `{ let ${counter} = ${n}; ${head}do ${this.body(withCounter)} while (--${counter} > 0); }`;
      case 3:
        return `${head}for (const ${counter} of [${this.expr(scope, 1)}, ${this.expr(scope, 1)}]) ${this.body(withCounter)}`;
      case 4:
        return `${head}for (const [${this.fresh('k')}, ${counter}] of Object.entries({ p: ${this.expr(scope, 1)}, "import(": ${n} })) ${this.body(withCounter)}`;
      case 5:
        return `${head}for (const ${counter} in { x: 1, "<!--": 2, y: 3 }) ${this.body({ ...inner, vars: [...inner.vars, `${counter}.length`] })}`;
      default:
        if (scope.isAsync) return `${head}for await (const ${counter} of [${this.expr(scope, 1)}, Promise.resolve(${n})]) ${this.body(withCounter)}`;
        return `${head}for (let ${counter} = ${n}; ${counter} > 0; ${counter} -= 1) ${this.body(withCounter)}`;
    }
  }

  statement(scope: Scope): string {
    if (scope.depth <= 0) return this.single(scope);
    const deeper: Scope = { ...scope, depth: scope.depth - 1 };
    switch (this.choose(16)) {
      case 0:
      case 1:
        return this.single(scope);
      case 2:
      case 3:
      case 14:
      case 15:
        return this.loop(deeper);
      case 4:
        return `switch (${this.expr(scope, 1)} & 3) { case 0: ${this.statement({ ...deeper, breakable: scope.breakable + 1 })} break; case 1: case 2: { ${this.statement({ ...deeper, breakable: scope.breakable + 1 })} } default: out.push("d"); }`;
      case 5:
        return this.tryStatement(deeper);
      case 6: {
        const name = this.fresh('v');
        return `{ let ${name} = ${this.expr(scope)}; ${this.statement({ ...deeper, vars: [...scope.vars, name], mutable: [...scope.mutable, name] })} out.push(${name}); }`;
      }
      case 7: {
        const [x, y] = [this.one(scope.mutable), this.one(scope.mutable)];
        return this.one([`[${x}, ${y}] = [${y}, ${this.expr(scope)}];`, `({ p: ${x}, q: ${y} = 5 } = { p: ${this.expr(scope)} });`]);
      }
      case 8:
        return this.one([
          `// import(x) <!-- eval(y) -->\nout.push("import(" + ${this.expr(scope, 1)});`,
          `/* --> import ( */ out.push('<!-- ' + ${this.expr(scope, 1)} + ' -->');`,
          `out.push(\`eval(${'${'}${this.expr(scope, 1)}}) <!--\`);`,
          `out.push(/import\\(|<!--|-->/.test("a-->b") ? "${'import('}" : "no");`,
        ]);
      case 9: {
        const label = this.fresh('B');
        return `${label}: { ${this.statement({ ...deeper, blockLabels: [...scope.blockLabels, label] })} if (${this.expr(scope, 1)} > 2) break ${label}; out.push("${label}"); }`;
      }
      case 10: {
        const f = this.fresh('local');
        const x = this.fresh('x');
        return `{ const ${f} = (${x}) => ${this.expr(functionScope(scope, [x]))}; out.push(${f}(${this.expr(scope, 1)})); }`;
      }
      case 11:
        if (scope.isGenerator) return `yield ${this.expr(scope)};`;
        if (scope.isAsync) return `out.push(await ${this.expr(scope)});`;
        return `out.push(\`t${'${'}${this.expr(scope)}}|${'${'}${this.expr(scope)}}\`);`;
      case 12:
        return scope.inFunction ? `if (${this.expr(scope, 1)} > 3) return ${this.expr(scope)};` : this.single(scope);
      default:
        return `if (${this.expr(scope, 1)} > ${this.expr(scope, 1)}) ${this.block(deeper, 2)} else ${this.block(deeper, 1)}`;
    }
  }

  tryStatement(scope: Scope): string {
    const error = this.fresh('e');
    const attempt = `${this.statement(scope)} if (${this.expr(scope, 1)} > 1) throw new Error("t" + ${this.expr(scope, 1)}); ${this.statement(scope)}`;
    switch (this.choose(5)) {
      case 0:
        return `try { ${attempt} } catch (${error}) { out.push(${error}.message); }`;
      case 4:
        // Uncaught unless an enclosing try catches it: the script may end with this error.
        return `try { ${attempt} } finally { out.push("unwinding"); }`;
      case 1:
        return `try { ${attempt} } catch { out.push("caught"); } finally { out.push("finally"); ${this.statement(scope)} }`;
      case 2:
        return `try { try { ${attempt} } finally { out.push("inner"); } } catch ({ message }) { out.push(message); }`;
      default:
        return `try { null.x; } catch (${error}) { out.push(${error}.name, ${error} instanceof TypeError); } finally { ${this.statement(scope)} }`;
    }
  }
}
