// Unit tests of the engine's event emitter (no workers): listeners, off, the diagnostics
// channel, the free check when nobody listens, a throwing listener, and the tool-call payloads.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import type { CallSite } from '../../src/dispatch/index.js';
import { ToolInputError } from '../../src/errors.js';
import { EngineEvents, emitPoolEvent } from '../../src/observe/index.js';
import { resolveEngineOptions } from '../../src/options.js';
import { ToolCatalog } from '../../src/catalog/index.js';
import { InvalidOptionsError } from '../../src/errors.js';

const site = { executionId: 'tw-1', run: 0 } as CallSite;

describe('EngineEvents', () => {
  it('wants nothing until a listener or a channel subscriber exists, and nothing after off', () => {
    const events = new EngineEvents(false);
    expect(events.wants('tool:end')).toBe(false);
    expect(events.watching).toBe(false);
    const listener = vi.fn();
    events.on('tool:end', listener);
    expect(events.wants('tool:end')).toBe(true);
    expect(events.watching).toBe(true);
    events.off('tool:end', listener);
    expect(events.wants('tool:end')).toBe(false);
    const onMessage = (): void => {};
    subscribe('toolweaver:tool:start', onMessage);
    expect(events.wants('tool:start')).toBe(true);
    unsubscribe('toolweaver:tool:start', onMessage);
    expect(events.wants('tool:start')).toBe(false);
  });

  it('builds tool-call payloads without data, and with it when asked', () => {
    for (const withData of [false, true]) {
      const events = new EngineEvents(withData);
      const seen: unknown[] = [];
      events.on('tool:start', (event) => seen.push(event));
      events.on('tool:end', (event) => seen.push(event));
      const startedAt = events.started(site, 'get_user', 1, '["u-1"]');
      events.ended(site, 'get_user', 1, 0, startedAt, false, { ok: true, resultJson: '{"id":"u-1"}', bytes: 11 });
      events.ended(site, 'get_user', 2, 0, startedAt, true, { ok: false, message: 'get_user: bad', failed: { tool: 'get_user', callIndex: 2, error: new ToolInputError('get_user', ['bad']) } });
      expect(seen[0]).toEqual({ executionId: 'tw-1', callIndex: 1, run: 0, toolName: 'get_user', ...(withData ? { argumentsJson: '["u-1"]' } : {}) });
      expect(seen[1]).toMatchObject({ ok: true, bytes: 11, code: undefined, errorName: undefined, replayed: false });
      expect(seen[2]).toMatchObject({ ok: false, bytes: 0, code: 'ERR_TOOL_INPUT', errorName: 'ToolInputError', replayed: true });
      expect('resultJson' in (seen[1] as object)).toBe(withData);
      expect('message' in (seen[2] as object)).toBe(withData);
    }
  });

  it('reports a throwing listener as a warning and still calls the next one', () => {
    const events = new EngineEvents(false);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const next = vi.fn();
    events.on('execution:start', () => { throw new Error('bug'); });
    events.on('execution:start', next);
    events.emit('execution:start', { executionId: 'tw-1' });
    expect(next).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('turns a replacement pool process into started then replaced', () => {
    const events = new EngineEvents(false);
    const seen: string[] = [];
    events.on('pool:process-started', (event) => seen.push(`started ${event.pid}`));
    events.on('pool:process-replaced', (event) => seen.push(`replaced ${event.previousPid} by ${event.pid}`));
    emitPoolEvent(events, { type: 'process-started', pid: 10, previousPid: undefined, replacing: false });
    emitPoolEvent(events, { type: 'process-started', pid: 11, previousPid: 10, replacing: true });
    expect(seen).toEqual(['started 10', 'started 11', 'replaced 10 by 11']);
  });
});

describe('eventData option', () => {
  it('defaults to false and rejects a non-boolean', () => {
    const catalog = new ToolCatalog();
    expect(resolveEngineOptions({ catalog }).eventData).toBe(false);
    expect(resolveEngineOptions({ catalog, eventData: true }).eventData).toBe(true);
    expect(() => resolveEngineOptions({ catalog, eventData: 'yes' as never })).toThrow(InvalidOptionsError);
  });
});
