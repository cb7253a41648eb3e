import { parse } from 'csv-parse/sync';
import { identifierKey, parseIdentifierKey, type Identifier } from '../model/identifier';
import { countryCode } from '../import/countries';

/**
 * A customer list uploaded as CSV for screening (`POST /screen`), checked whole before anything is asked:
 * a header row naming some of the columns below, then one customer a row. Each row is screened by its
 * strongest key: an LEI or other identifier exactly, else our id, else its name (which is also tried when
 * an identifier is not in the graph). `country` is compared with the country of the party a name matched.
 */

export const UPLOAD_COLUMNS = ['ref', 'name', 'country', 'lei', 'identifiers', 'id'] as const;
type Column = (typeof UPLOAD_COLUMNS)[number];

export interface Customer {
  /** The line of the file the row starts on. */
  line: number;
  ref: string | null;
  name: string | null;
  country: string | null;
  id: string | null;
  /** Canonical keys (LEI:…, REGISTRY:…:…), the LEI column's first. */
  identifiers: Identifier[];
}

export interface ListProblem {
  line: number;
  column?: string;
  message: string;
}

export type UploadedList =
  { ok: true; customers: Customer[] } | { ok: false; tooMany?: true; problems: ListProblem[] };

const MAX_PROBLEMS = 20;

export function parseCustomerList(text: string, maxRows: number): UploadedList {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, problems: [{ line, message: `is not valid CSV: ${(error as Error).message}` }] };
  }
  const [head, ...rows] = records;
  if (!head) return { ok: false, problems: [{ line: 1, message: 'the body holds no header row' }] };
  const header = head.record.map((c) => c.trim().toLowerCase());
  const unknown = header.filter((c) => !(UPLOAD_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0 || !header.some((c) => ['name', 'lei', 'identifiers', 'id'].includes(c))) {
    return {
      ok: false,
      problems: [
        {
          line: 1,
          column: unknown[0] ?? 'header',
          message:
            (unknown.length > 0 ? `has unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; ` : '') +
            `the header names some of ${UPLOAD_COLUMNS.join(', ')}, at least one of name, lei, identifiers, id`,
        },
      ],
    };
  }
  if (rows.length > maxRows) {
    return {
      ok: false,
      tooMany: true,
      problems: [
        {
          line: rows[maxRows]!.info.lines,
          message: `is customer ${maxRows + 1}: at most ${maxRows} are screened in one upload (SCREEN_UPLOAD_MAX_ROWS)`,
        },
      ],
    };
  }
  const problems: ListProblem[] = [];
  const customers: Customer[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== header.length) {
      problems.push({
        line,
        ...(record.length < header.length ? { column: header[record.length] } : {}),
        message: `has ${record.length} field(s), the header ${header.length}`,
      });
      continue;
    }
    const cell = (c: Column) => {
      const i = header.indexOf(c);
      const value = i < 0 ? '' : record[i]!.trim();
      return value === '' ? null : value;
    };
    const bad = (column: Column, message: string) => problems.push({ line, column, message });
    const country = cell('country');
    const code = country === null ? null : countryCode(country);
    if (country !== null && !code) bad('country', `"${country}" is not an ISO 3166-1 alpha-2 country code`);
    const identifiers: Identifier[] = [];
    const lei = cell('lei');
    const keys = [
      ...(lei ? [{ column: 'lei' as const, text: `LEI:${lei.toUpperCase()}` }] : []),
      ...(cell('identifiers') ?? '')
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean)
        .map((text) => ({ column: 'identifiers' as const, text })),
    ];
    for (const { column, text } of keys) {
      const parsed = parseIdentifierKey(text);
      if (parsed.success) identifiers.push(parsed.data);
      else bad(column, `"${column === 'lei' ? lei : text}" ${parsed.error.issues[0]!.message}`);
    }
    const customer = {
      line,
      ref: cell('ref'),
      name: cell('name'),
      country: code,
      id: cell('id'),
      identifiers,
    };
    if (!customer.name && !customer.id && identifiers.length === 0 && keys.length === 0) {
      bad('name', 'is empty, and so are lei, identifiers and id: nothing to screen');
    }
    customers.push(customer);
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length > 0) return { ok: false, problems };
  if (customers.length === 0)
    return { ok: false, problems: [{ line: 2, message: 'the list holds no customer' }] };
  return { ok: true, customers };
}

/** The key a customer is first screened by, as the screen answers name its input. */
export function firstKey(customer: Customer): string | null {
  return customer.identifiers[0] ? identifierKey(customer.identifiers[0]) : null;
}
