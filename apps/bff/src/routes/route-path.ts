import type { Endpoint } from '@immichvr/shared';

/**
 * The path a contract endpoint is registered under in a router mounted at `mount` (Hono's
 * syntax): '/api/media/{id}/depth' in the router at '/api/media' → '/:id/depth'. The paths are
 * the shared contract's (`API` in @immichvr/shared), written nowhere else; an endpoint outside
 * the router's mount is a programming error, found when the app is created.
 */
export function routePath(endpoint: Endpoint, mount: string): string {
  const inside =
    mount === '/'
      ? endpoint.path
      : endpoint.path === mount
        ? '/'
        : endpoint.path.startsWith(`${mount}/`)
          ? endpoint.path.slice(mount.length)
          : null;
  if (inside === null) throw new Error(`${endpoint.path} is not served under ${mount}`);
  return inside.replace(/\{(\w+)\}/g, ':$1');
}
