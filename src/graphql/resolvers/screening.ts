import type { QueryScreenArgs } from '../__generated__/resolvers';
import { ARGUMENT_DEFAULTS, type Context } from '../context';
import { badInput } from '../errors';
import type { ScreenResultRow } from '../exposureRows';
import { checkScreenName, matchName, screenEntities, shortReason, type Candidate } from '../../reasoning';
import { SearchTextRefused, searchPartiesByNames, type NameHit } from '../../queries/search';
import { policyRulesAt, recordsAt, stamp, stampAnswer, upstreamAt } from '../knownAsOf';
import { unwrap } from '../arguments';
import { notFound } from '../errors';
import { screenIdentifiers, screenedIdentifiers } from './screeningByIdentifier';

/** A customer list of up to this many names and ids is screened in one request. */
export const MAX_SCREEN = 5000;
const MAX_POLICIES = 20;

/**
 * Screening a customer list: every name resolved through the full-text index in one query, every matched
 * entity's owners fetched in one query, each policy evaluated once over them all.
 */
export async function screenCustomers(ctx: Context, args: QueryScreenArgs) {
  const names = args.customers.names ?? [];
  const ids = args.customers.ids ?? [];
  const identifiers = screenedIdentifiers(args.customers);
  const total = names.length + ids.length + identifiers.length;
  if (total === 0 || total > MAX_SCREEN) {
    throw badInput(
      'customers',
      `must hold between 1 and ${MAX_SCREEN} names and ids in all`,
      `${total} entries`,
    );
  }
  if (args.policies.length === 0 || args.policies.length > MAX_POLICIES) {
    throw badInput('policies', `must name between 1 and ${MAX_POLICIES} policies`, args.policies);
  }
  const day = args.asOf ?? ctx.today;
  const unknownAs = args.unknownAs ?? ARGUMENT_DEFAULTS.unknownAs;
  const rules = await policyRulesAt(ctx, args.policies, args.knownAsOf);
  args.policies.forEach((id, i) => {
    if (!rules.has(id)) throw notFound(`policies[${i}]`, 'policy', id);
  });

  const results: ScreenResultRow[] = [];
  // An entry that cannot be a name gets its own error; only the others go to the full-text index.
  const problems = names.map((name, i) => checkScreenName(name, ['customers', 'names', i]));
  const valid = names.filter((_, i) => !problems[i]);
  const validHits = valid.length > 0 ? await resolveNames(ctx, valid) : [];
  let next = 0;
  const hitsByName = names.map((_, i) => (problems[i] ? [] : (validHits[next++] ?? [])));
  names.forEach((name, i) => {
    const problem = problems[i];
    if (problem) {
      results.push({
        input: name,
        status: 'INVALID',
        matchId: null,
        score: null,
        matchedName: null,
        error: problem.message,
        candidates: [],
        verdicts: [],
      });
      return;
    }
    const hits = hitsByName[i] ?? [];
    const candidates: Candidate[] = hits.map((h) => ({
      id: h.row.id,
      name: h.row.name as string,
      aliases: (h.row.aliases as string[]) ?? [],
      score: h.score,
    }));
    const m = matchName(name, candidates);
    const byId = new Map(hits.map((h) => [h.row.id, h]));
    results.push({
      input: name,
      status: m.status,
      matchId: m.match?.id ?? null,
      score: m.match?.score ?? null,
      matchedName: m.matchedName,
      scoreExplanation: m.explanation?.sentence ?? null,
      candidates: m.candidates
        .slice(0, 5)
        .map((c) => ({ node: byId.get(c.id)!.row, score: c.score, matched: c.name })),
      verdicts: [],
    });
  });
  const known = ids.length > 0 ? await recordsAt(ctx, ids, args.knownAsOf) : [];
  ids.forEach((id, i) => {
    const row = known[i];
    const ok = row && (row._label === 'Organization' || row._label === 'Person');
    results.push({
      input: id,
      status: ok ? 'MATCHED' : 'NOT_FOUND',
      matchId: ok ? id : null,
      score: null,
      matchedName: ok ? (row.name as string) : null,
      candidates: [],
      verdicts: [],
    });
  });

  results.push(...(await screenIdentifiers(ctx, identifiers, args.knownAsOf)));

  const matched = [...new Set(results.map((r) => r.matchId).filter((id): id is string => id !== null))];
  if (matched.length > 0) {
    const graph = await upstreamAt(ctx, matched, args.knownAsOf);
    for (const policyId of args.policies) {
      const rule = rules.get(policyId)!;
      const screening = unwrap(screenEntities(graph, rule, matched, { asOf: day, unknownAs }));
      const byEntity = new Map(screening.entities.map((e) => [e.entityId, e]));
      for (const result of results) {
        const e = result.matchId ? byEntity.get(result.matchId) : undefined;
        if (!e) continue;
        const share = rule.aggregation === 'AGGREGATE' ? e.aggregate : e.lookThrough;
        const reason = screening.policyStatus.inForce
          ? shortReason(rule, graph, e.entityId, { reason: e.reason, share, verdict: e.verdict })
          : `policy ${screening.policyStatus.status.toLowerCase().replace(/_/g, ' ')} on ${day}`;
        result.verdicts.push({
          policyId,
          verdict: e.verdict,
          policyStatus: screening.policyStatus,
          share,
          reason,
        });
      }
    }
  }
  // Under knownAsOf, each match and verdict names its party and policy as known then. Candidates stay as
  // found: names are matched against today's names and aliases.
  if (args.knownAsOf) {
    for (const result of results) {
      stamp(result, args.knownAsOf);
      stampAnswer(result.verdicts, args.knownAsOf);
    }
  }
  const matchedRows = results.filter((r) => r.status === 'MATCHED');
  return {
    asOf: day,
    results,
    summary: {
      total: results.length,
      matched: matchedRows.length,
      ambiguous: results.filter((r) => r.status === 'AMBIGUOUS').length,
      notFound: results.filter((r) => r.status === 'NOT_FOUND').length,
      covered: matchedRows.filter((r) => r.verdicts.some((v) => v.verdict === 'COVERED')).length,
      possiblyCovered: matchedRows.filter(
        (r) =>
          !r.verdicts.some((v) => v.verdict === 'COVERED') &&
          r.verdicts.some((v) => v.verdict === 'POSSIBLY_COVERED'),
      ).length,
    },
  };
}

/** Full-text candidates for every name, organizations and persons only, in one query; primed into the loader. */
async function resolveNames(ctx: Context, names: readonly string[]): Promise<NameHit[][]> {
  const hits = await ctx.db
    .read((query) => searchPartiesByNames(query, names))
    .catch((error: unknown) => {
      if (!(error instanceof SearchTextRefused)) throw error;
      // One query matches every name; the index does not say which it refused, so name the wordiest.
      const words = (name: string) => name.split(/\s+/).length;
      throw badInput('customers.names', error.message, [...names].sort((a, b) => words(b) - words(a))[0]);
    });
  for (const h of hits.flat()) ctx.loaders.record.prime(h.row.id, h.row);
  return hits;
}
