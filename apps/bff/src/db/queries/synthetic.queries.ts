import type { Queryable } from '../database';

/** The prefix that marks synthetic copies (never cloned again). */
export const SYNTHETIC_PREFIX = 'synthetic-';

/**
 * Adds `count` items that reuse the real items' files, their capture dates spread evenly over
 * the last `years` years: a library of any size for load tests and benchmarks, in one statement.
 */
export async function insertSyntheticItems(
  db: Queryable,
  count: number,
  years: number,
): Promise<number> {
  const { rows } = await db.query<{ added: string }>(
    `WITH sources AS (
       SELECT *, row_number() OVER (ORDER BY id) - 1 AS k
       FROM media_items WHERE original_filename NOT LIKE '${SYNTHETIC_PREFIX}%'
     ), inserted AS (
       INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type,
         width, height, duration_seconds, frame_rate, checksum, captured_at)
       SELECT '${SYNTHETIC_PREFIX}' || g || '-' || s.original_filename, s.media_type, s.file_path,
         s.file_size, s.mime_type, s.width, s.height, s.duration_seconds, s.frame_rate,
         md5('${SYNTHETIC_PREFIX}' || g),
         now() - (g * ($2::float8 * 365.25 * 86400 / $1)) * interval '1 second'
       FROM generate_series(1, $1::int) g
       JOIN sources s ON s.k = g % (SELECT count(*) FROM sources)
       RETURNING 1
     )
     SELECT count(*) AS added FROM inserted`,
    [count, years],
  );
  return Number(rows[0]?.added ?? 0);
}
