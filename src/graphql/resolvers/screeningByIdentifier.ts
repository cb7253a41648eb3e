import type { CustomerList } from '../__generated__/resolvers';
import type { Context } from '../context';
import type { ScreenResultRow } from '../exposureRows';
import { Identifier, identifierKey } from '../../model/identifier';
import { partiesByIdentifierAt } from '../knownAsOf';

/**
 * Screening by identifier: an LEI or any other identifier is matched exactly, never fuzzily. One that fails
 * its scheme's rules (an LEI with wrong check digits) is INVALID with the reason; the rest of the list is
 * screened. A ticker held by two records (a reused symbol) is AMBIGUOUS with both as candidates.
 */

/** Each identifier entry of the list, as its canonical key or the reason it is not one. */
export function screenedIdentifiers(
  customers: CustomerList,
): Array<{ input: string; key: string } | { input: string; error: string }> {
  const entries: Array<Record<string, unknown>> = [
    ...(customers.lei ?? []).map((value) => ({ scheme: 'LEI', value: value.trim().toUpperCase() })),
    ...(customers.identifiers ?? []).map((i) =>
      Object.fromEntries(Object.entries(i).filter(([, v]) => v !== null && v !== undefined)),
    ),
  ];
  return entries.map((raw) => {
    const parsed = Identifier.safeParse(raw);
    const input = [raw.scheme, raw.registry ?? raw.exchange, raw.value].filter(Boolean).join(':');
    if (parsed.success) return { input, key: identifierKey(parsed.data) };
    const issue = parsed.error.issues[0]!;
    return { input, error: `${issue.path.join('.') || 'identifier'} ${issue.message}` };
  });
}

export async function screenIdentifiers(
  ctx: Context,
  entries: ReturnType<typeof screenedIdentifiers>,
  knownAsOf?: string | null,
): Promise<ScreenResultRow[]> {
  const keys = entries.flatMap((e) => ('key' in e ? [e.key] : []));
  const hits = await partiesByIdentifierAt(ctx, keys, knownAsOf);
  let next = 0;
  return entries.map((entry): ScreenResultRow => {
    const base = { input: entry.input, score: null, candidates: [], verdicts: [] };
    if (!('key' in entry)) {
      return { ...base, status: 'INVALID', matchId: null, matchedName: null, error: entry.error };
    }
    const rows = hits[next++] ?? [];
    if (rows.length === 1) {
      const row = rows[0]!;
      return { ...base, status: 'MATCHED', matchId: row.id, score: 1, matchedName: row.name as string };
    }
    return {
      ...base,
      status: rows.length === 0 ? 'NOT_FOUND' : 'AMBIGUOUS',
      matchId: null,
      matchedName: null,
      candidates: rows.map((row) => ({ node: row, score: 1, matched: entry.key })),
    };
  });
}
