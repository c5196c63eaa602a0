import * as THREE from 'three';
import { SlotAllocator } from '../lib/gallery/slot-allocator';

/** 8 × 8 slots of 256 px: one 2048² texture (~22 MB with mipmaps) however large the library. */
export const ATLAS = { slotsPerSide: 8, slotPixels: 256 } as const;
export const ATLAS_TEXTURE_NAME = 'gallery-thumbnail-atlas';
const MAX_LOADS = 6;

interface Load {
  id: string;
  url: string;
  abort: AbortController;
}

/**
 * Every thumbnail the VR gallery shows lives in one atlas texture: 256 px previews are fetched,
 * decoded off the main thread (createImageBitmap), centre-cropped to a square and copied into a
 * free slot on the GPU (texSubImage2D, no re-upload of the atlas). Slots are recycled as tiles
 * scroll away.
 */
export class ThumbnailAtlas {
  readonly texture: THREE.CanvasTexture;
  readonly slots = new SlotAllocator(ATLAS.slotsPerSide ** 2);
  private ready = new Set<string>();
  private failed = new Set<string>();
  private loading = new Map<string, Load>();
  private waiting: Array<Omit<Load, 'abort'>> = [];
  private scratch = document.createElement('canvas');
  private scratchTexture: THREE.CanvasTexture;
  private origin = new THREE.Vector2();
  private disposed = false;

  constructor(private readonly renderer: THREE.WebGLRenderer) {
    const size = ATLAS.slotsPerSide * ATLAS.slotPixels;
    const blank = document.createElement('canvas');
    blank.width = size;
    blank.height = size;
    const ctx = blank.getContext('2d') as CanvasRenderingContext2D;
    ctx.fillStyle = '#292a30';
    ctx.fillRect(0, 0, size, size);
    this.texture = new THREE.CanvasTexture(blank);
    this.texture.name = ATLAS_TEXTURE_NAME;
    this.texture.colorSpace = THREE.SRGBColorSpace;
    this.texture.minFilter = THREE.LinearMipmapLinearFilter;
    this.texture.anisotropy = 4;
    renderer.initTexture(this.texture);
    this.scratch.width = ATLAS.slotPixels;
    this.scratch.height = ATLAS.slotPixels;
    this.scratchTexture = new THREE.CanvasTexture(this.scratch);
    this.scratchTexture.colorSpace = THREE.SRGBColorSpace;
  }

  /**
   * The slot for an item shown this frame (`now`), and whether its picture is in it yet; starts
   * loading it when needed. Undefined when the atlas is full of tiles in view.
   */
  use(
    id: string,
    url: string,
    now: number,
  ): { slot: number; ready: boolean; failed: boolean } | undefined {
    const slot = this.slots.use(id, now, (evicted) => this.forget(evicted));
    if (slot === undefined) return undefined;
    const ready = this.ready.has(id);
    const failed = this.failed.has(id);
    if (!ready && !failed && !this.loading.has(id) && !this.waiting.some((w) => w.id === id)) {
      this.waiting.push({ id, url });
      this.pump();
    }
    return { slot, ready, failed };
  }

  /** UV offset of a slot's lower-left corner. */
  slotOrigin(slot: number): [number, number] {
    const n = ATLAS.slotsPerSide;
    return [(slot % n) / n, Math.floor(slot / n) / n];
  }

  get loaded(): number {
    return this.ready.size;
  }

  private forget(id: string): void {
    this.ready.delete(id);
    this.failed.delete(id);
    this.loading.get(id)?.abort.abort();
    this.loading.delete(id);
    this.waiting = this.waiting.filter((w) => w.id !== id);
  }

  private pump(): void {
    while (this.loading.size < MAX_LOADS && this.waiting.length) {
      const next = this.waiting.shift() as Omit<Load, 'abort'>;
      const load = { ...next, abort: new AbortController() };
      this.loading.set(load.id, load);
      void this.load(load).finally(() => {
        if (this.loading.get(load.id) === load) this.loading.delete(load.id);
        if (!this.disposed) this.pump();
      });
    }
  }

  private async load({ id, url, abort }: Load): Promise<void> {
    try {
      const response = await fetch(url, { signal: abort.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bitmap = await createImageBitmap(await response.blob());
      const slot = this.slots.slotOf(id);
      if (abort.signal.aborted || this.disposed || slot === undefined) {
        bitmap.close();
        return;
      }
      // Centre crop to a square, scaled to the slot.
      const side = Math.min(bitmap.width, bitmap.height);
      const ctx = this.scratch.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(
        bitmap,
        (bitmap.width - side) / 2,
        (bitmap.height - side) / 2,
        side,
        side,
        0,
        0,
        ATLAS.slotPixels,
        ATLAS.slotPixels,
      );
      bitmap.close();
      const [u, v] = this.slotOrigin(slot);
      const size = ATLAS.slotsPerSide * ATLAS.slotPixels;
      this.origin.set(u * size, v * size);
      this.renderer.copyTextureToTexture(this.scratchTexture, this.texture, null, this.origin);
      this.ready.add(id);
    } catch {
      // A preview that cannot be shown is marked on its tile (not retried while it stays in view).
      if (!abort.signal.aborted) this.failed.add(id);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const load of this.loading.values()) load.abort.abort();
    this.texture.dispose();
    this.scratchTexture.dispose();
  }
}
