// Hostile payloads, for the README claim they enforce.
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ToolCallError } from 'toolweaver';
import { checkHostHealthAfterEach, engineFor, rejectionOf } from '../helpers.js';

checkHostHealthAfterEach();

describe('claim: no script can make the host allocate without bound', () => {
  it('refuses one oversized argument inside the script, before the host sees it', async () => {
    let called = 0;
    const engine = engineFor([{ name: 'save', handler: () => { called++; return null; } }], { maxArgumentChars: 1_000 });
    const result = await engine.execute('try { await save("x".repeat(2000)); } catch (error) { return error.message; }');
    expect(result.value).toBe('save: arguments are larger than 1000 characters of JSON');
    expect(called).toBe(0);
  });

  it('caps the arguments of all calls of one execution together', async () => {
    let received = 0;
    const engine = engineFor([{ name: 'save', handler: (value: string) => { received += value.length; return null; } }], { maxArgumentChars: 2_000_000, maxArgumentCharsPerExecution: 3_000_000 });
    const result = await engine.execute(`
      const big = 'x'.repeat(1000000);
      let refused = 0;
      for (let i = 0; i < 10000; i++) { try { await save(big); } catch { refused++; if (refused > 3) break; } }
      return refused;
    `);
    expect(result.value).toBe(4);
    expect(received).toBeLessThanOrEqual(3_000_000);
  });

  it('stops serializing an expanding toJSON at the bound', async () => {
    const engine = engineFor([{ name: 'save', handler: () => null }], { maxArgumentChars: 10_000 });
    const result = await engine.execute(`
      let made = 0;
      const bomb = { toJSON() { made++; return Array.from({ length: 100 }, () => bomb); } };
      try { await save(bomb); } catch (error) { return [error.message, made < 1000]; }
    `);
    expect(result.value).toEqual(['save: arguments are larger than 10000 characters of JSON', true]);
  });

  it('fails a call whose result is too large, with PayloadTooLargeError as the cause', async () => {
    const engine = engineFor([{ name: 'dump', handler: () => 'y'.repeat(50_000) }], { maxResultChars: 10_000 });
    const error = await rejectionOf(engine.execute('return (await dump()).length;'));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error.cause).toBeInstanceOf(PayloadTooLargeError);
    expect(error.cause.payload).toBe('result');
    expect(error.metadata.bytesFromTools).toBe(0);
  });

  it('fails the execution with PayloadTooLargeError for a returned value past maxValueChars', async () => {
    const engine = engineFor([], { maxValueChars: 1_000 });
    const error = await rejectionOf(engine.execute('return "z".repeat(5000);'));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error.code).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect(error.payload).toBe('value');
    expect(error.limit).toBe(1_000);
    expect((await engine.execute('return "small"')).value).toBe('small');
  });
});
