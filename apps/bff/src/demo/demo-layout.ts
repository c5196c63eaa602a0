import path from 'node:path';

export interface DemoLayout {
  /** The demo's media folder, imported in place like any user folder. */
  mediaDir: string;
  /** Ground-truth depth, surface ids and the manifest: never imported as media. */
  groundTruthDir: string;
}

export function demoLayout(demoDir: string): DemoLayout {
  return {
    mediaDir: path.join(demoDir, 'media'),
    groundTruthDir: path.join(demoDir, 'ground-truth'),
  };
}
