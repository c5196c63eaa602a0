import { DEPTH_MAP_FORMATS, MEDIA_TYPES, PROCESSING_STATUSES } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate';
import { enumValues, tableColumns } from './helpers/catalog';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const TZ = 'timestamp with time zone';
/** The spec's columns, in its order, with the types chosen where it is silent. */
const SPEC_COLUMNS: Record<string, Array<[string, string, boolean]>> = {
  media_items: [
    ['id', 'uuid', false],
    ['original_filename', 'varchar(255)', false],
    ['media_type', 'media_type', false],
    ['file_path', 'text', false],
    ['file_size', 'bigint', false],
    ['mime_type', 'varchar(255)', false],
    ['width', 'integer', true],
    ['height', 'integer', true],
    ['duration_seconds', 'numeric(12,3)', true],
    ['frame_rate', 'numeric(9,4)', true],
    ['checksum', 'varchar(64)', true],
    ['captured_at', TZ, true],
    ['uploaded_at', TZ, false],
    ['user_id', 'uuid', true],
    ['created_at', TZ, false],
    ['updated_at', TZ, false],
  ],
  processing_queue: [
    ['id', 'uuid', false],
    ['media_item_id', 'uuid', false],
    ['status', 'processing_status', false],
    ['priority', 'integer', false],
    ['attempts', 'integer', false],
    ['max_attempts', 'integer', false],
    ['last_error', 'text', true],
    ['error_count', 'integer', false],
    ['queued_at', TZ, false],
    ['started_at', TZ, true],
    ['completed_at', TZ, true],
    ['processing_duration_seconds', 'numeric(12,3)', true],
    ['created_at', TZ, false],
    ['updated_at', TZ, false],
  ],
  depth_map_cache: [
    ['id', 'uuid', false],
    ['media_item_id', 'uuid', false],
    ['file_path', 'text', false],
    ['file_size', 'bigint', false],
    ['format', 'depth_map_format', false],
    ['width', 'integer', false],
    ['height', 'integer', false],
    ['model_name', 'varchar(255)', true],
    ['model_version', 'varchar(255)', true],
    ['processing_params', 'jsonb', false],
    ['checksum', 'varchar(64)', true],
    ['generated_at', TZ, false],
    ['accessed_at', TZ, false],
    ['access_count', 'integer', false],
    ['created_at', TZ, false],
    ['updated_at', TZ, false],
  ],
};

/** Columns later migrations append (05-queue-leases, 07-video-depth, 09-media-sources). */
const EXTENSION_COLUMNS: Record<string, Array<[string, string, boolean]>> = {
  media_items: [
    ['source_id', 'uuid', true],
    ['external_id', 'text', true],
    ['is_favorite', 'boolean', false],
  ],
  processing_queue: [
    ['locked_by', 'varchar(255)', true],
    ['lease_expires_at', TZ, true],
    ['requested_by', 'varchar(16)', false],
    ['progress', 'smallint', true],
  ],
};

const SPEC_INDEXES = [
  'idx_media_items_media_type',
  'idx_media_items_user_id',
  'idx_media_items_uploaded_at',
  'idx_media_items_checksum',
  'idx_processing_queue_status',
  'idx_processing_queue_media_item_id',
  'idx_processing_queue_priority',
  'idx_processing_queue_status_priority',
  'idx_depth_map_cache_media_item_id',
  'idx_depth_map_cache_accessed_at',
  'idx_depth_map_cache_generated_at',
  'idx_depth_map_cache_checksum',
];

const SPEC_VIEWS: Record<string, string[]> = {
  processing_queue_summary: ['status', 'count', 'avg_attempts', 'avg_processing_time_seconds'],
  media_processing_status: [
    'media_id',
    'original_filename',
    'media_type',
    'uploaded_at',
    'processing_status',
    'processing_attempts',
    'last_error',
    'depth_map_id',
    'depth_map_path',
    'depth_map_generated_at',
  ],
};

describe.each(ENGINES)('schema on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.cleanup());

  it('has every column of the spec with its type and nullability, in order, then only the documented extensions', async () => {
    for (const [table, expected] of Object.entries(SPEC_COLUMNS)) {
      const actual = (await tableColumns(t.db, table)).map((c) => [c.column, c.type, c.nullable]);
      expect(actual, table).toEqual([...expected, ...(EXTENSION_COLUMNS[table] ?? [])]);
    }
  });

  it('has the three enums with their values in order, mirrored by the shared package', async () => {
    expect(await enumValues(t.db, 'media_type')).toEqual([...MEDIA_TYPES]);
    expect(await enumValues(t.db, 'processing_status')).toEqual([...PROCESSING_STATUSES]);
    expect(await enumValues(t.db, 'depth_map_format')).toEqual([...DEPTH_MAP_FORMATS]);
  });

  it('has all twelve named indexes', async () => {
    const { rows } = await t.db.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx_%'`,
    );
    const names = rows.map((r) => r.indexname);
    for (const index of SPEC_INDEXES) expect(names).toContain(index);
  });

  it('has both views, the spec columns first and in order', async () => {
    for (const [view, expected] of Object.entries(SPEC_VIEWS)) {
      const columns = (await tableColumns(t.db, view)).map((c) => c.column);
      expect(columns.slice(0, expected.length), view).toEqual(expected);
    }
  });

  it('has the updated_at trigger on all three tables (and the sources and collections of 09)', async () => {
    const { rows } = await t.db.query<{
      table: string;
      timing: string;
      event: string;
      statement: string;
    }>(
      `SELECT event_object_table AS table, action_timing AS timing, event_manipulation AS event,
         action_statement AS statement
       FROM information_schema.triggers
       WHERE trigger_schema = 'public' AND trigger_name LIKE 'update\\_%\\_updated\\_at' ORDER BY 1`,
    );
    const tables = [
      'depth_map_cache',
      'media_collections',
      'media_items',
      'media_sources',
      'processing_queue',
    ];
    expect(rows.map((r) => r.table)).toEqual(tables);
    for (const row of rows) {
      expect([row.timing, row.event]).toEqual(['BEFORE', 'UPDATE']);
      expect(row.statement).toContain('update_updated_at_column()');
    }
  });

  it('notifies media_events on queue, depth map and item changes (04-media-events; 13: what a statement adds, per statement)', async () => {
    const { rows } = await t.db.query<{ name: string; timing: string; event: string }>(
      `SELECT trigger_name AS name, action_timing AS timing, event_manipulation AS event
       FROM information_schema.triggers
       WHERE trigger_schema = 'public' AND trigger_name LIKE '%notify%' ORDER BY 1, 3`,
    );
    expect(rows.map((r) => `${r.name} ${r.timing} ${r.event}`)).toEqual([
      'depth_map_cache_notify_insert_delete AFTER DELETE',
      'depth_map_cache_notify_insert_delete AFTER INSERT',
      'depth_map_cache_notify_update AFTER UPDATE',
      'media_items_notify_delete AFTER DELETE',
      'media_items_notify_insert AFTER INSERT',
      'processing_queue_notify_insert AFTER INSERT',
      'processing_queue_notify_update AFTER UPDATE',
    ]);
  });

  it('cascades deletes from media_items and enforces the two UNIQUEs on depth_map_cache', async () => {
    const { rows } = await t.db.query<{ tbl: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype IN ('f', 'u') AND connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      {
        tbl: 'depth_map_cache',
        def: 'FOREIGN KEY (media_item_id) REFERENCES media_items(id) ON DELETE CASCADE',
      },
      { tbl: 'depth_map_cache', def: 'UNIQUE (file_path)' },
      { tbl: 'depth_map_cache', def: 'UNIQUE (media_item_id)' },
      // 06-device-sessions: a token is one device's.
      { tbl: 'device_sessions', def: 'UNIQUE (token_hash)' },
      // 09-media-sources: items tied to their source by id; albums and people per source.
      {
        tbl: 'media_collection_items',
        def: 'FOREIGN KEY (collection_id) REFERENCES media_collections(id) ON DELETE CASCADE',
      },
      {
        tbl: 'media_collection_items',
        def: 'FOREIGN KEY (media_item_id) REFERENCES media_items(id) ON DELETE CASCADE',
      },
      {
        tbl: 'media_collections',
        def: 'FOREIGN KEY (source_id) REFERENCES media_sources(id) ON DELETE CASCADE',
      },
      { tbl: 'media_collections', def: 'UNIQUE (source_id, kind, external_id)' },
      {
        tbl: 'media_items',
        def: 'FOREIGN KEY (source_id) REFERENCES media_sources(id) ON DELETE RESTRICT',
      },
      { tbl: 'media_sources', def: 'UNIQUE (kind, location)' },
      {
        tbl: 'processing_queue',
        def: 'FOREIGN KEY (media_item_id) REFERENCES media_items(id) ON DELETE CASCADE',
      },
    ]);
  });
});

describe.each(ENGINES)('the spec migration alone on %s', (engine) => {
  it('creates media_processing_status with exactly the spec columns', async () => {
    const t = await createTestDatabase(engine, { migrate: false });
    try {
      const [first] = await loadMigrations();
      await migrate(t.db, first ? [first] : []);
      for (const [view, expected] of Object.entries(SPEC_VIEWS)) {
        expect(
          (await tableColumns(t.db, view)).map((c) => c.column),
          view,
        ).toEqual(expected);
      }
    } finally {
      await t.cleanup();
    }
  });
});
