import { z } from 'zod';
import type { Database } from '../db/database';
import type { Section } from '../model/dataset';
import { fetchNeighbourParties, fetchNodesById, fetchRelationshipsAmong } from '../queries/exportRecords';
import { referencesOf, definedIds } from '../seed/readDataSet';
import { asDataSet, itemOf, recordsById, type ExportItem } from './exportPages';

/**
 * A chosen subgraph: an entity, its owners and controllers (`up`), what it owns and controls (`down`) or both,
 * to `depth` steps; the ownerships and controls among those parties and their designations. For the data-set
 * format the records these refer to are added (sources, countries, the designating policies and what those
 * refer to), so the file loads into an empty database on its own.
 */

export const SUBGRAPH_DIRECTIONS = ['up', 'down', 'both'] as const;

export const SubgraphSelection = z.strictObject({
  entity: z
    .string()
    .regex(/^(org|person):[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an organization or person id'),
  depth: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
  direction: z.enum(SUBGRAPH_DIRECTIONS, { message: 'must be up, down or both' }),
});
export type SubgraphSelection = z.infer<typeof SubgraphSelection>;

export type SubgraphOutcome =
  | { ok: true; records: Map<Section, ExportItem[]>; parties: number }
  | { ok: false; reason: 'not-found'; message: string }
  | { ok: false; reason: 'too-large'; message: string };

export async function collectSubgraph(
  db: Database,
  selection: SubgraphSelection,
  knownAsOf: string | null,
  options: { maxParties: number; withReferences: boolean },
): Promise<SubgraphOutcome> {
  const { entity, depth, direction } = selection;
  const [root] = await db.read((query) => fetchNodesById(query, [entity], knownAsOf));
  if (!root) {
    const when = knownAsOf === null ? '' : ` as known at ${knownAsOf}`;
    return {
      ok: false,
      reason: 'not-found',
      message: `No organization or person has id "${entity}"${when}.`,
    };
  }
  const parties = new Set([entity]);
  const walks: Array<'UP' | 'DOWN'> =
    direction === 'both' ? ['UP', 'DOWN'] : [direction === 'up' ? 'UP' : 'DOWN'];
  for (const walk of walks) {
    let frontier = [entity];
    for (let level = 1; level <= depth && frontier.length > 0; level++) {
      const next = (await db.read((query) => fetchNeighbourParties(query, frontier, walk, knownAsOf))).filter(
        (id) => !parties.has(id),
      );
      for (const id of next) parties.add(id);
      if (parties.size > options.maxParties) {
        return {
          ok: false,
          reason: 'too-large',
          message:
            `The subgraph of ${entity} ${direction} to depth ${depth} holds more than ${options.maxParties} ` +
            `parties (EXPORT_MAX_PARTIES); ask for a smaller depth or one direction.`,
        };
      }
      frontier = next;
    }
  }
  const ids = [...parties];
  const records = new Map<Section, ExportItem[]>();
  const add = (section: Section, item: ExportItem) => {
    const list = records.get(section) ?? [];
    list.push(item);
    records.set(section, list);
  };
  for (const [, item] of await recordsById(db, ids, knownAsOf)) {
    add(String(item.record.id).startsWith('person:') ? 'persons' : 'organizations', item);
  }
  const relationships = [
    ['ownerships', 'OWNS'],
    ['controls', 'CONTROLS'],
    ['designations', 'DESIGNATES'],
  ] as const;
  for (const [section, type] of relationships) {
    const rows = await db.read((query) => fetchRelationshipsAmong(query, type, ids, knownAsOf));
    for (const props of rows) add(section, itemOf(section, props));
  }
  if (options.withReferences) await addReferences(db, records, knownAsOf, add);
  return { ok: true, records, parties: ids.length };
}

/** Adds the records the subgraph refers to, and what those refer to, until nothing is missing. */
async function addReferences(
  db: Database,
  records: Map<Section, ExportItem[]>,
  knownAsOf: string | null,
  add: (section: Section, item: ExportItem) => void,
): Promise<void> {
  const defined = new Set(definedIds(asDataSet(records)));
  let missing = missingReferences(records, defined);
  while (missing.length > 0) {
    const found = await recordsById(db, missing, knownAsOf);
    for (const id of missing) defined.add(id);
    for (const [, item] of found) add(item.section, item);
    missing = missingReferences(records, defined);
  }
}

function missingReferences(records: Map<Section, ExportItem[]>, defined: ReadonlySet<string>): string[] {
  const targets = referencesOf(asDataSet(records)).map((r) => r.target);
  return [...new Set(targets)].filter((id) => !defined.has(id)).sort();
}
