import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { shrinkGlbTextures } from './glb-textures.ts';

/**
 * Controller and hand models the headset may ask for: the Quest family and the generic
 * fallbacks. Served by the app itself under /xr-profiles/ (a headset may have no internet).
 */
export const XR_PROFILE_IDS = [
  'meta-quest-touch-plus',
  'meta-quest-touch-plus-v2',
  'meta-quest-touch-pro',
  'oculus-touch-v3',
  'oculus-touch-v2',
  'generic-trigger',
  'generic-hand',
];

const profilesDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@webxr-input-profiles/assets/package.json')),
  'dist/profiles',
);

/**
 * Every file to serve, by its path under /xr-profiles/. Models have their textures scaled to
 * 512 px (glb-textures.ts): the Quest controllers' 2048² maps took 43 MB of GPU memory for two
 * controllers a few hundred pixels tall.
 */
function profileFiles(): Map<string, () => Promise<Buffer>> {
  const files = new Map<string, () => Promise<Buffer>>();
  const list = JSON.parse(readFileSync(path.join(profilesDir, 'profilesList.json'), 'utf8'));
  const shipped = Object.fromEntries(XR_PROFILE_IDS.map((id) => [id, list[id]]));
  files.set('profilesList.json', async () => Buffer.from(JSON.stringify(shipped)));
  for (const id of XR_PROFILE_IDS)
    for (const name of readdirSync(path.join(profilesDir, id))) {
      const read = () => readFileSync(path.join(profilesDir, id, name));
      files.set(
        `${id}/${name}`,
        name.endsWith('.glb') ? () => shrinkGlbTextures(read()) : async () => read(),
      );
    }
  return files;
}

export function xrProfiles(): Plugin {
  return {
    name: 'immichvr-xr-profiles',
    configureServer(server) {
      const files = profileFiles();
      server.middlewares.use('/xr-profiles/', (req, res, next) => {
        const file = files.get(decodeURIComponent((req.url ?? '').split('?')[0]?.slice(1) ?? ''));
        if (!file) return next();
        res.setHeader(
          'Content-Type',
          req.url?.endsWith('.json') ? 'application/json' : 'model/gltf-binary',
        );
        file().then(
          (bytes) => res.end(bytes),
          (error: Error) => next(error),
        );
      });
    },
    async generateBundle() {
      for (const [name, read] of profileFiles())
        this.emitFile({ type: 'asset', fileName: `xr-profiles/${name}`, source: await read() });
    },
  };
}
