import { parseIdentifierKey, identifierKey, type Identifier } from '../model/identifier';
import type { NodeRow } from '../records/rows';
import { OrganizationRecord, PersonRecord } from '../model/party';
import type { IncomingParty } from './incoming';

/**
 * Parties as records of the data-set format: a stored row read back (the inverse of seed/storage.ts's
 * `toProps` for organizations and persons), and an incoming party merged into one.
 */

const ORGANIZATION_FIELDS = [
  'name',
  'aliases',
  'type',
  'headquarters',
  'incorporation',
  'founded',
  'website',
  'description',
];
const PERSON_FIELDS = ['name', 'aliases', 'nationality', 'residence', 'description'];

export type PartyRecord = Record<string, unknown> & { id: string; name: string; sources: string[] };

export function recordFromRow(row: NodeRow): PartyRecord {
  const fields = row._label === 'Person' ? PERSON_FIELDS : ORGANIZATION_FIELDS;
  const record: Record<string, unknown> = { id: row.id };
  for (const field of fields) if (row[field] !== undefined && row[field] !== null) record[field] = row[field];
  const keys = (row.identifiers as string[] | undefined) ?? [];
  if (keys.length > 0) {
    record.identifiers = keys.flatMap((k) => {
      const parsed = parseIdentifierKey(k);
      return parsed.success ? [parsed.data] : [];
    });
  }
  record.sources = row.sourceIds ?? [];
  return record as PartyRecord;
}

function unionIdentifiers(a: readonly Identifier[], b: readonly Identifier[]): Identifier[] {
  const seen = new Set(a.map(identifierKey));
  return [...a, ...b.filter((i) => !seen.has(identifierKey(i)))];
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** A new record for an incoming party. */
export function newRecord(party: IncomingParty, id: string, sourceId: string): PartyRecord {
  const record: Record<string, unknown> = { id, name: party.name, ...party.fields };
  if (party.aliases && party.aliases.length > 0) record.aliases = party.aliases;
  if (party.identifiers.length > 0) record.identifiers = party.identifiers;
  record.sources = union([sourceId], party.sources);
  return record as PartyRecord;
}

/**
 * An incoming party merged into a record we hold. `authoritative` (the record this import created, on a
 * rerun) takes the incoming fields; otherwise the record's own fields win, and the import only adds what
 * the record lacks: identifiers, missing countries and dates, the incoming name as an alias, its source.
 */
export function mergedRecord(
  existing: PartyRecord,
  party: IncomingParty,
  sourceId: string,
  authoritative: boolean,
): PartyRecord {
  const merged: Record<string, unknown> = { ...existing };
  for (const [field, value] of Object.entries(party.fields)) {
    if (value === undefined || value === null) continue;
    if (authoritative || merged[field] === undefined || merged[field] === null) merged[field] = value;
  }
  if (authoritative) merged.name = party.name;
  const aliases = union(
    existing.aliases as string[] | undefined,
    [...(party.aliases ?? []), party.name].filter((n) => n !== merged.name),
  );
  if (aliases.length > 0) merged.aliases = aliases;
  const identifiers = unionIdentifiers(
    (existing.identifiers as Identifier[] | undefined) ?? [],
    party.identifiers,
  );
  if (identifiers.length > 0) merged.identifiers = identifiers;
  merged.sources = union(existing.sources, [sourceId, ...(party.sources ?? [])]);
  return merged as PartyRecord;
}

/** The write layer's schema of a party of this label. */
export function partySchemaOf(label: IncomingParty['label']) {
  return label === 'Organization' ? OrganizationRecord : PersonRecord;
}
