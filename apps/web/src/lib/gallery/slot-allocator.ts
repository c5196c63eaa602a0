/**
 * A fixed number of texture slots shared by whatever is in view: a key keeps its slot while
 * it is used; a new key takes a free slot or the one unused longest. Never grows.
 */
export class SlotAllocator {
  private slots = new Map<string, { slot: number; usedAt: number }>();
  private free: number[];

  constructor(readonly capacity: number) {
    this.free = Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
  }

  slotOf(key: string): number | undefined {
    return this.slots.get(key)?.slot;
  }

  /**
   * The key's slot, taking one when it has none; undefined when every slot is used at `now`
   * (more tiles in view than slots). `evicted` is told which key lost its slot.
   */
  use(key: string, now: number, evicted?: (key: string) => void): number | undefined {
    const held = this.slots.get(key);
    if (held) {
      held.usedAt = now;
      return held.slot;
    }
    let slot = this.free.pop();
    if (slot === undefined) {
      let oldest: [string, { slot: number; usedAt: number }] | undefined;
      for (const entry of this.slots)
        if (entry[1].usedAt < now && (!oldest || entry[1].usedAt < oldest[1].usedAt))
          oldest = entry;
      if (!oldest) return undefined;
      this.slots.delete(oldest[0]);
      evicted?.(oldest[0]);
      slot = oldest[1].slot;
    }
    this.slots.set(key, { slot, usedAt: now });
    return slot;
  }

  get size(): number {
    return this.slots.size;
  }
}
