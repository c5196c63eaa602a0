import type { Queryable } from '../database';

export interface DeviceSessionRow {
  id: string;
  device_name: string;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
}

export async function insertDeviceSession(
  db: Queryable,
  tokenHash: string,
  deviceName: string,
): Promise<DeviceSessionRow> {
  const { rows } = await db.query<DeviceSessionRow>(
    `INSERT INTO device_sessions (token_hash, device_name) VALUES ($1, $2)
     RETURNING id, device_name, created_at, last_seen_at, revoked_at`,
    [tokenHash, deviceName],
  );
  return rows[0] as DeviceSessionRow;
}

/** The live (not revoked) session of a token hash. */
export async function findLiveSession(
  db: Queryable,
  tokenHash: string,
): Promise<DeviceSessionRow | null> {
  const { rows } = await db.query<DeviceSessionRow>(
    `SELECT id, device_name, created_at, last_seen_at, revoked_at FROM device_sessions
     WHERE token_hash = $1 AND revoked_at IS NULL`,
    [tokenHash],
    { prepareAs: 'find_live_session' },
  );
  return rows[0] ?? null;
}

export async function touchSession(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE device_sessions SET last_seen_at = now() WHERE id = $1', [id]);
}

export async function listDeviceSessions(db: Queryable): Promise<DeviceSessionRow[]> {
  const { rows } = await db.query<DeviceSessionRow>(
    `SELECT id, device_name, created_at, last_seen_at, revoked_at FROM device_sessions
     ORDER BY created_at DESC`,
  );
  return rows;
}

/** Revokes sessions whose id starts with `idPrefix` (or all with `all`); returns how many. */
export async function revokeSessions(db: Queryable, idPrefix: string | 'all'): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE device_sessions SET revoked_at = now()
     WHERE revoked_at IS NULL AND ($1::text = 'all' OR id::text LIKE $1 || '%')`,
    [idPrefix],
  );
  return rowCount ?? 0;
}
