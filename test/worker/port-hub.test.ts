// The port hub's attribution of uncaught exceptions (issue 15 §2): the script whose code the
// current macrotask entered is blamed, nobody when no script's entry covers the moment.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortHub, type RunHandle } from '../../src/worker/port-hub.js';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function setup() {
  const channel = new MessageChannel();
  channels.push(channel);
  const culprit = new Int32Array(new SharedArrayBuffer(4));
  const hub = createPortHub(channel.port1, culprit);
  const failed: Array<[string, unknown]> = [];
  const handle = (id: string): RunHandle => ({ settleCall: () => {}, cancel: () => {}, fail: (thrown) => failed.push([id, thrown]) });
  return { hub, culprit, failed, handle };
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('port hub: uncaught exceptions', () => {
  it('refuses to blame anyone when no script was entered', () => {
    const { hub, failed } = setup();
    expect(hub.blameUncaught(new Error('x'))).toBe(false);
    expect(failed).toEqual([]);
  });

  it('blames the script the current macrotask entered, and nobody once that macrotask is over', async () => {
    const { hub, culprit, failed, handle } = setup();
    hub.register('a', 1, handle('a'));
    hub.register('b', 2, handle('b'));
    hub.enter('a');
    hub.enter('b');
    expect(Atomics.load(culprit, 0)).toBe(2);
    const thrown = new Error('job');
    expect(hub.blameUncaught(thrown)).toBe(true);
    expect(failed).toEqual([['b', thrown]]);
    await nextMacrotask();
    expect(Atomics.load(culprit, 0)).toBe(0);
    expect(hub.blameUncaught(new Error('later'))).toBe(false);
    expect(failed).toHaveLength(1);
  });

  it('keeps the outcome of an entered script that has already ended, and blames no one else on its slot', () => {
    const { hub, failed, handle } = setup();
    hub.register('a', 1, handle('a'));
    hub.enter('a');
    hub.unregister('a');
    // A new script on the same slot, registered but not entered: not the one running.
    hub.register('c', 1, handle('c'));
    expect(hub.blameUncaught(new Error('leftover'))).toBe(true);
    expect(failed).toEqual([]);
  });
});
