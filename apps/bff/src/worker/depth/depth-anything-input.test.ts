import { describe, expect, it } from 'vitest';
import { modelInputSize } from './depth-anything-input';

describe('Depth Anything input size', () => {
  it.each([
    [4000, 3000, 700, 518],
    [3000, 4000, 518, 700],
    [518, 518, 518, 518],
    [1920, 1080, 924, 518],
    [100, 50, 1036, 518],
  ])('%i×%i → %i×%i (aspect kept, multiples of 14, short edge ≥ 518)', (w, h, ew, eh) => {
    const size = modelInputSize(w, h);
    expect(size).toEqual({ width: ew, height: eh });
    expect(size.width % 14).toBe(0);
    expect(size.height % 14).toBe(0);
  });
});
