import { Identifier, type Identifier as IdentifierValue } from '../model/identifier';
import type { Share } from '../model/common';
import { countryCode } from './countries';
import { parseJsonLine } from './jsonLine';
import type { FormatReader, Incoming } from './incoming';

/**
 * Beneficial Ownership Data Standard statements, one JSON statement a line, or a JSON array of them on a
 * line (a pretty-printed package becomes lines with `jq -c '.[]'`). BODS 0.4: `recordType` entity | person | relationship, `recordId` (stable across the statements
 * that update a record, so a later statement simply rewrites it), `recordDetails`, `recordStatus` ("closed"
 * ends a relationship on its statement date). The 0.2/0.3 shape (`statementType` entityStatement …,
 * `subject.describedByEntityStatement`, `replacesStatements`) is read too: a replaced statement is dropped.
 * Interests: shareholdings become stakes with their exact share or their range (minimum/maximum, exclusive
 * ends as booleans or as numbers); indirect interests are skipped, because the chain they summarise is (or
 * should be) recorded link by link, and recording both would count the stake twice.
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const day = (value: unknown): string | null => {
  const d = str(value)?.slice(0, 10);
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
};
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function bodsReader(): FormatReader {
  // Statement ids that later statements replace (0.2/0.3): collected while the parties' pass reads the
  // file, applied when the relationships' pass reads it again. Only replaced ids are held in memory.
  const replaced = new Set<string>();
  return {
    rows: 'lines',
    idPrefix: 'bods',
    read(row, line) {
      const parsed = parseJsonLine(row, line);
      if (!parsed.ok) return parsed.items;
      const json = parsed.json;
      const statements = Array.isArray(json) ? json.map(obj) : [obj(json)];
      for (const s of statements) {
        for (const id of Array.isArray(s.replacesStatements) ? (s.replacesStatements as unknown[]) : []) {
          if (typeof id === 'string') replaced.add(id);
        }
      }
      return statements.flatMap((s) => readStatement(s, line, replaced));
    },
  };
}

function kindOf(s: Json): 'entity' | 'person' | 'relationship' | undefined {
  const recordType = str(s.recordType);
  if (recordType === 'entity' || recordType === 'person' || recordType === 'relationship') return recordType;
  switch (str(s.statementType)) {
    case 'entityStatement':
      return 'entity';
    case 'personStatement':
      return 'person';
    case 'ownershipOrControlStatement':
      return 'relationship';
    default:
      return undefined;
  }
}

function readStatement(s: Json, line: number, replaced: ReadonlySet<string>): Incoming[] {
  const kind = kindOf(s);
  // 0.4 keys a record by recordId; 0.2/0.3 by statementID.
  const localId = str(s.recordId) ?? str(s.statementID) ?? str(s.statementId);
  if (!kind) {
    return [
      {
        kind: 'rejected',
        line,
        field: 'recordType',
        message: 'must be entity, person or relationship (or a 0.2/0.3 statementType)',
      },
    ];
  }
  if (!localId)
    return [
      { kind: 'rejected', line, field: 'recordId', message: 'is required (or statementID in 0.2/0.3)' },
    ];
  const statementId = str(s.statementId) ?? str(s.statementID);
  if (statementId && replaced.has(statementId) && !str(s.recordId)) {
    return [{ kind: 'skipped', line, reason: `statement ${statementId} is replaced by a later one` }];
  }
  // 0.4 nests the details; 0.2/0.3 keeps them on the statement.
  const details = s.recordDetails ? obj(s.recordDetails) : s;
  if (kind === 'entity') return readEntity(details, localId, line);
  if (kind === 'person') return readPerson(details, localId, line);
  return readRelationship(s, details, localId, line);
}

function identifiersOf(details: Json, line: number, out: Incoming[]): IdentifierValue[] {
  const identifiers: IdentifierValue[] = [];
  list(details.identifiers).forEach((i, index) => {
    const scheme = str(i.scheme);
    const id = str(i.id);
    if (!scheme || !id) return;
    const raw =
      scheme === 'XI-LEI'
        ? { scheme: 'LEI', value: id }
        : { scheme: 'REGISTRY', registry: scheme, value: id };
    const parsed = Identifier.safeParse(raw);
    if (parsed.success) identifiers.push(parsed.data);
    else
      out.push({
        kind: 'rejected',
        line,
        field: `identifiers[${index}]`,
        message: `${JSON.stringify(id)} ${parsed.error.issues[0]!.message}`,
      });
  });
  return identifiers;
}

function addressCountry(details: Json, types: string[]): string | null {
  for (const type of types) {
    const address = list(details.addresses).find((a) => a.type === type);
    const country = address && (str(address.country) ?? str(obj(address.country).code));
    if (country) return countryCode(country);
  }
  return null;
}

function readEntity(details: Json, localId: string, line: number): Incoming[] {
  const name = str(details.name);
  if (!name)
    return [{ kind: 'rejected', line, field: 'name', message: 'is required (an entity needs a name)' }];
  const out: Incoming[] = [];
  const identifiers = identifiersOf(details, line, out);
  const fields: Json = {
    type: 'COMPANY',
    incorporation:
      countryCode(str(obj(details.jurisdiction).code)?.slice(0, 2)) ??
      addressCountry(details, ['registered']),
    headquarters: addressCountry(details, ['business', 'registered']),
    founded: day(details.foundingDate),
  };
  for (const k of Object.keys(fields)) if (fields[k] === null) delete fields[k];
  const aliases = (details.alternateNames as unknown[] | undefined)?.filter(
    (n): n is string => typeof n === 'string' && n !== name,
  );
  out.push({
    kind: 'party',
    line,
    localId,
    label: 'Organization',
    name,
    ...(aliases && aliases.length > 0 ? { aliases } : {}),
    identifiers,
    fields,
  });
  return out;
}

function readPerson(details: Json, localId: string, line: number): Incoming[] {
  const names = list(details.names);
  const name = str((names.find((n) => n.type === 'individual' || n.type === 'legal') ?? names[0])?.fullName);
  if (!name) return [{ kind: 'rejected', line, field: 'names', message: 'must give a full name' }];
  const out: Incoming[] = [];
  const identifiers = identifiersOf(details, line, out);
  const nationality =
    list(details.nationalities)
      .map((n) => countryCode(str(n.code)))
      .find((c) => c !== null) ?? null;
  const fields: Json = { nationality, residence: addressCountry(details, ['residence']) };
  for (const k of Object.keys(fields)) if (fields[k] === null) delete fields[k];
  const aliases = names.map((n) => str(n.fullName)).filter((n): n is string => !!n && n !== name);
  out.push({
    kind: 'party',
    line,
    localId,
    label: 'Person',
    name,
    ...(aliases.length > 0 ? { aliases } : {}),
    identifiers,
    fields,
  });
  return out;
}

/** A BODS share as ours: exact, or a range whose exclusive ends BODS marks with booleans (0.4) or numbers. */
export function shareOf(share: Json): Share | null {
  const exact = num(share.exact);
  if (exact !== undefined) return { exact };
  const out: Share = {};
  const min = num(share.minimum);
  const max = num(share.maximum);
  if (min !== undefined) out[share.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = min;
  if (max !== undefined) out[share.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = max;
  if (num(share.exclusiveMinimum) !== undefined && min === undefined)
    out.exclusiveMinimum = num(share.exclusiveMinimum);
  if (num(share.exclusiveMaximum) !== undefined && max === undefined)
    out.exclusiveMaximum = num(share.exclusiveMaximum);
  return Object.keys(out).length > 0 ? out : null;
}

function readRelationship(s: Json, details: Json, localId: string, line: number): Incoming[] {
  const subject = str(details.subject) ?? str(obj(details.subject).describedByEntityStatement);
  const party = obj(details.interestedParty);
  const interested =
    str(details.interestedParty) ??
    str(party.describedByEntityStatement) ??
    str(party.describedByPersonStatement);
  if (!subject) return [{ kind: 'rejected', line, field: 'subject', message: 'must name the entity owned' }];
  if (!interested) return [{ kind: 'skipped', line, reason: 'interested party unknown or unspecified' }];
  const interests = list(details.interests);
  const shareholding = interests.find((i) => i.type === 'shareholding');
  if (!shareholding) return [{ kind: 'skipped', line, reason: 'no shareholding interest (control only)' }];
  const level = str(shareholding.directOrIndirect) ?? str(shareholding.interestLevel);
  if (level === 'indirect')
    return [{ kind: 'skipped', line, reason: 'indirect interest: recorded link by link instead' }];
  const closed = str(s.recordStatus) === 'closed';
  return [
    {
      kind: 'ownership',
      line,
      localId,
      owner: { localId: interested },
      owned: { localId: subject },
      share: shareOf(obj(shareholding.share)),
      startDate: day(shareholding.startDate),
      endDate: day(shareholding.endDate) ?? (closed ? day(s.statementDate) : null),
      note: `BODS statement of ${str(s.statementDate) ?? 'unknown date'}`,
    },
  ];
}
