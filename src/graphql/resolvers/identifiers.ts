import type { QueryPartiesByIdentifierArgs, Resolvers } from '../__generated__/resolvers';
import type { Context } from '../context';
import { badInput } from '../errors';
import { Identifier, identifierKey, parseIdentifierKey } from '../../model/identifier';
import { checkKnownAsOf, partiesByIdentifierAt } from '../knownAsOf';
import type { NodeRow } from '../../records/rows';
import { rowOf } from './shared';

/** An identifier as the API shows it: its parts, its canonical key and, where the scheme has one, a page. */
export interface IdentifierRow {
  scheme: Identifier['scheme'];
  value: string;
  registry: string | null;
  exchange: string | null;
  key: string;
  url: string | null;
}

function pageOf(identifier: Identifier): string | null {
  switch (identifier.scheme) {
    case 'LEI':
      return `https://search.gleif.org/#/record/${identifier.value}`;
    case 'WIKIDATA':
      return `https://www.wikidata.org/wiki/${identifier.value}`;
    case 'OPENSANCTIONS':
      return `https://www.opensanctions.org/entities/${encodeURIComponent(identifier.value)}/`;
    case 'REGISTRY':
      return identifier.registry === 'GB-COH'
        ? `https://find-and-update.company-information.service.gov.uk/company/${encodeURIComponent(identifier.value)}`
        : null;
    case 'TICKER':
      return null;
    default:
      return null;
  }
}

/** The identifiers a party row stores (canonical keys), as API rows; a key that no longer parses is skipped. */
export function identifierRows(row: NodeRow): IdentifierRow[] {
  const keys = Array.isArray(row.identifiers) ? (row.identifiers as string[]) : [];
  return keys.flatMap((key) => {
    const parsed = parseIdentifierKey(key);
    if (!parsed.success) return [];
    const identifier = parsed.data;
    return [
      {
        scheme: identifier.scheme,
        value: identifier.value,
        registry: identifier.scheme === 'REGISTRY' ? identifier.registry : null,
        exchange: identifier.scheme === 'TICKER' ? identifier.exchange : null,
        key,
        url: pageOf(identifier),
      },
    ];
  });
}

/**
 * An identifier argument, checked by its scheme's rules: the canonical key, or a BAD_USER_INPUT error that
 * names the argument, the rule and the value received.
 */
export function identifierArgument(argument: string, input: Record<string, unknown>): string {
  const raw = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
  const parsed = Identifier.safeParse(raw);
  if (parsed.success) return identifierKey(parsed.data);
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? `${argument}.${issue.path.join('.')}` : argument;
  throw badInput(field, issue.message, raw);
}

export async function partiesByIdentifier(ctx: Context, args: QueryPartiesByIdentifierArgs) {
  const key = identifierArgument('identifier', args.identifier);
  const knownAsOf = checkKnownAsOf('knownAsOf', args.knownAsOf);
  const [hits = []] = await partiesByIdentifierAt(ctx, [key], knownAsOf);
  return hits.map((row) => rowOf(row, ['Organization', 'Person']));
}

export const identifierResolvers: Resolvers = {
  Query: {
    partiesByIdentifier: (_, args, ctx) => partiesByIdentifier(ctx, args),
  },
};
