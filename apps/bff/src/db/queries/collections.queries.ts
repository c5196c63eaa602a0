import type { Queryable } from '../database';

export type CollectionKind = 'album' | 'person';

/** Creates or renames a source's albums or people; returns collection id by external id. */
export async function upsertCollections(
  db: Queryable,
  sourceId: string,
  kind: CollectionKind,
  collections: Array<{ externalId: string; name: string }>,
): Promise<Map<string, string>> {
  if (collections.length === 0) return new Map();
  await db.query(
    `INSERT INTO media_collections (source_id, kind, external_id, name)
     SELECT $1, $2, e, n FROM unnest($3::text[], $4::text[]) AS t(e, n)
     ON CONFLICT (source_id, kind, external_id) DO UPDATE SET name = EXCLUDED.name
       WHERE media_collections.name IS DISTINCT FROM EXCLUDED.name`,
    [sourceId, kind, collections.map((c) => c.externalId), collections.map((c) => c.name)],
  );
  return collectionIds(db, sourceId, kind);
}

export async function collectionIds(
  db: Queryable,
  sourceId: string,
  kind: CollectionKind,
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; external_id: string }>(
    'SELECT id, external_id FROM media_collections WHERE source_id = $1 AND kind = $2',
    [sourceId, kind],
  );
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/** Removes the source's albums or people that are not in `keep` (their memberships cascade). */
export async function removeCollectionsExcept(
  db: Queryable,
  sourceId: string,
  kind: CollectionKind,
  keep: string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM media_collections
     WHERE source_id = $1 AND kind = $2 AND NOT (external_id = ANY($3::text[]))`,
    [sourceId, kind, keep],
  );
  return rowCount ?? 0;
}

/** Sets a collection's members to these items of its source (by external id), in one statement each way. */
export async function replaceCollectionMembers(
  db: Queryable,
  collectionId: string,
  sourceId: string,
  itemExternalIds: string[],
): Promise<void> {
  await db.query(
    `DELETE FROM media_collection_items ci USING media_items m
     WHERE ci.collection_id = $1 AND m.id = ci.media_item_id
       AND NOT (m.external_id = ANY($3::text[]) AND m.source_id = $2)`,
    [collectionId, sourceId, itemExternalIds],
  );
  await db.query(
    `INSERT INTO media_collection_items (collection_id, media_item_id)
     SELECT $1, m.id FROM media_items m
     WHERE m.source_id = $2 AND m.external_id = ANY($3::text[])
     ON CONFLICT DO NOTHING`,
    [collectionId, sourceId, itemExternalIds],
  );
}

/**
 * Sets the people of these items (by external id) to the given people (external ids), for a
 * page of assets at once: their other person memberships go.
 */
export async function replaceItemPeople(
  db: Queryable,
  sourceId: string,
  people: Array<{ itemExternalId: string; personExternalIds: string[] }>,
): Promise<void> {
  if (people.length === 0) return;
  const pairs = people.flatMap((p) =>
    p.personExternalIds.map((person) => [p.itemExternalId, person]),
  );
  await db.query(
    `DELETE FROM media_collection_items ci
     USING media_items m, media_collections c
     WHERE m.id = ci.media_item_id AND c.id = ci.collection_id AND c.kind = 'person'
       AND m.source_id = $1 AND m.external_id = ANY($2::text[])`,
    [sourceId, people.map((p) => p.itemExternalId)],
  );
  if (pairs.length === 0) return;
  await db.query(
    `INSERT INTO media_collection_items (collection_id, media_item_id)
     SELECT c.id, m.id FROM unnest($2::text[], $3::text[]) AS t(item, person)
     JOIN media_items m ON m.source_id = $1 AND m.external_id = t.item
     JOIN media_collections c ON c.source_id = $1 AND c.kind = 'person' AND c.external_id = t.person
     ON CONFLICT DO NOTHING`,
    [sourceId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
}

export interface CollectionRow {
  id: string;
  kind: CollectionKind;
  name: string;
  item_count: string;
}

/** Every album and person with how many items of the library it holds, by name. */
export async function listCollections(db: Queryable): Promise<CollectionRow[]> {
  const { rows } = await db.query<CollectionRow>(
    `SELECT c.id, c.kind, c.name, count(ci.media_item_id)::text AS item_count
     FROM media_collections c LEFT JOIN media_collection_items ci ON ci.collection_id = c.id
     GROUP BY c.id ORDER BY c.kind, lower(c.name), c.id`,
  );
  return rows;
}
