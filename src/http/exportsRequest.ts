/**
 * What an export request asks for, validated: the route (which question, which format) and its parameters
 * from the query string, and for `screen` the customer list from the body (JSON, or CSV of names). Every
 * problem names the parameter and shows the value received; unknown parameters are refused, so a typo such
 * as `asof` does not quietly answer for today.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { isIsoDate } from '../graphql/scalars';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const ROUTES = {
  'covered-entities': { method: 'GET', field: 'coveredEntities' },
  screen: { method: 'POST', field: 'screen' },
  verdict: { method: 'GET', field: 'policyVerdict' },
} as const;
type RouteName = keyof typeof ROUTES;

const ROUTE_PATTERN = /^\/export\/(covered-entities|screen|verdict)\.(csv|json)$/;

export function isExportRoute(path: string): boolean {
  return path.startsWith('/export/');
}

const Day = z.string().refine(isIsoDate, 'must be a calendar day written YYYY-MM-DD');
const Id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const UnknownAs = z.enum(['NOT_COVERED', 'POSSIBLY_COVERED'], {
  message: 'must be NOT_COVERED or POSSIBLY_COVERED',
});
/** Passed to the API as it is: the schema's own scalar checks it and names the variable when it is wrong. */
const KnownAsOf = z.string().min(1, 'must not be empty');

const Common = { asOf: Day.optional(), knownAsOf: KnownAsOf.optional(), unknownAs: UnknownAs.optional() };

const CoveredParameters = z.object({ policy: Id, ...Common }).strict();
const VerdictParameters = z.object({ policy: Id, entity: Id, ...Common }).strict();
const ScreenParameters = z
  .object({
    policies: z.array(Id).min(1, 'must name at least one policy'),
    names: z.array(z.string()).optional(),
    ids: z.array(z.string()).optional(),
    ...Common,
  })
  .strict()
  .refine((p) => (p.names?.length ?? 0) + (p.ids?.length ?? 0) > 0, {
    path: ['names'],
    message: 'must list at least one customer (names or ids)',
  });

export type ExportRequest =
  | ({ kind: 'covered-entities'; format: ExportFormat } & z.infer<typeof CoveredParameters>)
  | ({ kind: 'verdict'; format: ExportFormat } & z.infer<typeof VerdictParameters>)
  | ({ kind: 'screen'; format: ExportFormat } & z.infer<typeof ScreenParameters>);

/** A refusal: the HTTP status and a sentence naming the parameter (or the route) and what was wrong. */
export interface ExportProblem {
  status: 400 | 404 | 405 | 415;
  message: string;
  parameter?: string;
  allow?: string;
}

/** The route and method alone, before the body is read: which question, in which format. */
export function exportRoute(
  path: string,
  method: string,
): { ok: true; kind: RouteName; format: ExportFormat } | { ok: false; problem: ExportProblem } {
  const match = ROUTE_PATTERN.exec(path);
  if (!match) {
    return {
      ok: false,
      problem: {
        status: 404,
        message: `No export ${path}; there are /export/covered-entities, /export/screen and /export/verdict, each .csv or .json.`,
      },
    };
  }
  const kind = match[1] as RouteName;
  const expected = ROUTES[kind].method;
  if (method !== expected) {
    return {
      ok: false,
      problem: {
        status: 405,
        message: `${path} answers ${expected} requests, not ${method}.`,
        allow: expected,
      },
    };
  }
  return { ok: true, kind, format: match[2] as ExportFormat };
}

/**
 * The parameters of a route: from the query string, and for `screen` merged with the body's (JSON object
 * with `names`, `ids` and any query parameter; or CSV whose first column, or whose `name` and `id` columns
 * under a header row, list the customers). A parameter given twice is refused rather than picked from.
 */
export function parseExportRequest(
  kind: RouteName,
  format: ExportFormat,
  search: URLSearchParams,
  body?: { contentType: string; text: string },
): { ok: true; request: ExportRequest } | { ok: false; problem: ExportProblem } {
  const fromQuery: Record<string, unknown> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    if (values.length > 1 && name !== 'policies')
      return refuse(name, `is given ${values.length} times; give it once`, values);
    fromQuery[name] = values[0];
  }
  switch (kind) {
    case 'covered-entities':
      return validated(CoveredParameters, fromQuery, (p) => ({ kind, format, ...p }));
    case 'verdict':
      return validated(VerdictParameters, fromQuery, (p) => ({ kind, format, ...p }));
    case 'screen': {
      const parameters: Record<string, unknown> = { ...fromQuery };
      if (typeof fromQuery.policies === 'string') {
        parameters.policies = search
          .getAll('policies')
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean);
      }
      const customers = customersOf(body);
      if (!customers.ok) return customers;
      for (const [name, value] of Object.entries(customers.parameters)) {
        if (name in parameters)
          return refuse(name, 'is given both in the query string and in the body', value);
        parameters[name] = value;
      }
      return validated(ScreenParameters, parameters, (p) => ({ kind, format, ...p }));
    }
    default:
      return kind satisfies never;
  }
}

function customersOf(
  body: { contentType: string; text: string } | undefined,
): { ok: true; parameters: Record<string, unknown> } | { ok: false; problem: ExportProblem } {
  if (!body || body.text.trim() === '') return refuse('body', 'must list the customers (JSON or CSV)', '');
  const type = body.contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return refuse('body', 'is not valid JSON', body.text.slice(0, 40));
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      return refuse('body', 'must be a JSON object such as {"names": [...], "policies": [...]}', json);
    return { ok: true, parameters: json as Record<string, unknown> };
  }
  if (type === 'text/csv' || type === 'text/plain') {
    let rows: string[][];
    try {
      rows = parseCsv(body.text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
    } catch (error) {
      return refuse('body', `is not valid CSV (${(error as Error).message})`, body.text.slice(0, 40));
    }
    const header = rows[0]?.map((cell) => cell.toLowerCase()) ?? [];
    const nameColumn = header.indexOf('name');
    const idColumn = header.indexOf('id');
    if (nameColumn < 0 && idColumn < 0)
      return { ok: true, parameters: { names: rows.map((r) => r[0] ?? '') } };
    const column = (index: number) =>
      index < 0
        ? []
        : rows
            .slice(1)
            .map((r) => r[index] ?? '')
            .filter((cell) => cell !== '');
    return { ok: true, parameters: { names: column(nameColumn), ids: column(idColumn) } };
  }
  return {
    ok: false,
    problem: {
      status: 415,
      parameter: 'body',
      message: `The body must be application/json or text/csv, got ${JSON.stringify(body.contentType || 'none')}.`,
    },
  };
}

function validated<S extends z.ZodType>(
  schema: S,
  input: Record<string, unknown>,
  build: (parameters: z.infer<S>) => ExportRequest,
): { ok: true; request: ExportRequest } | { ok: false; problem: ExportProblem } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, request: build(parsed.data) };
  const messages = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys((schema as unknown as z.ZodObject).shape ?? {}).join(', ');
      return `Unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}; this export takes ${known}.`;
    }
    const name = issue.path.map(String).join('.') || 'body';
    const top = issue.path[0];
    const received = typeof top === 'string' ? input[top] : input;
    return `Parameter "${name}" ${issue.message}, got ${JSON.stringify(received)}.`;
  });
  const first = parsed.error.issues[0];
  const parameter = first?.code === 'unrecognized_keys' ? first.keys[0] : String(first?.path[0] ?? 'body');
  return { ok: false, problem: { status: 400, message: messages.join(' '), parameter } };
}

function refuse(parameter: string, rule: string, received: unknown): { ok: false; problem: ExportProblem } {
  return {
    ok: false,
    problem: {
      status: 400,
      parameter,
      message: `Parameter "${parameter}" ${rule}, got ${JSON.stringify(received)}.`,
    },
  };
}
