import { DesignationRecord } from '../model/policy';
import { ControlRecord, OwnershipRecord } from '../model/ownership';
import {
  slugOf,
  type IncomingControl,
  type IncomingDesignation,
  type IncomingOwnership,
  type IncomingRelationship,
} from './incoming';

/**
 * The one builder of each relationship record an import writes (stake, control, listing), from an incoming
 * item and the ids its references stand for, parsed by the write layer's own schema. Pass 2 builds with the
 * ids the references resolved to and the import's source (runImport.ts `prepareRelationships`); the CSV check
 * builds the same record before the first write with the ids a row gives, or placeholders of the right kind
 * where it gives identifiers (csvRecordCheck.ts), so what is checked is what is written.
 */

/** Where a record comes from: the prefix of the ids this format derives (`ftm`, `bods`, `csv`), its source. */
export interface Provenance {
  idPrefix: string;
  sourceId: string;
}

/**
 * A relationship's id: its own, or one derived from its local id (and a listing's policy: one record per
 * policy a sanction maps to), the same on every rerun. Two rows deriving one id are one record.
 */
export function relationshipIdOf(item: IncomingRelationship, idPrefix: string, policy?: string): string {
  if (item.id) return item.id;
  const slug = `${idPrefix}-${slugOf(item.localId)}`;
  switch (item.kind) {
    case 'ownership':
      return `own:${slug}`;
    case 'control':
      return `ctrl:${slug}`;
    case 'designation':
      return `desig:${slug}-${slugOf((policy ?? item.policies[0]!).slice('policy:'.length))}`;
  }
}

const sourcesOf = (item: IncomingRelationship, at: Provenance) => [at.sourceId, ...(item.sources ?? [])];

export function ownershipRecord(
  item: IncomingOwnership,
  ends: { owner: string; owned: string },
  at: Provenance,
) {
  return OwnershipRecord.safeParse({
    id: relationshipIdOf(item, at.idPrefix),
    owner: ends.owner,
    owned: ends.owned,
    share: item.share,
    ...(item.votingShare ? { votingShare: item.votingShare } : {}),
    startDate: item.startDate ?? null,
    endDate: item.endDate ?? null,
    ...(item.confidence ? { confidence: item.confidence } : {}),
    ...(item.note ? { note: item.note } : {}),
    sources: sourcesOf(item, at),
  });
}

export function controlRecord(
  item: IncomingControl,
  ends: { controller: string; controlled: string },
  at: Provenance,
) {
  return ControlRecord.safeParse({
    id: relationshipIdOf(item, at.idPrefix),
    controller: ends.controller,
    controlled: ends.controlled,
    basis: item.basis,
    ...(item.description ? { description: item.description } : {}),
    ...(item.confidence ? { confidence: item.confidence } : {}),
    startDate: item.startDate ?? null,
    endDate: item.endDate ?? null,
    sources: sourcesOf(item, at),
  });
}

/** One listing of the entity under one of the policies the item maps to. */
export function designationRecord(item: IncomingDesignation, entity: string, policy: string, at: Provenance) {
  return DesignationRecord.safeParse({
    id: relationshipIdOf(item, at.idPrefix, policy),
    policy,
    entity,
    ...(item.listName ? { listName: item.listName } : {}),
    startDate: item.startDate ?? null,
    endDate: item.endDate ?? null,
    ...(item.note ? { note: item.note } : {}),
    sources: sourcesOf(item, at),
  });
}
