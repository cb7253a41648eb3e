import { z } from 'zod';
import { Identifier, type Identifier as IdentifierValue } from '../model/identifier';
import { countryCode } from './countries';
import { parseJsonLine } from './jsonLine';
import { dateReader } from './sourceDate';
import type { FormatReader, Incoming, Rejection } from './incoming';

/**
 * FollowTheMoney entities, one JSON object a line, as OpenSanctions exports them (`entities.ftm.json`):
 * `{"id", "schema", "properties": {name: [...], ...}, "datasets": [...]}`, every property a list of strings
 * (followthemoney/schema/*.yaml). Read here: LegalEntity, Company, Organization, PublicBody (organizations),
 * Person, Ownership (owner, asset, percentage, startDate, endDate) and Sanction (entity, authority, program,
 * startDate, listingDate, endDate), which becomes a designation under the policy its list maps to.
 */

const FtmEntity = z.object({
  id: z.string().min(1, 'must be a non-empty entity id'),
  schema: z.string().min(1, 'must name a FollowTheMoney schema'),
  properties: z.record(z.string(), z.array(z.string(), { message: 'must be a list of strings' })).default({}),
  datasets: z.array(z.string()).optional(),
});
type FtmEntity = z.infer<typeof FtmEntity>;

/**
 * Which of our policies a sanctions list designates under. A Sanction on OFAC's SDN list is a designation
 * under the list and a root of the OFAC 50 Percent Rule (the seed records both, see 55-russia-designations);
 * the BIS Entity List likewise roots the BIS Affiliates Rule. Keys are OpenSanctions data-set names; the
 * authority and program texts are matched when the data set is not known.
 */
export const DEFAULT_POLICY_MAP: Readonly<Record<string, readonly string[]>> = {
  us_ofac_sdn: ['policy:ofac-sdn-list', 'policy:ofac-50-percent-rule'],
  us_bis_entity_list: ['policy:bis-entity-list', 'policy:bis-affiliates-rule'],
};

const BY_TEXT: ReadonlyArray<{ pattern: RegExp; dataset: string }> = [
  { pattern: /entity list/i, dataset: 'us_bis_entity_list' },
  { pattern: /specially designated nationals|\bSDN\b/i, dataset: 'us_ofac_sdn' },
];

const ORGANIZATION_TYPES: Readonly<Record<string, string>> = {
  Company: 'COMPANY',
  Organization: 'OTHER',
  LegalEntity: 'OTHER',
  PublicBody: 'GOVERNMENT_BODY',
};

/** FtM schemata with no counterpart in our graph; counted as skipped, not rejected. */
const NOT_MODELLED = 'has no counterpart in our graph (only parties, ownerships and sanctions are imported)';

const first = (e: FtmEntity, property: string): string | undefined => e.properties[property]?.[0];
const all = (e: FtmEntity, property: string): string[] => e.properties[property] ?? [];

/** FtM countries are lower-case ISO codes, sometimes regions ("ru-crimea") or historic ("suhh"): countries only. */
function country(code: string | undefined): string | null {
  return code && code.length === 2 ? countryCode(code) : null;
}

/**
 * The company register of a jurisdiction, as org-id.guide codes it, for FtM's `registrationNumber` (a
 * national number is unique within its register, not globally, so the register is part of the key). Only
 * countries with one national company register are listed: a US number belongs to a state's register, which
 * FtM does not name, so it is reported and left out rather than guessed. RU-OGRN and CN-SAIC are confirmed in
 * the org-id list as IATI's OrganisationRegistrationAgency codelist publishes it; KY-CR (the Cayman Islands'
 * registry) is not in that list and is kept as our own name for it, which the FtM export writes back.
 */
export const COMPANY_REGISTERS: Readonly<Record<string, string>> = {
  GB: 'GB-COH',
  IE: 'IE-CRO',
  NL: 'NL-KVK',
  DK: 'DK-CVR',
  NO: 'NO-BRC',
  FR: 'FR-RCS',
  AU: 'AU-ABN',
  CN: 'CN-SAIC',
  RU: 'RU-OGRN',
  KY: 'KY-CR',
};

/**
 * FtM properties that are register numbers of a known register whatever the jurisdiction. Other identifier
 * properties (innCode, taxNumber, vatCode, swiftBic, isinCode, ticker without its exchange, dunsCode …) have
 * no scheme in our identifier model and are not read (src/import/README.md).
 */
const REGISTER_PROPERTIES: Readonly<Record<string, string>> = { ogrnCode: 'RU-OGRN' };

export function ftmReader(
  policyMap: Readonly<Record<string, readonly string[]>> = DEFAULT_POLICY_MAP,
): FormatReader {
  return {
    rows: 'lines',
    idPrefix: 'ftm',
    refKeyOf: (localId) => ref(localId).key,
    read(row, line) {
      const jsonLine = parseJsonLine(row, line);
      if (!jsonLine.ok) return jsonLine.items;
      const parsed = FtmEntity.safeParse(jsonLine.json);
      if (!parsed.success) {
        return parsed.error.issues.map((issue) => ({
          kind: 'rejected',
          line,
          field: issue.path.join('.'),
          message: issue.message,
        }));
      }
      return readEntity(parsed.data, line, policyMap);
    },
  };
}

function readEntity(
  e: FtmEntity,
  line: number,
  policyMap: Readonly<Record<string, readonly string[]>>,
): Incoming[] {
  if (e.schema in ORGANIZATION_TYPES || e.schema === 'Person') return readParty(e, line);
  if (e.schema === 'Ownership') return readOwnership(e, line);
  if (e.schema === 'Sanction') return readSanction(e, line, policyMap);
  if (e.schema === 'Directorship') {
    // A director is neither an owner nor a controller under any rule we model; recording one as control
    // would let rules that count control reach through every board seat.
    return [
      { kind: 'skipped', line, reason: 'Directorship: a board seat is neither ownership nor control here' },
    ];
  }
  return [{ kind: 'skipped', line, reason: `${e.schema} ${NOT_MODELLED}` }];
}

function readParty(e: FtmEntity, line: number): Incoming[] {
  const names = [...all(e, 'name')];
  const name = names.shift();
  if (!name)
    return [
      { kind: 'rejected', line, field: 'properties.name', message: 'is required (a party needs a name)' },
    ];
  const out: Incoming[] = [];
  const identifiers: IdentifierValue[] = [];
  const candidates: Array<{ field: string; value: Record<string, string> }> = [
    { field: 'id', value: { scheme: 'OPENSANCTIONS', value: e.id } },
    ...all(e, 'leiCode').map((v) => ({
      field: 'properties.leiCode',
      value: { scheme: 'LEI', value: v.trim().toUpperCase() },
    })),
    ...all(e, 'wikidataId').map((v) => ({
      field: 'properties.wikidataId',
      value: { scheme: 'WIKIDATA', value: v.trim() },
    })),
    ...Object.entries(REGISTER_PROPERTIES).flatMap(([property, registry]) =>
      all(e, property).map((v) => ({
        field: `properties.${property}`,
        value: { scheme: 'REGISTRY', registry, value: v.trim() },
      })),
    ),
  ];
  const registerCountry =
    country(first(e, 'jurisdiction')) ??
    (all(e, 'country').length === 1 ? country(first(e, 'country')) : null);
  for (const number of all(e, 'registrationNumber')) {
    const registry = registerCountry ? COMPANY_REGISTERS[registerCountry] : undefined;
    if (!registry) {
      out.push(
        rejection(
          line,
          'properties.registrationNumber',
          `${JSON.stringify(number)} left out: ${
            registerCountry
              ? `no single company register is known for jurisdiction ${registerCountry}`
              : 'no jurisdiction (or single country) says which register issued it'
          }`,
        ),
      );
      continue;
    }
    candidates.push({
      field: 'properties.registrationNumber',
      value: { scheme: 'REGISTRY', registry, value: number.trim() },
    });
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    const parsed = Identifier.safeParse(c.value);
    // The same number given twice (registrationNumber and ogrnCode often repeat each other) is one identifier.
    const key = JSON.stringify(c.value);
    if (parsed.success && seen.has(key)) continue;
    seen.add(key);
    if (parsed.success) identifiers.push(parsed.data);
    // A bad identifier is reported, and the party imported without it.
    else
      out.push(
        rejection(line, c.field, `${JSON.stringify(c.value.value)} ${parsed.error.issues[0]!.message}`),
      );
  }
  const aliases = [...new Set([...names, ...all(e, 'alias'), ...all(e, 'previousName')])].filter(
    (a) => a !== name,
  );
  const countries = all(e, 'country')
    .map(country)
    .filter((c): c is string => c !== null);
  const single = countries.length === 1 ? countries[0]! : null;
  const dates = dateReader(line);
  const fields: Record<string, unknown> =
    e.schema === 'Person'
      ? {
          nationality: country(first(e, 'nationality')) ?? country(first(e, 'citizenship')),
          residence: single,
        }
      : {
          type: ORGANIZATION_TYPES[e.schema],
          // Jurisdiction is where it is registered; mainCountry (else the one country given) where it is based.
          incorporation: country(first(e, 'jurisdiction')),
          headquarters: country(first(e, 'mainCountry')) ?? single,
          founded: dates.take(first(e, 'incorporationDate'), 'properties.incorporationDate'),
          ...(first(e, 'website') && /^https?:\/\//.test(first(e, 'website')!)
            ? { website: first(e, 'website') }
            : {}),
        };
  const description = dates.note(undefined);
  if (description) fields.description = description;
  for (const k of Object.keys(fields)) if (fields[k] === null) delete fields[k];
  out.push(...dates.problems);
  out.push({
    kind: 'party',
    line,
    localId: e.id,
    label: e.schema === 'Person' ? 'Person' : 'Organization',
    name,
    ...(aliases.length > 0 ? { aliases } : {}),
    identifiers,
    fields,
  });
  return out;
}

function rejection(line: number, field: string, message: string): Rejection {
  return { kind: 'rejected', line, field, message };
}

const ref = (id: string) => ({ localId: id, key: `OPENSANCTIONS:${id}` });

function readOwnership(e: FtmEntity, line: number): Incoming[] {
  const owner = first(e, 'owner');
  const asset = first(e, 'asset');
  if (!owner) return [rejection(line, 'properties.owner', 'is required (the owning entity)')];
  if (!asset) return [rejection(line, 'properties.asset', 'is required (the owned entity)')];
  const raw = first(e, 'percentage');
  let share: { exact: number } | null = null;
  if (raw !== undefined) {
    const value = Number(raw.replace('%', '').replace(',', '.').trim());
    if (!Number.isFinite(value) || value < 0 || value > 100) {
      return [
        rejection(
          line,
          'properties.percentage',
          `must be a percentage between 0 and 100, got ${JSON.stringify(raw)}`,
        ),
      ];
    }
    share = { exact: value };
  }
  const type = first(e, 'ownershipType');
  const dates = dateReader(line);
  const startDate = dates.take(first(e, 'startDate'), 'properties.startDate');
  const endDate = dates.take(first(e, 'endDate'), 'properties.endDate');
  const note = dates.note(type ? `Ownership type: ${type}` : undefined);
  return [
    ...dates.problems,
    {
      kind: 'ownership',
      line,
      localId: e.id,
      owner: ref(owner),
      owned: ref(asset),
      share,
      startDate,
      endDate,
      ...(note ? { note } : {}),
    },
  ];
}

function readSanction(
  e: FtmEntity,
  line: number,
  policyMap: Readonly<Record<string, readonly string[]>>,
): Incoming[] {
  const entity = first(e, 'entity');
  if (!entity) return [rejection(line, 'properties.entity', 'is required (the sanctioned entity)')];
  const text = [...all(e, 'authority'), ...all(e, 'program')].join(' ');
  const datasets = new Set([
    ...(e.datasets ?? []),
    ...BY_TEXT.filter((b) => b.pattern.test(text)).map((b) => b.dataset),
  ]);
  const policies = [...new Set([...datasets].flatMap((d) => policyMap[d] ?? []))];
  if (policies.length === 0) {
    return [
      {
        kind: 'skipped',
        line,
        reason: `Sanction of data set(s) ${[...datasets].join(', ') || '(none)'} maps to no policy we hold`,
      },
    ];
  }
  const listName = first(e, 'program') ?? first(e, 'authority');
  const dates = dateReader(line);
  const startDate =
    dates.take(first(e, 'startDate'), 'properties.startDate') ??
    dates.take(first(e, 'listingDate'), 'properties.listingDate');
  const endDate = dates.take(first(e, 'endDate'), 'properties.endDate');
  const note = dates.note(first(e, 'reason'));
  return [
    ...dates.problems,
    {
      kind: 'designation',
      line,
      localId: e.id,
      entity: ref(entity),
      policies,
      ...(listName ? { listName } : {}),
      startDate,
      endDate,
      ...(note ? { note } : {}),
    },
  ];
}
