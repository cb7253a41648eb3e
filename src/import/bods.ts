import { Identifier, type Identifier as IdentifierValue } from '../model/identifier';
import type { Share } from '../model/common';
import { partialDatesOf, restoredDate } from './bodsDates';
import { countryCode } from './countries';
import { jsonRows, startsWithArray } from './jsonArrayRows';
import { parseJsonLine } from './jsonLine';
import { dateReader } from './sourceDate';
import type { FormatReader, Incoming, IncomingControl, Rejection } from './incoming';
import type { ControlRecord } from '../model/ownership';

/**
 * Beneficial Ownership Data Standard statements: one JSON array of them as the standard publishes it,
 * pretty-printed over many lines or on one (read streaming, `jsonArrayRows.ts`), or one statement a line.
 * BODS 0.4: `recordType` entity | person | relationship, `recordId` (stable across the statements
 * that update a record, so a later statement simply rewrites it), `recordDetails`, `recordStatus` ("closed"
 * ends a relationship on its statement date). The 0.2/0.3 shape (`statementType` entityStatement …,
 * `subject.describedByEntityStatement`, `replacesStatements`) is read too: a replaced statement is dropped.
 * Interests: shareholdings become stakes with their exact share or their range (minimum/maximum, exclusive
 * ends as booleans or as numbers), a votingRights share beside a shareholding their voting share; the
 * interests of control (`CONTROL_BASES`) become control records, one per interest, with their own dates.
 * Indirect interests are skipped, because the chain they summarise is (or should be) recorded link by link,
 * and recording both would count the stake twice. Dates keep their precision (a year, a month or a day);
 * one that is not a date is reported and kept in the note (`sourceDate.ts`).
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * BODS 0.4 interest types (codelist interestType) that are control, as our control bases; the inverse of the
 * exporter's mapping (src/export/bodsFormat.ts), so a control exported and imported keeps its basis. A
 * votingRights interest is a voting share when the statement also states a shareholding, and control (by
 * vote) when it stands alone. Board membership (boardMember, boardChair) is not control here, as FtM's
 * Directorship is not (ftm.ts); trust roles and rights to surplus or profit are not modelled, and skipped.
 */
export const CONTROL_BASES: Readonly<Record<string, ControlRecord['basis']>> = {
  votingRights: 'VOTING_AGREEMENT',
  appointmentOfBoard: 'BOARD_CONTROL',
  rightsGrantedByContract: 'VIE_CONTRACT',
  conditionalRightsGrantedByContract: 'VIE_CONTRACT',
  controlViaCompanyRulesOrArticles: 'GOLDEN_SHARE',
  otherInfluenceOrControl: 'OTHER',
  seniorManagingOfficial: 'OTHER',
  controlByLegalFramework: 'OTHER',
};
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function bodsReader(): FormatReader {
  // Statement ids that later statements replace (0.2/0.3): collected while the parties' pass reads the
  // file, applied when the relationships' pass reads it again. Only replaced ids are held in memory.
  const replaced = new Set<string>();
  const noteReplaced = (statements: Json[]) => {
    for (const s of statements) {
      for (const id of Array.isArray(s.replacesStatements) ? (s.replacesStatements as unknown[]) : []) {
        if (typeof id === 'string') replaced.add(id);
      }
    }
  };
  const statementsOf = (json: unknown) => (Array.isArray(json) ? json.map(obj) : [obj(json)]);
  return {
    rows: 'lines',
    idPrefix: 'bods',
    rowsOf: jsonRows,
    // One JSON array can break off (a syntax error, a cut file); JSON lines cannot, a bad line is one line.
    rowsMayStop: startsWithArray,
    // A resumed import skips rows it read before the crash: the replaced ids they name are still noted.
    scan(row, line) {
      const parsed = parseJsonLine(row, line);
      if (parsed.ok) noteReplaced(statementsOf(parsed.json));
    },
    read(row, line, at) {
      const parsed = parseJsonLine(row, line);
      if (!parsed.ok) return parsed.items;
      const json = parsed.json;
      const statements = statementsOf(json);
      // A statement of an array is named by its index, so a problem points at one statement of its line.
      const named = (items: Incoming[], index: number | undefined) =>
        index === undefined
          ? items
          : items.map((item) =>
              item.kind === 'rejected'
                ? { ...item, field: `[${index}]${item.field ? `.${item.field}` : ''}` }
                : item,
            );
      noteReplaced(statements);
      return statements.flatMap((s, i) =>
        named(readStatement(s, line, replaced), Array.isArray(json) ? i : at?.index),
      );
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
  // A date the exporter rounded to a full day (BODS 0.4 takes no partial one) comes back as it was given.
  const partials = partialDatesOf(s.annotations);
  const base = s.recordDetails ? '/recordDetails' : '';
  const dateAt: DateAt = (value, pointer) => restoredDate(value, `${base}${pointer}`, partials);
  if (kind === 'entity') return readEntity(details, localId, line, dateAt);
  if (kind === 'person') return readPerson(details, localId, line);
  return readRelationship(s, details, localId, line, dateAt);
}

function identifiersOf(details: Json, line: number, out: Incoming[]): IdentifierValue[] {
  const identifiers: IdentifierValue[] = [];
  list(details.identifiers).forEach((i, index) => {
    const scheme = str(i.scheme) ?? BY_SCHEME_NAME[str(i.schemeName) ?? ''];
    const id = str(i.id);
    if (!scheme || !id) return;
    const raw =
      scheme === 'XI-LEI'
        ? { scheme: 'LEI', value: id }
        : scheme === 'WIKIDATA' || scheme === 'OPENSANCTIONS'
          ? { scheme, value: id }
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

/** Identifiers BODS names by schemeName only (no org-id.guide code), as our exporter writes them. */
const BY_SCHEME_NAME: Readonly<Record<string, string>> = {
  Wikidata: 'WIKIDATA',
  OpenSanctions: 'OPENSANCTIONS',
};

/** Stock listings (`publicListing.securitiesListings`) with their market's code, as tickers. */
function listingsOf(details: Json): IdentifierValue[] {
  return list(obj(details.publicListing).securitiesListings).flatMap((l) => {
    const parsed = Identifier.safeParse({
      scheme: 'TICKER',
      exchange: str(l.marketIdentifierCode),
      value: str(obj(l.security).ticker),
    });
    return parsed.success ? [parsed.data] : [];
  });
}

function addressCountry(details: Json, types: string[]): string | null {
  for (const type of types) {
    const address = list(details.addresses).find((a) => a.type === type);
    const country = address && (str(address.country) ?? str(obj(address.country).code));
    if (country) return countryCode(country);
  }
  return null;
}

/** A date of the statement's details, at its JSON Pointer below them, as its annotations restore it. */
type DateAt = (value: unknown, pointer: string) => unknown;

function readEntity(details: Json, localId: string, line: number, dateAt: DateAt): Incoming[] {
  const name = str(details.name);
  if (!name)
    return [{ kind: 'rejected', line, field: 'name', message: 'is required (an entity needs a name)' }];
  const out: Incoming[] = [];
  const identifiers = [...identifiersOf(details, line, out), ...listingsOf(details)];
  const dates = dateReader(line);
  const fields: Json = {
    type: 'COMPANY',
    incorporation:
      countryCode(str(obj(details.jurisdiction).code)?.slice(0, 2)) ??
      addressCountry(details, ['registered']),
    headquarters: addressCountry(details, ['business', 'registered']),
    founded: dates.take(dateAt(details.foundingDate, '/foundingDate'), 'foundingDate'),
    description: dates.note(undefined) ?? null,
  };
  out.push(...dates.problems);
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

function readRelationship(s: Json, details: Json, localId: string, line: number, dateAt: DateAt): Incoming[] {
  const subject = str(details.subject) ?? str(obj(details.subject).describedByEntityStatement);
  const party = obj(details.interestedParty);
  const interested =
    str(details.interestedParty) ??
    str(party.describedByEntityStatement) ??
    str(party.describedByPersonStatement);
  if (!subject) return [{ kind: 'rejected', line, field: 'subject', message: 'must name the entity owned' }];
  if (!interested) return [{ kind: 'skipped', line, reason: 'interested party unknown or unspecified' }];
  const interests = list(details.interests);
  const at = (interest: Json, field: string) =>
    dateAt(interest[field], `/interests/${interests.indexOf(interest)}/${field}`);
  const direct = interests.filter((i) => (str(i.directOrIndirect) ?? str(i.interestLevel)) !== 'indirect');
  const shareholding = direct.find((i) => i.type === 'shareholding');
  const voting = direct.find((i) => i.type === 'votingRights');
  // A votingRights share beside a shareholding is the stake's voting share, not control of its own.
  const controls = direct.filter(
    (i) => CONTROL_BASES[str(i.type) ?? ''] && !(shareholding && i === voting && i.share !== undefined),
  );
  if (!shareholding && controls.length === 0) {
    const indirect = interests.length > direct.length;
    return [
      {
        kind: 'skipped',
        line,
        reason: indirect
          ? 'indirect interest: recorded link by link instead'
          : 'no shareholding nor control interest we model (board seats, trust roles, rights to profit)',
      },
    ];
  }
  const closed = str(s.recordStatus) === 'closed';
  const dates = dateReader(line);
  const statementDate = str(s.statementDate);
  const closedOn = closed ? dates.take(s.statementDate, 'statementDate') : null;
  const out: Incoming[] = [];
  const problems: Rejection[] = [];
  if (shareholding) {
    const share = shareOf(obj(shareholding.share));
    const votingShare = voting && !controls.includes(voting) ? shareOf(obj(voting.share)) : null;
    const startDate = dates.take(at(shareholding, 'startDate'), 'interests.startDate');
    const endDate = dates.take(at(shareholding, 'endDate'), 'interests.endDate') ?? closedOn;
    out.push({
      kind: 'ownership',
      line,
      localId,
      owner: { localId: interested },
      owned: { localId: subject },
      share,
      ...(votingShare && JSON.stringify(votingShare) !== JSON.stringify(share) ? { votingShare } : {}),
      startDate,
      endDate,
      note: dates.note(`BODS statement of ${statementDate ?? 'unknown date'}`),
    });
  }
  const bases = new Set<string>();
  for (const interest of controls) {
    const type = str(interest.type)!;
    const basis = CONTROL_BASES[type]!;
    const interestDates = dateReader(line);
    const control: IncomingControl = {
      kind: 'control',
      line,
      // One record per interest type of the statement, so a rerun rewrites the same records.
      localId: `${localId}-${type}`,
      controller: { localId: interested },
      controlled: { localId: subject },
      basis,
      startDate: interestDates.take(at(interest, 'startDate'), `interests.${type}.startDate`),
      endDate: interestDates.take(at(interest, 'endDate'), `interests.${type}.endDate`) ?? closedOn,
    };
    const description = interestDates.note(str(interest.details) ?? describeShare(type, interest));
    if (description) control.description = description;
    problems.push(...interestDates.problems);
    if (!bases.has(type)) out.push(control);
    bases.add(type);
  }
  return [...dates.problems, ...problems, ...out];
}

function describeShare(type: string, interest: Json): string | undefined {
  const share = shareOf(obj(interest.share));
  return share ? `${type}: ${JSON.stringify(share)}` : undefined;
}
