import { describe, expect, it } from 'vitest';
import { SlotAllocator } from './slot-allocator';

describe('the thumbnail slot allocator', () => {
  it('keeps a key in its slot and reuses the slot unused longest', () => {
    const slots = new SlotAllocator(2);
    const evicted: string[] = [];
    expect(slots.use('a', 1)).toBe(0);
    expect(slots.use('b', 2)).toBe(1);
    expect(slots.use('a', 3)).toBe(0);
    expect(slots.use('c', 4, (k) => evicted.push(k))).toBe(1);
    expect(evicted).toEqual(['b']);
    expect(slots.slotOf('b')).toBeUndefined();
    expect(slots.size).toBe(2);
  });

  it('never takes a slot in use this frame, and never grows', () => {
    const slots = new SlotAllocator(2);
    slots.use('a', 5);
    slots.use('b', 5);
    expect(slots.use('c', 5)).toBeUndefined();
    expect(slots.size).toBe(2);
    for (let i = 0; i < 10_000; i++) slots.use(`k${i}`, 6 + i);
    expect(slots.size).toBe(2);
  });
});
