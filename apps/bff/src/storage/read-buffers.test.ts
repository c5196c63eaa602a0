import { describe, expect, it } from 'vitest';
import { ReadBuffers } from './read-buffers';

describe('ReadBuffers', () => {
  it('hands a given-back buffer out again, at the length asked for', () => {
    const buffers = new ReadBuffers(1024);
    const a = buffers.take(100);
    expect(a.length).toBe(100);
    a[0] = 42;
    buffers.giveBack(a);
    const b = buffers.take(1024);
    expect(b.length).toBe(1024);
    expect(b.buffer).toBe(a.buffer);
    expect(b[0]).toBe(42);
    expect(() => buffers.take(1025)).toThrow(RangeError);
  });

  it('keeps at most `keep` idle buffers and none of another size', () => {
    const buffers = new ReadBuffers(1024, { keep: 2 });
    const taken = [buffers.take(10), buffers.take(10), buffers.take(10)];
    for (const b of taken) buffers.giveBack(b);
    expect(buffers.idleCount).toBe(2);
    buffers.giveBack(Buffer.allocUnsafeSlow(512));
    expect(buffers.idleCount).toBe(2);
    buffers.clear();
    expect(buffers.idleCount).toBe(0);
  });

  it('lets its idle buffers go once unused for idleMs', async () => {
    const buffers = new ReadBuffers(1024, { idleMs: 30 });
    buffers.giveBack(buffers.take(1));
    expect(buffers.idleCount).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(buffers.idleCount).toBe(0);
  });
});
