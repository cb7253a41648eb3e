import type { Identifier } from '../model/identifier';
import type { Share } from '../model/common';
import { DEFAULT_POLICY_MAP } from '../import/ftm';
import type { ExportItem, ExportPage } from './exportPages';
import {
  citedSourceIds,
  count,
  newCounts,
  type ExportChunk,
  type FormatWriter,
  type Lookup,
} from './formatWriter';

/**
 * FollowTheMoney entities, one JSON object a line, as OpenSanctions publishes them
 * (https://followthemoney.tech/explorer/): organizations as Company, PublicBody or Organization, persons as
 * Person, ownerships as Ownership, controls as Directorship (board control) or UnknownLink (any other basis),
 * designations as Sanction. Every property is a list of strings, as the standard has it.
 *
 * Ids: a party that carries an OpenSanctions id is exported under it (so it matches OpenSanctions' own data);
 * any other record under our id with ":" made "-" (FtM ids take no colon). Sources: every entity lists its
 * sources' URLs in `sourceUrl` and their publishers in `publisher` (FtM's own properties). A Sanction names the
 * list in `program`, the issuer in `authority` and, where the list is one OpenSanctions publishes, its data set
 * in `datasets` (the inverse of the importer's map); the designations of one entity under policies of one data
 * set with the same dates (the SDN list and the 50 Percent Rule) are one Sanction, as OpenSanctions has them.
 */

type Json = Record<string, unknown>;
type Properties = Record<string, string[]>;

const ORGANIZATION_SCHEMA: Readonly<Record<string, string>> = {
  GOVERNMENT_BODY: 'PublicBody',
  UNIVERSITY: 'Organization',
  NONPROFIT: 'Organization',
  OTHER: 'Organization',
};

/** Policy id → the OpenSanctions data set whose Sanctions the importer maps to it. */
const DATASET_OF_POLICY = new Map(
  Object.entries(DEFAULT_POLICY_MAP).flatMap(([dataset, policies]) =>
    policies.map((p) => [p, dataset] as const),
  ),
);

export const ftmIdOf = (id: string) => id.replace(':', '-');

export function ftmFormat(): FormatWriter {
  const counts = newCounts();
  // Designations come ordered by entity (exportPages.ts): one entity's are held until the next entity's
  // start (across pages too), then merged by data set and dates.
  let entity: { id: string; items: ExportItem[] } | null = null;
  let heldRefs: Refs = new Map();
  const flush = (): ExportChunk[] => {
    if (!entity) return [];
    const groups = new Map<string, ExportItem[]>();
    for (const item of entity.items) {
      const key = sanctionKey(item.record) || `own:${String(item.record.id)}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const chunks = [...groups.values()].map((items) => ({
      text: `${JSON.stringify(sanctionOf(items, heldRefs))}\n`,
    }));
    entity = null;
    return chunks;
  };
  return {
    sections: ['organizations', 'persons', 'ownerships', 'controls', 'designations'],
    counts,
    begin: () => [],
    async page(page: ExportPage, lookup: Lookup) {
      const chunks: ExportChunk[] = [];
      const refs = await referencesOf(page, lookup);
      if (page.section !== 'designations') {
        for (const item of page.items) {
          count(counts, 'written', page.section);
          chunks.push({ text: `${JSON.stringify(entityOf(page.section, item.record, refs))}\n` });
        }
        return chunks;
      }
      heldRefs = entity ? new Map([...heldRefs, ...refs]) : refs;
      for (const item of page.items) {
        count(counts, 'written', page.section);
        const id = String(item.record.entity);
        if (entity?.id !== id) {
          chunks.push(...flush());
          heldRefs = new Map([...refs]);
          entity = { id, items: [] };
        }
        entity.items.push(item);
      }
      return chunks;
    },
    end: () => flush(),
  };
}

type Refs = Map<string, ExportItem>;

/** Sources, the parties relationships point at (for their OpenSanctions ids), designating policies and issuers. */
async function referencesOf(page: ExportPage, lookup: Lookup): Promise<Refs> {
  const ends = page.items.flatMap(({ record: r }) =>
    [r.owner, r.owned, r.controller, r.controlled, r.entity, r.policy].filter(
      (x): x is string => typeof x === 'string',
    ),
  );
  const refs: Refs = await lookup([...new Set([...citedSourceIds(page.items), ...ends])]);
  const issuers = [...refs.values()]
    .map((p) => p.record.issuer)
    .filter((x): x is string => typeof x === 'string');
  for (const [id, item] of await lookup([...new Set(issuers)])) refs.set(id, item);
  return refs;
}

function partyId(id: unknown, refs: Refs): string {
  const record = refs.get(String(id))?.record;
  return record ? partyFtmId(record) : ftmIdOf(String(id));
}

function partyFtmId(record: Json): string {
  const os = ((record.identifiers as Identifier[] | undefined) ?? []).find(
    (i) => i.scheme === 'OPENSANCTIONS',
  );
  return os ? os.value : ftmIdOf(String(record.id));
}

const lower = (code: unknown) => (typeof code === 'string' ? [code.toLowerCase()] : []);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? [value] : []);

function sourceProperties(ids: unknown, refs: Refs): Properties {
  const sources = ((ids as string[] | undefined) ?? []).map((id) => refs.get(id)?.record).filter((s) => s);
  return {
    sourceUrl: [...new Set(sources.map((s) => String(s!.url)))],
    publisher: [...new Set(sources.map((s) => String(s!.publisher)))],
  };
}

function entityOf(section: string, r: Json, refs: Refs): Json {
  const identifiers = (r.identifiers as Identifier[] | undefined) ?? [];
  const of = (scheme: Identifier['scheme']) =>
    identifiers.filter((i) => i.scheme === scheme).map((i) => i.value);
  const common = { ...sourceProperties(r.sources, refs), description: text(r.description ?? r.note) };
  switch (section) {
    case 'organizations':
      return entity(partyFtmId(r), ORGANIZATION_SCHEMA[String(r.type)] ?? 'Company', {
        name: [String(r.name)],
        alias: (r.aliases as string[] | undefined) ?? [],
        jurisdiction: lower(r.incorporation),
        mainCountry: lower(r.headquarters),
        country: [...new Set([...lower(r.headquarters), ...lower(r.incorporation)])],
        incorporationDate: text(r.founded),
        website: text(r.website),
        leiCode: of('LEI'),
        wikidataId: of('WIKIDATA'),
        registrationNumber: of('REGISTRY'),
        ...common,
      });
    case 'persons':
      return entity(partyFtmId(r), 'Person', {
        name: [String(r.name)],
        alias: (r.aliases as string[] | undefined) ?? [],
        nationality: lower(r.nationality),
        country: lower(r.residence),
        wikidataId: of('WIKIDATA'),
        ...common,
      });
    case 'ownerships': {
      const share = r.share as Share | null;
      const notes = [
        share && share.exact === undefined ? `Share range (percent): ${rangeText(share)}` : null,
        r.votingShare ? `Voting share (percent): ${rangeText(r.votingShare as Share)}` : null,
        r.economicShare ? `Economic share (percent): ${rangeText(r.economicShare as Share)}` : null,
        typeof r.note === 'string' ? r.note : null,
      ].filter((n): n is string => n !== null);
      return entity(ftmIdOf(String(r.id)), 'Ownership', {
        owner: [partyId(r.owner, refs)],
        asset: [partyId(r.owned, refs)],
        percentage: share?.exact !== undefined ? [String(share.exact)] : [],
        startDate: text(r.startDate),
        endDate: text(r.endDate),
        ...common,
        description: notes.length > 0 ? [notes.join(' ')] : [],
      });
    }
    case 'controls':
      return r.basis === 'BOARD_CONTROL'
        ? entity(ftmIdOf(String(r.id)), 'Directorship', {
            director: [partyId(r.controller, refs)],
            organization: [partyId(r.controlled, refs)],
            role: ['Board control'],
            startDate: text(r.startDate),
            endDate: text(r.endDate),
            ...common,
          })
        : entity(ftmIdOf(String(r.id)), 'UnknownLink', {
            subject: [partyId(r.controller, refs)],
            object: [partyId(r.controlled, refs)],
            role: [`Control: ${String(r.basis)}`],
            startDate: text(r.startDate),
            endDate: text(r.endDate),
            ...common,
          });
    default:
      throw new Error(`FollowTheMoney has no entity for section ${section}`);
  }
}

/** "more than 25, at most 50": a range in words a reader of the file understands. */
export function rangeText(share: Share): string {
  if (share.exact !== undefined) return String(share.exact);
  const low =
    share.exclusiveMinimum !== undefined
      ? `more than ${share.exclusiveMinimum}`
      : `at least ${share.minimum ?? 0}`;
  const high =
    share.exclusiveMaximum !== undefined
      ? `less than ${share.exclusiveMaximum}`
      : `at most ${share.maximum ?? 100}`;
  return `${low}, ${high}`;
}

/** Designations of one entity merge into one Sanction when they share data set and dates; '' never merges. */
function sanctionKey(r: Json): string {
  const dataset = DATASET_OF_POLICY.get(String(r.policy));
  return dataset ? [dataset, text(r.startDate).join(''), text(r.endDate).join('')].join('|') : '';
}

function sanctionOf(items: readonly ExportItem[], refs: Refs): Json {
  const [head] = items;
  const r = head!.record;
  const policy = refs.get(String(r.policy))?.record;
  const issuer = policy ? refs.get(String(policy.issuer))?.record : undefined;
  const dataset = DATASET_OF_POLICY.get(String(r.policy));
  const sources = [...new Set(items.flatMap((i) => (i.record.sources as string[] | undefined) ?? []))];
  return entity(
    ftmIdOf(String(r.id)),
    'Sanction',
    {
      entity: [partyId(r.entity, refs)],
      authority: text(issuer?.name),
      program: text(r.listName ?? policy?.name),
      startDate: text(r.startDate),
      endDate: text(r.endDate),
      reason: text(r.note),
      ...sourceProperties(sources, refs),
    },
    dataset ? [dataset] : undefined,
  );
}

function entity(id: string, schema: string, properties: Properties, datasets?: string[]): Json {
  const kept = Object.fromEntries(
    Object.entries(properties)
      .filter(([, values]) => values.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { id, schema, properties: kept, ...(datasets ? { datasets } : {}) };
}
