import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Confidence, PartialDate, partialDate } from '../model/common';
import { ControlBasis } from '../model/ownership';
import { identifierKey, parseIdentifierKey, type Identifier } from '../model/identifier';
import { OrganizationType } from '../model/party';
import { CONTROL_BASES } from './bods';
import { countryCode } from './countries';
import { recordIssues } from './csvRecordCheck';
import { CSV_ID_PREFIX, kindOfHeader, type CsvKind } from './csvTemplates';
import type { FormatReader, Incoming, Ref, Rejection } from './incoming';
import { idPrefixesOf, type ReferenceField } from './referenceKinds';

/**
 * One row of a CSV template (csvTemplates.ts) in our terms. Every cell is checked here, before anything is
 * written, and a bad one is rejected naming its column: the whole-folder check (csvImport.ts) runs this
 * same reader over every file first.
 */

type Row = Record<string, string>;

const cell = (row: Row, column: string): string => (row[column] ?? '').trim();
const list = (text: string): string[] =>
  text
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** The Source record a `source_url` cell becomes: one per URL, whichever row or import names it. */
export function sourceIdOfUrl(url: string): string {
  return `src:url-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
}

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });

class CellError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(column: string, value: string, reason: string): never {
  throw new CellError(column, `${JSON.stringify(value)} ${reason}`);
}

function country(row: Row, column: string): string | undefined {
  const text = cell(row, column);
  if (text === '') return undefined;
  return countryCode(text) ?? fail(column, text, 'is not an ISO 3166-1 alpha-2 country code such as "CN"');
}

function date(row: Row, column: string): string | null {
  const text = cell(row, column);
  if (text === '') return null;
  return PartialDate.safeParse(text).success
    ? text
    : fail(column, text, 'must be a date in the form YYYY-MM-DD, YYYY-MM (month only) or YYYY (year only)');
}

function percentage(column: string, text: string): number {
  const number = text.replace(/\s*%$/, '');
  const value = /^\d+(\.\d+)?$/.test(number) ? Number(number) : NaN;
  if (!(value >= 0 && value <= 100)) fail(column, text, 'must be a percentage between 0 and 100');
  return value;
}

function share(row: Row): Record<string, number> | null {
  const exact = cell(row, 'share');
  const min = cell(row, 'share_min');
  const max = cell(row, 'share_max');
  if (exact !== '') {
    if (min !== '' || max !== '')
      fail('share', exact, 'is exact: leave share_min and share_max empty, or give only the range');
    return { exact: percentage('share', exact) };
  }
  if (min === '' && max === '') return null;
  const out: Record<string, number> = {};
  if (min !== '') {
    if (min.startsWith('>')) out.exclusiveMinimum = percentage('share_min', min.slice(1).trim());
    else out.minimum = percentage('share_min', min);
  }
  if (max !== '') {
    if (max.startsWith('<')) out.exclusiveMaximum = percentage('share_max', max.slice(1).trim());
    else out.maximum = percentage('share_max', max);
  }
  const low = out.minimum ?? out.exclusiveMinimum ?? 0;
  const high = out.maximum ?? out.exclusiveMaximum ?? 100;
  if (low > high) fail('share_max', max, `is below share_min (${min})`);
  return out;
}

function identifiers(row: Row): Identifier[] {
  const out: Identifier[] = [];
  const seen = new Set<string>();
  for (const text of list(cell(row, 'identifiers'))) {
    const parsed = parseIdentifierKey(text);
    if (!parsed.success) {
      fail(
        'identifiers',
        text,
        `is not an identifier (LEI:…, REGISTRY:<register>:<number>, TICKER:<MIC>:<symbol>, WIKIDATA:Q…, ` +
          `OPENSANCTIONS:…): ${parsed.error.issues[0]!.message}`,
      );
    }
    const key = identifierKey(parsed.data);
    if (seen.has(key)) fail('identifiers', text, 'is given twice');
    seen.add(key);
    out.push(parsed.data);
  }
  return out;
}

/** A reference cell: an id of a kind the column may name (referenceKinds.ts), or an identifier key. */
function ref(row: Row, column: ReferenceField): Ref {
  const text = cell(row, column);
  if (text === '') throw new CellError(column, 'is required');
  const prefixes = idPrefixesOf(column);
  const prefix = prefixes.find((p) => text.startsWith(`${p}:`));
  if (prefix) {
    if (!/^[a-z]+:[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text))
      fail(column, text, 'is not a valid id ("prefix:slug")');
    return { id: text };
  }
  const parsed = parseIdentifierKey(text);
  if (parsed.success) return { key: identifierKey(parsed.data) };
  return fail(
    column,
    text,
    `must be an id (${prefixes.map((p) => `${p}:…`).join(', ')}) or an identifier such as LEI:…`,
  );
}

function ownId(row: Row, prefix: string): string | undefined {
  const text = cell(row, 'id');
  if (text === '') return undefined;
  if (!new RegExp(`^${prefix}:[A-Za-z0-9][A-Za-z0-9._-]*$`).test(text))
    fail('id', text, `must be an id of the form "${prefix}:slug" (letters, digits, ".", "_", "-")`);
  return text;
}

function sources(row: Row): string[] {
  const ids = list(cell(row, 'sources'));
  for (const id of ids) {
    if (!/^src:[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) fail('sources', id, 'is not a source id ("src:slug")');
  }
  const url = cell(row, 'source_url');
  if (url !== '') {
    if (!HttpUrl.safeParse(url).success) fail('source_url', url, 'must be an absolute http(s) URL');
    ids.push(sourceIdOfUrl(url));
  }
  return [...new Set(ids)];
}

function optional<T>(key: string, value: T | undefined | null | ''): Record<string, T> {
  return value === undefined || value === null || value === '' ? {} : { [key]: value };
}

function enumCell<T extends string>(
  row: Row,
  column: string,
  values: readonly T[],
  fallback?: T,
): T | undefined {
  const text = cell(row, column).toUpperCase();
  if (text === '') return fallback;
  return values.includes(text as T)
    ? (text as T)
    : fail(column, cell(row, column), `must be one of ${values.join(', ')}`);
}

function readParty(row: Row, line: number, label: 'Organization' | 'Person'): Incoming[] {
  const prefix = label === 'Organization' ? 'org' : 'person';
  const id = ownId(row, prefix);
  const name = cell(row, 'name');
  if (name === '') throw new CellError('name', 'is required');
  const ids = identifiers(row);
  const fields: Record<string, unknown> =
    label === 'Organization'
      ? {
          type: enumCell(row, 'type', OrganizationType.options, 'COMPANY'),
          ...optional('headquarters', country(row, 'headquarters')),
          ...optional('incorporation', country(row, 'incorporation')),
          ...optional('founded', date(row, 'founded')),
          ...optional('website', websiteOf(row)),
          ...optional('description', cell(row, 'description')),
        }
      : {
          ...optional('nationality', country(row, 'nationality')),
          ...optional('residence', country(row, 'residence')),
          ...optional('description', cell(row, 'description')),
        };
  const aliases = list(cell(row, 'aliases')).filter((a) => a !== name);
  // Without an id the row is known by its first identifier, else its name and country: a rerun finds it again.
  const place = (fields.headquarters ?? fields.residence ?? '') as string;
  const localId = id ?? (ids[0] ? identifierKey(ids[0]) : `${name} ${place}`.trim());
  const extra = sources(row);
  return [
    {
      kind: 'party',
      line,
      localId,
      ...(id ? { id } : {}),
      label,
      name,
      ...(aliases.length > 0 ? { aliases: [...new Set(aliases)] } : {}),
      identifiers: ids,
      fields,
      ...(extra.length > 0 ? { sources: extra } : {}),
    },
  ];
}

function websiteOf(row: Row): string | undefined {
  const text = cell(row, 'website');
  if (text === '') return undefined;
  return z.url().safeParse(text).success ? text : fail('website', text, 'must be an absolute URL');
}

const describe = (r: Ref): string => ('id' in r ? r.id : 'localId' in r ? r.localId : r.key);

function readOwnership(row: Row, line: number): Incoming[] {
  const id = ownId(row, 'own');
  const owner = ref(row, 'owner');
  const owned = ref(row, 'owned');
  if (describe(owner) === describe(owned)) fail('owned', cell(row, 'owned'), 'must differ from owner');
  const { startDate, endDate } = period(row);
  const confidence = enumCell(row, 'confidence', Confidence.options);
  const extra = sources(row);
  return [
    {
      kind: 'ownership',
      line,
      localId: id ?? [describe(owner), describe(owned), startDate ?? ''].join('-'),
      ...(id ? { id } : {}),
      owner,
      owned,
      share: share(row),
      startDate,
      endDate,
      ...optional('note', cell(row, 'note')),
      ...(confidence ? { confidence } : {}),
      ...(extra.length > 0 ? { sources: extra } : {}),
    },
  ];
}

/**
 * A basis of control: one of ours (any case), or the BODS 0.4 interest type of control it stands for, as the
 * BODS reader maps it (`CONTROL_BASES`), so an analyst copying a register's BODS terms need not translate.
 */
function controlBasis(row: Row): z.infer<typeof ControlBasis> {
  const text = cell(row, 'basis');
  if (text === '') throw new CellError('basis', 'is required');
  const ours = ControlBasis.safeParse(text.toUpperCase().replace(/[\s-]+/g, '_'));
  if (ours.success) return ours.data;
  const bods = Object.entries(CONTROL_BASES).find(([type]) => type.toLowerCase() === text.toLowerCase());
  if (bods) return bods[1];
  return fail(
    'basis',
    text,
    `must be one of ${ControlBasis.options.join(', ')}, or a BODS interest type of control ` +
      `(${Object.keys(CONTROL_BASES).join(', ')})`,
  );
}

function readControl(row: Row, line: number): Incoming[] {
  const id = ownId(row, 'ctrl');
  const controller = ref(row, 'controller');
  const controlled = ref(row, 'controlled');
  if (describe(controller) === describe(controlled))
    fail('controlled', cell(row, 'controlled'), 'must differ from controller');
  const basis = controlBasis(row);
  const description = cell(row, 'description');
  const { startDate, endDate } = period(row);
  const confidence = enumCell(row, 'confidence', Confidence.options);
  const extra = sources(row);
  return [
    {
      kind: 'control',
      line,
      localId: id ?? [describe(controller), describe(controlled), basis, startDate ?? ''].join('-'),
      ...(id ? { id } : {}),
      controller,
      controlled,
      basis,
      startDate,
      endDate,
      ...optional('description', description),
      ...(confidence ? { confidence } : {}),
      ...(extra.length > 0 ? { sources: extra } : {}),
    },
  ];
}

function readDesignation(row: Row, line: number): Incoming[] {
  const id = ownId(row, 'desig');
  const policy = cell(row, 'policy');
  if (policy === '') throw new CellError('policy', 'is required');
  if (!/^policy:[A-Za-z0-9][A-Za-z0-9._-]*$/.test(policy))
    fail('policy', policy, 'must be a policy id ("policy:slug")');
  const entity = ref(row, 'entity');
  const { startDate, endDate } = period(row);
  const extra = sources(row);
  return [
    {
      kind: 'designation',
      line,
      localId: id ?? describe(entity),
      ...(id ? { id } : {}),
      entity,
      policies: [policy],
      ...optional('listName', cell(row, 'list_name')),
      startDate,
      endDate,
      ...optional('note', cell(row, 'note')),
      ...(extra.length > 0 ? { sources: extra } : {}),
    },
  ];
}

/** A row's start_date and end_date, the end not before the start. */
function period(row: Row): { startDate: string | null; endDate: string | null } {
  const startDate = date(row, 'start_date');
  const endDate = date(row, 'end_date');
  // As the data-set format compares them (model/common.ts): an end whose last day is before the start's first.
  const first = startDate ? partialDate(startDate)?.first : undefined;
  const last = endDate ? partialDate(endDate)?.last : undefined;
  if (first && last && last < first)
    fail('end_date', endDate!, `must not be before start_date (${startDate})`);
  return { startDate, endDate };
}

/** The reader of one kind of template, or (kind null) of whichever kind each row's columns tell. */
export function csvReader(kind: CsvKind | null = null): FormatReader {
  return {
    rows: 'csv',
    idPrefix: CSV_ID_PREFIX,
    read(value, line) {
      const row = value as Row;
      const items = readRow(row, line, kind ?? kindOfRow(row));
      // Every rule the writer enforces on the record, checked as the row is read (so before the first write).
      const issues = items.flatMap((item) =>
        item.kind === 'rejected' || item.kind === 'skipped' ? [] : recordIssues(item, row),
      );
      if (issues.length === 0) return items;
      return issues.map((i): Rejection => ({ kind: 'rejected', line, field: i.column, message: i.message }));
    },
  };
}

function readRow(row: Row, line: number, rowKind: CsvKind | null): Incoming[] {
  try {
    switch (rowKind) {
      case 'organizations':
        return readParty(row, line, 'Organization');
      case 'persons':
        return readParty(row, line, 'Person');
      case 'ownerships':
        return readOwnership(row, line);
      case 'controls':
        return readControl(row, line);
      case 'designations':
        return readDesignation(row, line);
      case null:
        return [
          {
            kind: 'rejected',
            line,
            field: 'header',
            message:
              'does not tell which template the file follows: name it organizations.csv, persons.csv, ' +
              'ownerships.csv, controls.csv or designations.csv, or give ids (org:…, person:…) in its ' +
              'id column',
          },
        ];
    }
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    const rejection: Rejection = { kind: 'rejected', line, field: error.column, message: error.message };
    return [rejection];
  }
}

/** The template a row follows when its file's name does not say: its columns, else its id's prefix. */
export function kindOfRow(row: Row): CsvKind | null {
  const byHeader = kindOfHeader(Object.keys(row));
  if (byHeader) return byHeader;
  const id = cell(row, 'id');
  if (id.startsWith('org:')) return 'organizations';
  if (id.startsWith('person:')) return 'persons';
  return null;
}
