import type { DeviceSession } from '@immichvr/shared';
import type { Queryable } from '../db/database';
import {
  type DeviceSessionRow,
  findLiveSession,
  listDeviceSessions,
  touchSession,
} from '../db/queries/sessions.queries';
import { hashToken } from '../security/tokens';

/** How long a checked token is trusted without asking the database (revocation takes this long). */
const CACHE_MS = 5_000;
/** last_seen_at is written at most this often per session. */
const TOUCH_MS = 60_000;

/**
 * Turns a session cookie into its device session: a database lookup by the token's hash, cached
 * a few seconds so a page load's dozens of requests cost one query.
 */
export class DeviceSessions {
  private cache = new Map<string, { session: DeviceSessionRow | null; at: number }>();
  private touched = new Map<string, number>();

  constructor(
    private readonly db: Queryable,
    private readonly cacheMs = CACHE_MS,
  ) {}

  async find(token: string): Promise<DeviceSessionRow | null> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && now - cached.at < this.cacheMs) return cached.session;
    const session = await findLiveSession(this.db, hash);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(hash, { session, at: now });
    if (session && now - (this.touched.get(session.id) ?? 0) > TOUCH_MS) {
      this.touched.set(session.id, now);
      await touchSession(this.db, session.id);
    }
    return session;
  }
}

/** Every paired device, newest first, as the API and `pnpm sessions` show them. */
export async function listSessions(db: Queryable): Promise<DeviceSession[]> {
  return (await listDeviceSessions(db)).map((s) => ({
    id: s.id,
    deviceName: s.device_name,
    createdAt: s.created_at.toISOString(),
    lastSeenAt: s.last_seen_at.toISOString(),
    revokedAt: s.revoked_at?.toISOString() ?? null,
  }));
}
