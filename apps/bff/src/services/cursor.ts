import { BadRequestError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A keyset position: the last row's timestamp and id. */
export interface CursorKey {
  at: Date;
  id: string;
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== 'string' || !isUuid(id) || Number.isNaN(date.getTime())) throw new Error();
    return { at: date, id };
  } catch {
    throw new BadRequestError('cursor is not one this server issued');
  }
}

/**
 * One keyset page: asks `fetch` for one row more than the page, so a next cursor is given only
 * when another row follows (the library and the queue page the same way).
 */
export async function keysetPage<R, T>(
  limit: number,
  fetch: (limitPlusOne: number) => Promise<R[]>,
  keyOf: (row: R) => CursorKey,
  toItem: (row: R) => T,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const rows = await fetch(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
