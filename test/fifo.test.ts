import { describe, expect, it } from 'vitest';
import { Fifo } from '../src/fifo.js';

describe('Fifo', () => {
  it('returns items in insertion order across compactions', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 10; i++) fifo.push(i);
    for (let i = 0; i < 7; i++) out.push(fifo.shift()!);
    for (let i = 10; i < 15; i++) fifo.push(i);
    while (fifo.length > 0) out.push(fifo.shift()!);
    expect(out).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(fifo.shift()).toBeUndefined();
  });
});
