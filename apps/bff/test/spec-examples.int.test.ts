import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const SPEC = new URL('../../../docs/database-schema.md', import.meta.url);

/** The ```sql blocks of the spec's "Usage Examples" section, by their heading. */
async function usageExamples(): Promise<Map<string, string>> {
  const text = await readFile(SPEC, 'utf8');
  const section = text.slice(
    text.indexOf('## Usage Examples'),
    text.indexOf('## Performance Considerations'),
  );
  const examples = new Map<string, string>();
  for (const match of section.matchAll(/### (.+)\n+```sql\n([\s\S]*?)```/g)) {
    examples.set(match[1] as string, match[2] as string);
  }
  return examples;
}

describe.each(ENGINES)('the spec usage examples on %s', (engine) => {
  let t: TestDatabase;
  let examples: Map<string, string>;
  const run = (title: string, replace: Record<string, string> = {}) => {
    let sql = examples.get(title);
    if (!sql) throw new Error(`no example "${title}" in the spec`);
    for (const [placeholder, value] of Object.entries(replace))
      sql = sql.replaceAll(placeholder, value);
    return t.db.query(sql);
  };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    examples = await usageExamples();
  });
  afterAll(async () => t?.cleanup());

  it('finds all seven examples', () => {
    expect([...examples.keys()]).toEqual([
      'Insert a new photo',
      'Queue a media item for processing',
      'Get next item to process',
      'Update processing status',
      'Cache a generated depth map',
      'Get processing statistics',
      'Find media without depth maps',
    ]);
  });

  it('runs every example as written, in order, with the results a reader expects', async () => {
    await run('Insert a new photo');
    const withoutDepth = await run('Find media without depth maps');
    expect(withoutDepth.rows.map((r) => r.original_filename)).toEqual(['vacation.jpg']);

    await run('Queue a media item for processing');
    const next = await t.db.transaction(async (tx) => {
      const sql = examples.get('Get next item to process') as string;
      return (await tx.query(sql)).rows[0];
    });
    expect(next?.file_path).toBe('/data/uploads/vacation.jpg');

    await run('Update processing status', { '<queue_id>': next?.id });
    const summary = await run('Get processing statistics');
    expect(summary.rows).toEqual([
      {
        status: 'processing',
        count: '1',
        avg_attempts: '1.00000000000000000000',
        avg_processing_time_seconds: null,
      },
    ]);

    await run('Cache a generated depth map', { '<media_id>': next?.media_item_id });
    expect((await run('Find media without depth maps')).rows).toEqual([]);
    const status = await t.db.query(
      'SELECT processing_status, depth_map_path FROM media_processing_status',
    );
    expect(status.rows).toEqual([
      { processing_status: 'processing', depth_map_path: '/data/depth_maps/vacation_depth.png' },
    ]);
  });
});

describe.runIf(ENGINES.includes('postgres' as never))(
  'the next-item example under concurrency on PostgreSQL',
  () => {
    it('never hands the same row to two workers', async () => {
      const t = await createTestDatabase('postgres');
      const examples = await usageExamples();
      const nextSql = examples.get('Get next item to process') as string;
      const jobs = 300;
      const workers = 8;
      try {
        await t.db.query(
          `WITH m AS (
           INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
           SELECT 'p' || n || '.jpg', 'photo', '/p/' || n, 1, 'image/jpeg' FROM generate_series(1, $1) n
           RETURNING id)
         INSERT INTO processing_queue (media_item_id, status) SELECT id, 'queued' FROM m`,
          [jobs],
        );
        const claimed: string[] = [];
        const pools = Array.from(
          { length: workers },
          () => new pg.Client({ connectionString: t.url }),
        );
        await Promise.all(pools.map((c) => c.connect()));
        await Promise.all(
          pools.map(async (client) => {
            for (;;) {
              await client.query('BEGIN');
              const { rows } = await client.query(nextSql);
              const row = rows[0];
              if (!row) {
                await client.query('COMMIT');
                return;
              }
              await client.query(
                (examples.get('Update processing status') as string).replace("'<queue_id>'", '$1'),
                [row.id],
              );
              await client.query('COMMIT');
              claimed.push(row.id);
            }
          }),
        );
        await Promise.all(pools.map((c) => c.end()));
        expect(claimed).toHaveLength(jobs);
        expect(new Set(claimed).size).toBe(jobs);
        const { rows } = await t.db.query(
          `SELECT count(*) AS n FROM processing_queue WHERE attempts = 1 AND status = 'processing'`,
        );
        expect(rows[0]).toEqual({ n: String(jobs) });
      } finally {
        await t.cleanup();
      }
    });
  },
);
