import type { Queryable } from '../../src/db/database';

export type JobRow = Record<string, unknown>;

/**
 * Reading queue rows in tests: `job` fetches one, `until` polls it until it is in one of the given
 * statuses (or passes a predicate), failing with where it got stuck. `db` is a getter because the
 * suites open their database in beforeAll.
 */
export function queueJobs(db: () => Queryable, options: { pollMs: number; timeoutMs: number }) {
  const job = async (id: string) =>
    (await db().query('SELECT * FROM processing_queue WHERE id = $1', [id])).rows[0] as JobRow;
  const until = async (
    id: string,
    done: string[] | ((row: JobRow) => boolean),
    timeoutMs = options.timeoutMs,
  ): Promise<JobRow> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await job(id);
      if (Array.isArray(done) ? done.includes(String(row.status)) : done(row)) return row;
      if (Date.now() > deadline)
        throw new Error(
          `job still ${row.status}${row.progress === null ? '' : ` at ${row.progress}%`} (${row.last_error})`,
        );
      await new Promise((r) => setTimeout(r, options.pollMs));
    }
  };
  return { job, until };
}
