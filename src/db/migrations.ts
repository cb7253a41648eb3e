import { NAMED_LABELS, RECORD_LABEL, RECORD_RELATIONSHIP_TYPES } from '../records/vocabulary';
import type { Database } from './database';
import { WATCHLIST_LABEL, WEBHOOK_DELIVERY_LABEL } from '../queries/watchlists';

/**
 * Constraints and indexes, applied at start-up. Every statement is idempotent (IF NOT EXISTS), so applying
 * them again changes nothing; the schema version node records that they ran, for /readyz. Every statement
 * runs on Neo4j 5.26 LTS and on the 2025/2026 releases.
 */
export const SCHEMA_VERSION = 4;

/** Relationship types that carry their own stable id (MERGE keys on it). */
export const RELATIONSHIP_TYPES_WITH_ID = RECORD_RELATIONSHIP_TYPES;

/** The plain id index a relationship type had up to schema version 3. */
export const relationshipIdIndex = (type: string): string => `${type.toLowerCase()}_id`;
/** The uniqueness constraint on a relationship type's id (schema version 4), with its own index. */
export const relationshipIdConstraint = (type: string): string => `${type.toLowerCase()}_id_unique`;

export const MIGRATIONS: readonly string[] = [
  // Every node carries :Record and a globally unique id, so node(id) is one index lookup.
  `CREATE CONSTRAINT record_id IF NOT EXISTS FOR (n:${RECORD_LABEL}) REQUIRE n.id IS UNIQUE`,
  'CREATE INDEX organization_type IF NOT EXISTS FOR (n:Organization) ON (n.type)',
  'CREATE INDEX model_release IF NOT EXISTS FOR (n:AIModel) ON (n.releaseDate)',
  // A policy covers "every model of these developers"; access checks and sweeps look models up by developer.
  'CREATE INDEX model_developer IF NOT EXISTS FOR (n:AIModel) ON (n.developer)',
  // A policy's starting points include every entity based in a targeted country.
  'CREATE INDEX organization_headquarters IF NOT EXISTS FOR (n:Organization) ON (n.headquarters)',
  'CREATE INDEX organization_incorporation IF NOT EXISTS FOR (n:Organization) ON (n.incorporation)',
  'CREATE INDEX allegation_date IF NOT EXISTS FOR (n:Allegation) ON (n.date)',
  // Version 4: a relationship record's id is unique within its type, as a node's is, so two writes creating
  // one new stake at once cannot both store it (the second fails and answers CONFLICT). The constraint's own
  // index replaces the plain id index of versions 1-3, dropped first (one schema cannot hold both).
  ...RELATIONSHIP_TYPES_WITH_ID.map((type) => `DROP INDEX ${relationshipIdIndex(type)} IF EXISTS`),
  ...RELATIONSHIP_TYPES_WITH_ID.map(
    (type) =>
      `CREATE CONSTRAINT ${relationshipIdConstraint(type)} IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.id IS UNIQUE`,
  ),
  // Record time (issue 12): past versions by record id and by a relationship's ends, change sets by id and time.
  'CREATE INDEX record_version_id IF NOT EXISTS FOR (v:RecordVersion) ON (v.id)',
  'CREATE INDEX record_version_from IF NOT EXISTS FOR (v:RecordVersion) ON (v._from)',
  'CREATE INDEX record_version_to IF NOT EXISTS FOR (v:RecordVersion) ON (v._to)',
  // Version 2: a past version names what it is a version of in `versionOf`. Version 1 wrote that into `kind`,
  // over the policy's, channel's or allegation's own kind (which cannot be recovered, so it is left empty).
  `MATCH (v:RecordVersion) WHERE v.versionOf IS NULL SET v.versionOf = v.kind REMOVE v.kind`,
  'CREATE CONSTRAINT change_set_id IF NOT EXISTS FOR (c:ChangeSet) REQUIRE c.id IS UNIQUE',
  'CREATE INDEX change_set_at IF NOT EXISTS FOR (c:ChangeSet) ON (c.at)',
  // Version 3: watchlists by id, and their webhook deliveries by id (MERGE keys on it, so the constraint also
  // keeps two workers from creating one delivery twice), by list and by status (the worker's poll).
  `CREATE CONSTRAINT watchlist_id IF NOT EXISTS FOR (w:${WATCHLIST_LABEL}) REQUIRE w.id IS UNIQUE`,
  `CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (d:${WEBHOOK_DELIVERY_LABEL}) REQUIRE d.id IS UNIQUE`,
  `CREATE INDEX webhook_delivery_watchlist IF NOT EXISTS FOR (d:${WEBHOOK_DELIVERY_LABEL}) ON (d.watchlistId)`,
  `CREATE INDEX webhook_delivery_status IF NOT EXISTS FOR (d:${WEBHOOK_DELIVERY_LABEL}) ON (d.status)`,
  // Names and aliases, for search and for screening customer lists by name.
  `CREATE FULLTEXT INDEX record_names IF NOT EXISTS FOR (n:${NAMED_LABELS.join('|')}) ON EACH [n.name, n.aliasText]`,
  // Identifiers (LEI:…, REGISTRY:GB-COH:…) of organizations and persons, a list property of canonical keys.
  // Range indexes do not index the elements of a list; a full-text index does, and the keyword analyzer keeps
  // each key one exact, case-sensitive term, so a lookup is an index hit and never a fuzzy match.
  `CREATE FULLTEXT INDEX record_identifiers IF NOT EXISTS FOR (n:Organization|Person) ON EACH [n.identifiers]
   OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'keyword'}}`,
];

export async function applyMigrations(db: Database): Promise<void> {
  for (const statement of MIGRATIONS) {
    await db.write((query) => query(statement));
  }
  // Index population is asynchronous; wait so that the first search after start-up sees every name.
  await db.write((query) => query('CALL db.awaitIndexes(300)'));
  await db.write((query) =>
    query('MERGE (s:SchemaVersion {id: "schema"}) SET s.version = $version, s.appliedAt = datetime()', {
      version: SCHEMA_VERSION,
    }),
  );
}

/** Null when the database is reachable and migrated; otherwise the reason it is not ready. */
export async function readinessProblem(db: Database): Promise<string | null> {
  try {
    const rows = await db.readRows<{ version: number | null }>(
      'OPTIONAL MATCH (s:SchemaVersion {id: "schema"}) RETURN s.version AS version',
    );
    const version = rows[0]?.version ?? null;
    if (version === null) return 'migrations have not been applied';
    if (version < SCHEMA_VERSION) return `schema version ${version} is older than ${SCHEMA_VERSION}`;
    return null;
  } catch (error) {
    return `Neo4j is unreachable: ${(error as Error).message}`;
  }
}
