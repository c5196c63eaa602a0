import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
// pg's own parameter serialisation (Date → timestamptz text, arrays → array literals, objects → JSON).
// @ts-expect-error: pg ships no types for its internal utils module
import pgUtils from 'pg/lib/utils.js';
import type { Queryable } from './database';

const { prepareValue } = pgUtils as { prepareValue: (value: unknown) => unknown };

/**
 * Parsers for every type node-postgres parses, so embedded rows come back typed exactly as
 * PostgreSQL rows do through `pg` (int8 and numeric as strings, timestamptz as Date, json parsed).
 */
export function pgCompatibleParsers(): Record<number, (value: string) => unknown> {
  const unknownParser = pg.types.getTypeParser(0x7fffffff as never);
  const parsers: Record<number, (value: string) => unknown> = {};
  for (let oid = 0; oid < 10_000; oid++) {
    const parser = pg.types.getTypeParser(oid as never);
    if (parser !== unknownParser) parsers[oid] = parser as (value: string) => unknown;
  }
  return parsers;
}

/**
 * PGlite (or one of its transactions) behind the same interface as a pg.Pool.
 *
 * PGlite's own node-postgres bridge is not used: after a failed parameterised query its connection
 * stopped answering ("Connection terminated unexpectedly").
 */
export function pgliteQueryable(target: PGlite | Transaction): Queryable {
  return {
    async query(text, params) {
      return toQueryResult(await target.query(text, (params ?? []).map(prepareValue)));
    },
    async exec(script) {
      await target.exec(script);
    },
  } as Queryable;
}

function toQueryResult(result: Results | undefined): pg.QueryResult {
  const rows = (result?.rows ?? []) as pg.QueryResultRow[];
  return {
    rows,
    rowCount: result?.affectedRows ?? rows.length,
    command: '',
    oid: 0,
    fields: (result?.fields ?? []).map(
      (f) => ({ name: f.name, dataTypeID: f.dataTypeID }) as pg.FieldDef,
    ),
  };
}
