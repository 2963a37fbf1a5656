// Helpers for validator tests: capture what validateScript throws, reduced to comparable data.
import { expect } from 'vitest';
import { ScriptSyntaxError, SecurityValidationError } from '../../src/errors.js';
import { validateScript } from '../../src/validate/index.js';

/** What validateScript threw for `source`; fails the test when it did not throw. */
export function rejectionOf(source: string): unknown {
  try {
    validateScript(source);
  } catch (error) {
    return error;
  }
  expect.fail(`expected validateScript to reject:\n${source}`);
}

/** The violations (rule, line, column) of a script that must fail security validation. */
export function violationsOf(source: string): { rule: string; line: number; column: number }[] {
  const error = rejectionOf(source);
  expect(error).toBeInstanceOf(SecurityValidationError);
  const { code, violations } = error as SecurityValidationError;
  expect(code).toBe('ERR_SECURITY_VALIDATION');
  return violations.map(({ rule, line, column }) => ({ rule, line, column }));
}

/** Code and 1-based position of a script that must fail as a syntax error. */
export function syntaxErrorOf(source: string): { code: string; line: number; column: number } {
  const error = rejectionOf(source);
  expect(error).toBeInstanceOf(ScriptSyntaxError);
  const { code, line, column } = error as ScriptSyntaxError;
  return { code, line, column };
}
