import { createHash } from 'node:crypto';
import type { Identifier } from '../model/identifier';
import type { Share } from '../model/common';
import { bodsDate, partialDateAnnotation, type Annotation } from '../import/bodsDates';
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
 * Beneficial Ownership Data Standard 0.4 statements (https://standard.openownership.org/en/0.4.0/): an entity
 * statement per organization, a person statement per person, a relationship statement per ownership (a
 * `shareholding` interest, with a `votingRights` one where the voting share differs) and per control (its
 * basis as the nearest BODS interest type). BODS has no sanctions: designations are left out and counted.
 *
 * Sources: a statement has one `source`; it names the first source's URL, every cited source in its
 * `description` ("title — publisher <url> [src:id]; …") and their publishers in `assertedBy`. `recordId` is our
 * id; `statementId` a SHA-256 of the statement, so the same record exports to the same statement.
 * Written as JSON lines (the importer's input, `npm run import -- --format bods`) or as one JSON array.
 */

type Json = Record<string, unknown>;

export interface BodsFormatOptions {
  /** One JSON array (the standard's package form) instead of one statement a line. */
  array: boolean;
  /** The day the export is published (`publicationDetails.publicationDate`). */
  publicationDate: string;
}

const ENTITY_TYPES: Readonly<Record<string, string>> = {
  GOVERNMENT_BODY: 'stateBody',
  NONPROFIT: 'legalEntity',
  UNIVERSITY: 'legalEntity',
  OTHER: 'legalEntity',
};

/**
 * Our control bases as BODS 0.4 interest types (codelist interestType), one type each, so the importer
 * (src/import/bods.ts `CONTROL_BASES`) reads each back as its basis.
 */
const CONTROL_INTERESTS: Readonly<Record<string, string>> = {
  VIE_CONTRACT: 'rightsGrantedByContract',
  GOLDEN_SHARE: 'controlViaCompanyRulesOrArticles',
  BOARD_CONTROL: 'appointmentOfBoard',
  // votingRights with no share: the importer reads it back as this basis (a share would make it a stake's).
  VOTING_AGREEMENT: 'votingRights',
  OTHER: 'otherInfluenceOrControl',
};

export function bodsFormat(options: BodsFormatOptions): FormatWriter {
  const counts = newCounts();
  let first = true;
  const line = (statement: Json): ExportChunk => {
    const text = JSON.stringify(statement);
    const chunk = options.array ? `${first ? '\n' : ',\n'}${text}` : `${text}\n`;
    first = false;
    return { text: chunk };
  };
  return {
    sections: ['organizations', 'persons', 'ownerships', 'controls', 'designations'],
    counts,
    begin: () => (options.array ? [{ text: '[' }] : []),
    async page(page: ExportPage, lookup: Lookup) {
      if (page.section === 'designations') {
        count(counts, 'leftOut', page.section, page.items.length);
        return [];
      }
      const refs = await lookup([...citedSourceIds(page.items), ...countryIds(page.items)]);
      return page.items.map((item) => {
        count(counts, 'written', page.section);
        return line(statementOf(page.section, item, refs, options.publicationDate));
      });
    },
    end: () => (options.array ? [{ text: first ? ']\n' : '\n]\n' }] : []),
  };
}

type Refs = Map<string, ExportItem>;

function countryIds(items: readonly ExportItem[]): string[] {
  const codes = items.flatMap(({ record: r }) => [
    r.headquarters,
    r.incorporation,
    r.nationality,
    r.residence,
  ]);
  return [...new Set(codes.filter((c): c is string => typeof c === 'string').map((c) => `country:${c}`))];
}

function country(code: unknown, refs: Refs): Json | undefined {
  if (typeof code !== 'string') return undefined;
  const name = refs.get(`country:${code}`)?.record.name;
  return { name: typeof name === 'string' ? name : code, code };
}

function statementOf(section: string, item: ExportItem, refs: Refs, publicationDate: string): Json {
  const r = item.record;
  const annotations: Annotation[] = [];
  const [recordType, details] =
    section === 'organizations'
      ? ['entity', entityDetails(r, refs, annotations)]
      : section === 'persons'
        ? ['person', personDetails(r, refs)]
        : ['relationship', relationshipDetails(section, r, annotations)];
  const body: Json = {
    statementDate: (item.recordedAt ?? publicationDate).slice(0, 10),
    recordId: r.id,
    recordType,
    recordStatus: 'new',
    recordDetails: details,
    source: sourceOf(r.sources as string[], refs),
    publicationDetails: {
      publicationDate,
      bodsVersion: '0.4',
      publisher: { name: 'AI Exposure Graph export' },
    },
    ...(annotations.length > 0 ? { annotations } : {}),
  };
  const statementId = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return { statementId, ...body };
}

function sourceOf(ids: readonly string[], refs: Refs): Json {
  const sources = ids.map((id) => ({ id, record: refs.get(id)?.record }));
  const publishers = [
    ...new Set(sources.map((s) => s.record?.publisher).filter((p) => typeof p === 'string')),
  ];
  const url = sources.find((s) => typeof s.record?.url === 'string')?.record?.url;
  const out: Json = {
    type: ['thirdParty'],
    description: sources
      .map((s) =>
        s.record
          ? `${String(s.record.title)} — ${String(s.record.publisher)} <${String(s.record.url)}> [${s.id}]`
          : `[${s.id}]`,
      )
      .join('; '),
  };
  if (url) out.url = url;
  if (publishers.length > 0) out.assertedBy = publishers.map((name) => ({ name }));
  return out;
}

function identifiersOf(r: Json): { identifiers: Json[]; listings: Json[] } {
  const identifiers: Json[] = [];
  const listings: Json[] = [];
  for (const i of (r.identifiers as Identifier[] | undefined) ?? []) {
    switch (i.scheme) {
      case 'LEI':
        identifiers.push({
          id: i.value,
          scheme: 'XI-LEI',
          schemeName: 'Global Legal Entity Identifier Index',
        });
        break;
      case 'REGISTRY':
        identifiers.push({ id: i.value, scheme: i.registry });
        break;
      case 'WIKIDATA':
        identifiers.push({
          id: i.value,
          schemeName: 'Wikidata',
          uri: `https://www.wikidata.org/wiki/${i.value}`,
        });
        break;
      case 'OPENSANCTIONS':
        identifiers.push({
          id: i.value,
          schemeName: 'OpenSanctions',
          uri: `https://www.opensanctions.org/entities/${i.value}/`,
        });
        break;
      case 'TICKER':
        listings.push({ marketIdentifierCode: i.exchange, security: { ticker: i.value } });
        break;
      default:
        return i satisfies never;
    }
  }
  return { identifiers, listings };
}

/**
 * A date of ours at a place of the statement where BODS 0.4 takes a full date only: the date, rounded to the
 * first day of its (first) month when ours is partial, with an annotation keeping the partial date.
 */
function fullDateAt(value: unknown, pointer: string, annotations: Annotation[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const { date, rounded } = bodsDate(value);
  if (rounded) annotations.push(partialDateAnnotation(pointer, value, date));
  return date;
}

function entityDetails(r: Json, refs: Refs, annotations: Annotation[]): Json {
  const { identifiers, listings } = identifiersOf(r);
  const addresses = [
    r.incorporation ? { type: 'registered', country: country(r.incorporation, refs) } : null,
    r.headquarters ? { type: 'business', country: country(r.headquarters, refs) } : null,
  ].filter((a) => a !== null);
  return omitEmpty({
    isComponent: false,
    entityType: { type: ENTITY_TYPES[String(r.type)] ?? 'registeredEntity' },
    name: r.name,
    alternateNames: r.aliases,
    jurisdiction: country(r.incorporation, refs),
    foundingDate: fullDateAt(r.founded, '/recordDetails/foundingDate', annotations),
    addresses,
    identifiers,
    uri: r.website,
    publicListing: listings.length > 0 ? { hasPublicListing: true, securitiesListings: listings } : undefined,
  });
}

function personDetails(r: Json, refs: Refs): Json {
  const { identifiers } = identifiersOf(r);
  return omitEmpty({
    isComponent: false,
    personType: 'knownPerson',
    names: [
      { type: 'individual', fullName: r.name },
      ...((r.aliases as string[] | undefined) ?? []).map((fullName) => ({ type: 'alternative', fullName })),
    ],
    nationalities: r.nationality ? [country(r.nationality, refs)] : undefined,
    addresses: r.residence ? [{ type: 'residence', country: country(r.residence, refs) }] : undefined,
    identifiers,
  });
}

/** Our share as BODS's: exact, or a range whose ends say with booleans whether they are exclusive. */
export function bodsShare(share: Share): Json {
  if (share.exact !== undefined) return { exact: share.exact };
  const out: Json = {};
  if (share.minimum !== undefined) out.minimum = share.minimum;
  if (share.exclusiveMinimum !== undefined)
    Object.assign(out, { minimum: share.exclusiveMinimum, exclusiveMinimum: true });
  if (share.maximum !== undefined) out.maximum = share.maximum;
  if (share.exclusiveMaximum !== undefined)
    Object.assign(out, { maximum: share.exclusiveMaximum, exclusiveMaximum: true });
  return out;
}

function relationshipDetails(section: string, r: Json, annotations: Annotation[]): Json {
  const interests: Json[] = [];
  // Each interest's dates, at its place in `interests` (the next one pushed).
  const dates = () => {
    const at = `/recordDetails/interests/${interests.length}`;
    return omitEmpty({
      startDate: fullDateAt(r.startDate, `${at}/startDate`, annotations),
      endDate: fullDateAt(r.endDate, `${at}/endDate`, annotations),
    });
  };
  if (section === 'ownerships') {
    const share = r.share as Share | null;
    interests.push({
      type: 'shareholding',
      directOrIndirect: 'direct',
      beneficialOwnershipOrControl: false,
      ...(share ? { share: bodsShare(share) } : {}),
      ...dates(),
    });
    if (r.votingShare) {
      interests.push({
        type: 'votingRights',
        directOrIndirect: 'direct',
        beneficialOwnershipOrControl: false,
        share: bodsShare(r.votingShare),
        ...dates(),
      });
    }
  } else {
    interests.push(
      omitEmpty({
        type: CONTROL_INTERESTS[String(r.basis)] ?? 'otherInfluenceOrControl',
        directOrIndirect: 'direct',
        beneficialOwnershipOrControl: false,
        details: r.description,
        ...dates(),
      }),
    );
  }
  const [subject, interested] = section === 'ownerships' ? [r.owned, r.owner] : [r.controlled, r.controller];
  return { isComponent: false, subject, interestedParty: interested, interests };
}

function omitEmpty(json: Json): Json {
  return Object.fromEntries(
    Object.entries(json).filter(
      ([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0),
    ),
  );
}
