import type { Queryable } from '../../src/db/database';

const TABLES = [
  'media_items',
  'processing_queue',
  'depth_map_cache',
  'media_sources',
  'media_collections',
  'media_collection_items',
  'schema_migrations',
];

export interface ColumnInfo {
  column: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

export async function tableColumns(db: Queryable, table: string): Promise<ColumnInfo[]> {
  const { rows } = await db.query<ColumnInfo>(
    `SELECT column_name AS column,
       CASE WHEN data_type = 'USER-DEFINED' THEN udt_name
            WHEN data_type = 'character varying' THEN 'varchar(' || character_maximum_length || ')'
            WHEN data_type = 'numeric' THEN 'numeric(' || numeric_precision || ',' || numeric_scale || ')'
            ELSE data_type END AS type,
       is_nullable = 'YES' AS nullable,
       column_default AS default
     FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

export async function enumValues(db: Queryable, name: string): Promise<string[]> {
  const { rows } = await db.query<{ label: string }>(
    `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
     WHERE t.typname = $1 ORDER BY e.enumsortorder`,
    [name],
  );
  return rows.map((r) => r.label);
}

/**
 * Everything the migrations create, as text, for comparing two databases: tables and columns,
 * constraints, indexes, views, functions, triggers and enum values.
 */
export async function catalogSnapshot(db: Queryable): Promise<Record<string, unknown>> {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    columns:
      await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
        character_maximum_length, numeric_precision, numeric_scale
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
      ORDER BY table_name, ordinal_position`),
    constraints:
      await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1, 2`),
    views: await q(
      `SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1`,
    ),
    functions: await q(`SELECT proname, pg_get_functiondef(oid) AS def FROM pg_proc
      WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
    triggers:
      await q(`SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_statement
      FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 4`),
    enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e
      JOIN pg_type t ON t.oid = e.enumtypid ORDER BY 1, 3`),
  };
}

export { TABLES };
