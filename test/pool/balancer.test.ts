import { describe, expect, it } from 'vitest';
import { createBalancer } from '../../src/pool/script-pool.js';

type Balancer = ReturnType<typeof createBalancer>;
type Workers = Parameters<Balancer>[1];

/** Stand-ins for piscina's worker interfaces: only what the balancer reads. */
function workers(...usage: number[]): Workers {
  return usage.map((currentUsage, id) => ({ id, currentUsage })) as unknown as Workers;
}

/** Every thread has said hello (is ready). */
const EVERY = { has: () => true };

const choose = (balancer: Balancer, list: Workers): number | undefined => balancer({} as Parameters<Balancer>[0], list)?.id;

describe('createBalancer', () => {
  it('places on the least busy thread, an idle one first', () => {
    const balancer = createBalancer(4, new Set(), EVERY);
    expect(choose(balancer, workers(3, 1, 2))).toBe(1);
    expect(choose(balancer, workers(3, 2, 0))).toBe(2);
  });

  it('prefers a thread that answers pings over a less busy suspect one', () => {
    const balancer = createBalancer(4, new Set([0]), EVERY);
    expect(choose(balancer, workers(0, 3))).toBe(1);
  });

  // piscina looks at a task the balancer refused again only when a task ends or a thread
  // starts: refusing it while a suspect thread has room could leave it waiting for ever.
  it('places on a suspect thread with room rather than refusing the task', () => {
    const balancer = createBalancer(4, new Set([0, 1]), EVERY);
    expect(choose(balancer, workers(2, 1))).toBe(1);
    expect(choose(createBalancer(4, new Set([0]), EVERY), workers(2, 4))).toBe(0);
  });

  it('refuses only when every thread is full', () => {
    const balancer = createBalancer(2, new Set([1]), EVERY);
    expect(choose(balancer, workers(2, 2))).toBeUndefined();
  });

  it('among the least busy threads, places on a ready one before one still booting', () => {
    const balancer = createBalancer(4, new Set(), new Set([1]));
    expect(choose(balancer, workers(0, 0))).toBe(1);
    expect(choose(balancer, workers(2, 2, 1))).toBe(2);
    expect(choose(createBalancer(4, new Set(), new Set([1, 2])), workers(1, 1, 1))).toBe(1);
  });

  // A script holding the ready thread's CPU would hold a script placed beside it too.
  it('places on an idle booting thread rather than a busy ready one', () => {
    const balancer = createBalancer(4, new Set(), new Set([0]));
    expect(choose(balancer, workers(1, 0))).toBe(1);
    expect(choose(createBalancer(4, new Set(), new Set()), workers(1, 0))).toBe(1);
  });

  it('prefers a booting thread over a suspect one', () => {
    const balancer = createBalancer(4, new Set([0]), new Set([0]));
    expect(choose(balancer, workers(0, 2))).toBe(1);
  });
});
