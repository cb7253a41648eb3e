/**
 * Multiplicative look-through ownership ("MULT"): shares multiplied along each path and summed over all
 * paths (Open Ownership's summarisation of interests), computed as the integrated ownership of Brioschi et
 * al. (W~ = W + W W~) with cycles solved exactly, never by enumerating paths.
 */
import type { Entity, OwnershipGraph, Result } from './graph';
import { assertNever, checkDate, fail, ok } from './graph';
import type { Bounds, UnknownAs } from './bounds';
import { clampUnit, EPSILON, openEnds } from './bounds';
import type { GraphIndex } from './graphIndex';
import { indexGraph } from './graphIndex';
import { openFlags, solveLinearFlow } from './linearFlow';

/**
 * Where each path up from the entity stops. ULTIMATE_OWNER: at parties with no owners in force, or persons.
 * KNOWN_COUNTRY: at the first party whose country (on `basis`) is on record, so a CN-headquartered holding
 * company counts as CN even when its own owners have no country (issue 9: TikTok USDS, ByteDance 19.9%).
 * TARGETED_COUNTRY: at the first party whose country is one of `targetCountries`, else at ultimate owners.
 */
export type StopAt = 'ULTIMATE_OWNER' | 'KNOWN_COUNTRY' | 'TARGETED_COUNTRY';
export type CountryBasis = 'HEADQUARTERS' | 'INCORPORATION';

/**
 * Which of a person's countries counts where an organization's headquarters or incorporation would. A person
 * has no headquarters; the data set records residence and nationality (either may be missing: the seed knows
 * Liang Wenfeng's nationality, not his residence). MATCH_BASIS (the default) reads residence on the
 * HEADQUARTERS basis (where the person is, as headquarters is where a company is run) and nationality on the
 * INCORPORATION basis (the legal tie, as incorporation is), each falling back to the other when it is not on
 * record, so a CN national of unknown residence counts as CN rather than `null`. RESIDENCE and NATIONALITY
 * read that one country on both bases, for policies that test only one (e.g. a rule on nationals).
 */
export type PersonCountry = 'MATCH_BASIS' | 'RESIDENCE' | 'NATIONALITY';

/** Which recorded field gave a holder its country. */
export type CountryField = 'HEADQUARTERS' | 'INCORPORATION' | 'RESIDENCE' | 'NATIONALITY';

export interface HolderCountry {
  country: string | null;
  /** Null when no country is on record for the holder. */
  field: CountryField | null;
}

/** A holder's country on a basis: an organization's own field, a person's as `personCountry` says. */
export function holderCountry(
  entity: Entity | undefined,
  basis: CountryBasis,
  personCountry: PersonCountry = 'MATCH_BASIS',
): HolderCountry {
  const pick = (...fields: Array<[CountryField, string | null | undefined]>): HolderCountry => {
    for (const [field, country] of fields) if (country) return { country, field };
    return { country: null, field: null };
  };
  if (!entity) return pick();
  if (entity.kind === 'ORGANIZATION') {
    return basis === 'HEADQUARTERS'
      ? pick(['HEADQUARTERS', entity.headquartersCountry])
      : pick(['INCORPORATION', entity.incorporationCountry]);
  }
  // A person's residence travels in `headquartersCountry`, nationality in `incorporationCountry` (graph.ts).
  const residence: [CountryField, string | null] = ['RESIDENCE', entity.headquartersCountry];
  const nationality: [CountryField, string | null] = ['NATIONALITY', entity.incorporationCountry];
  switch (personCountry) {
    case 'RESIDENCE':
      return pick(residence);
    case 'NATIONALITY':
      return pick(nationality);
    case 'MATCH_BASIS':
      return basis === 'HEADQUARTERS' ? pick(residence, nationality) : pick(nationality, residence);
    default:
      return assertNever(personCountry);
  }
}

export interface LookThroughOptions {
  asOf: string;
  /** Default ULTIMATE_OWNER. */
  stopAt?: StopAt;
  /** The country the stop tests read; default HEADQUARTERS. */
  basis?: CountryBasis;
  /** ISO alpha-2 codes for TARGETED_COUNTRY. */
  targetCountries?: string[];
  /** Which of a person's countries counts; default MATCH_BASIS. */
  personCountry?: PersonCountry;
}

export interface UltimateOwner {
  entityId: string;
  name: string | null;
  kind: Entity['kind'] | null;
  headquartersCountry: string | null;
  incorporationCountry: string | null;
  /** The holder's country on the question's basis (a person's as `personCountry` says), and its field. */
  country: HolderCountry;
  share: Bounds;
  /** Why the paths stop here: no owners above (or a person), or the stop rule asked for. */
  stoppedBecause: 'ULTIMATE' | 'KNOWN_COUNTRY' | 'TARGETED_COUNTRY';
}

export interface CountryShare {
  /**
   * ISO alpha-2, or null for the holders reached whose country is not on record. `null` is a known holder
   * of unknown nationality; the part no holder accounts for at all is `LookThrough.unknown`.
   */
  country: string | null;
  share: Bounds;
}

export interface LookThrough {
  entityId: string;
  asOf: string;
  stopAt: StopAt;
  personCountry: PersonCountry;
  /** The parties where paths stop (ultimate owners by default), largest first. */
  owners: UltimateOwner[];
  /** The part of the entity that no holder reached accounts for. */
  unknown: Bounds;
  /**
   * The part of the entity it holds in itself through cross-holdings (case 17: A owns 48% of itself through
   * Y). Owners' shares are of the rest, as for treasury shares: raw share = share x (1 - selfHeld).
   */
  selfHeld: Bounds;
  byHeadquarters: CountryShare[];
  byIncorporation: CountryShare[];
  /** True when a very large cross-holding component was solved by iteration (see linearFlow). */
  approximate: boolean;
  /** Entities whose owners' minimum shares add up past 100%; their owners' shares were scaled down. */
  overallocated: string[];
}

/**
 * The holders of an entity on a date (ultimate owners, or where `stopAt` says) and the share each holds,
 * summed over all paths, with per-country totals. Lower bounds use minimum shares, upper bounds maximum
 * shares (sound: integrated ownership only grows when a direct share grows). An owner's value may pass 100%
 * inside a cross-holding before the entity's self-held part is divided out, so intermediates are not capped;
 * when the upper system has no finite solution, an owner's upper bound is 100% minus what the others surely
 * hold. Returns null for an unknown entity.
 */
export function lookThrough(
  graph: OwnershipGraph,
  entityId: string,
  options: LookThroughOptions,
): Result<LookThrough> | null {
  const dateErrors = checkDate(options.asOf, ['asOf']);
  if (dateErrors.length > 0) return fail(dateErrors);
  if (!graph.entities.has(entityId)) return null;
  const indexed = indexGraph(graph, options.asOf, entityId);
  if (!indexed.ok) return indexed;
  const index = indexed.value;
  const target = index.indexOf.get(entityId)!;
  const { loN, hiN, loOpen, hiOpen } = normalisedShares(index);
  const stopAt = options.stopAt ?? 'ULTIMATE_OWNER';
  const basis = options.basis ?? 'HEADQUARTERS';
  const targeted = new Set(options.targetCountries ?? []);
  const personCountry = options.personCountry ?? 'MATCH_BASIS';
  const stopReason = (v: number): UltimateOwner['stoppedBecause'] | null => {
    if (index.isPerson[v] === 1 || index.inStart[v] === index.inStart[v + 1]) return 'ULTIMATE';
    if (stopAt === 'ULTIMATE_OWNER') return null;
    const { country } = holderCountry(index.entity[v], basis, personCountry);
    if (stopAt === 'KNOWN_COUNTRY' && country) return 'KNOWN_COUNTRY';
    if (stopAt === 'TARGETED_COUNTRY' && country && targeted.has(country)) return 'TARGETED_COUNTRY';
    return null;
  };
  const reasons = Array.from({ length: index.n }, (_, v) => (v === target ? null : stopReason(v)));

  // f(v) = the part of the target v holds through paths that do not pass through the target, nor through a
  // holder where paths stop, on the way: f(v) = w(v, T) + sum over such m of w(v, m) f(m). Then f(T) is the
  // part the target holds in itself.
  const solve = (w: Float64Array, wOpen: Uint8Array) => {
    const b = new Float64Array(index.n);
    const bOpen = new Uint8Array(index.n);
    const deps: number[][] = [];
    for (let v = 0; v < index.n; v++) {
      const list: number[] = [];
      for (let k = index.outStart[v]!; k < index.outStart[v + 1]!; k++) {
        const e = index.outEdge[k]!;
        const m = index.owned[e]!;
        if (m === target) {
          b[v]! += w[e]!;
          if (wOpen[e]) bOpen[v] = 1;
        } else if (reasons[m] === null && w[e]! > 0) list.push(e);
        else if (reasons[m] === null && wOpen[e]) list.push(e); // 0 now, but strictly more in truth
      }
      deps.push(list);
    }
    const flow = flowOf(index.n, b, deps, (e) => index.owned[e]!, w);
    const solution = solveLinearFlow(flow, Infinity);
    const coefOpen = new Uint8Array(flow.depNode.length);
    let p = 0;
    for (const list of deps) for (const e of list) coefOpen[p++] = wOpen[e]!;
    return { ...solution, open: openFlags(flow, solution.x, bOpen, coefOpen, Infinity) };
  };
  const low = solve(loN, loOpen);
  const high = solve(hiN, hiOpen);
  const selfLo = low.x[target]!;
  const selfHi = high.x[target]!;

  const owners: UltimateOwner[] = [];
  for (let v = 0; v < index.n; v++) {
    const why = reasons[v];
    if (!why) continue;
    const fLo = Number.isFinite(low.x[v]!) ? low.x[v]! : 0;
    const fHi = high.x[v]!;
    let lower = 0;
    let lowerOpen = false;
    if (selfLo < 1 - EPSILON && fLo > 0) {
      lower = clampUnit(fLo / (1 - selfLo));
      lowerOpen = low.open[v] === 1 || low.open[target] === 1;
    } else if (selfLo < 1 - EPSILON) lowerOpen = low.open[v] === 1;
    let upper = 1;
    let upperOpen = false;
    if (fHi === 0) upper = 0;
    else if (Number.isFinite(fHi) && selfHi < 1 - EPSILON) {
      const raw = fHi / (1 - selfHi);
      if (raw < 1) {
        upper = raw;
        upperOpen = high.open[v] === 1 || high.open[target] === 1;
      }
    }
    if (upper <= 0 && !lowerOpen) continue;
    const entity = index.entity[v];
    owners.push({
      entityId: index.ids[v]!,
      name: entity?.name ?? null,
      kind: entity?.kind ?? null,
      headquartersCountry: entity?.headquartersCountry ?? null,
      incorporationCountry: entity?.incorporationCountry ?? null,
      country: holderCountry(entity, basis, personCountry),
      share: { lower, upper: Math.max(lower, upper), ...openEnds(lowerOpen, upperOpen) },
      stoppedBecause: why,
    });
  }
  tightenUppers(owners.map((o) => o.share));
  owners.sort(
    (a, b) =>
      b.share.lower - a.share.lower || b.share.upper - a.share.upper || a.entityId.localeCompare(b.entityId),
  );
  const total = sumBounds(owners.map((o) => o.share));
  return ok({
    entityId,
    asOf: options.asOf,
    stopAt,
    personCountry,
    owners,
    unknown: {
      lower: clampUnit(1 - total.upper),
      upper: clampUnit(1 - total.lower),
      ...openEnds(total.upperOpen === true && total.upper < 1, total.lowerOpen === true),
    },
    selfHeld: { lower: clampUnit(selfLo), upper: Number.isFinite(selfHi) ? clampUnit(selfHi) : 1 },
    byHeadquarters: byCountry(
      owners,
      (o) => holderCountry(entityOf(o), 'HEADQUARTERS', personCountry).country,
    ),
    byIncorporation: byCountry(
      owners,
      (o) => holderCountry(entityOf(o), 'INCORPORATION', personCountry).country,
    ),
    approximate: low.approximate || high.approximate,
    overallocated: index.overallocated,
  });
}

/** The holder as an Entity again, for the country rule. */
function entityOf(o: UltimateOwner): Entity {
  return {
    id: o.entityId,
    name: o.name ?? o.entityId,
    kind: o.kind ?? 'ORGANIZATION',
    headquartersCountry: o.headquartersCountry,
    incorporationCountry: o.incorporationCountry,
  };
}

/** Sum of bounds, capped at 100%, with strictness: a sum is strict when any term is. */
function sumBounds(list: Bounds[]): Bounds {
  let lower = 0;
  let upper = 0;
  let lowerOpen = false;
  let upperOpen = false;
  for (const b of list) {
    lower += b.lower;
    upper += b.upper;
    lowerOpen ||= b.lowerOpen === true;
    upperOpen ||= b.upperOpen === true;
  }
  if (upper >= 1) {
    upper = 1;
    upperOpen = false;
  }
  return { lower: clampUnit(lower), upper, ...openEnds(lowerOpen && lower < 1, upperOpen) };
}

/**
 * Holders' shares of one entity add up to at most 100%, so none exceeds 100% minus what the others surely
 * hold. This is what bounds an owner whose upper system diverged, and it tightens overshooting maxima.
 */
function tightenUppers(shares: Bounds[]): void {
  const total = shares.reduce((s, b) => s + b.lower, 0);
  const openCount = shares.filter((b) => b.lowerOpen && b.lower >= 0).length;
  for (const b of shares) {
    const othersLower = total - b.lower;
    const othersOpen = openCount - (b.lowerOpen ? 1 : 0) > 0;
    const room = 1 - othersLower;
    if (room < b.upper - EPSILON || (room <= b.upper + EPSILON && othersOpen && !b.upperOpen)) {
      b.upper = Math.max(b.lower, clampUnit(room));
      if (othersOpen && b.upper > b.lower) b.upperOpen = true;
      else delete b.upperOpen;
    }
  }
}

function byCountry(owners: UltimateOwner[], countryOf: (o: UltimateOwner) => string | null): CountryShare[] {
  const groups = new Map<string | null, Bounds[]>();
  for (const o of owners) {
    const key = countryOf(o);
    const list = groups.get(key) ?? [];
    list.push(o.share);
    groups.set(key, list);
  }
  const rows = [...groups].map(([country, list]) => ({ country, share: sumBounds(list) }));
  tightenUppers(rows.map((r) => r.share));
  return rows.sort((a, b) => b.share.lower - a.share.lower || b.share.upper - a.share.upper);
}

/**
 * Direct shares made consistent before multiplying: when an entity's owners' minima add up past 100%
 * they are scaled down to 100% (shares never sum past 100%); each maximum is cut to 100% minus the other
 * owners' minima, which no true share can exceed. `loOpen`/`hiOpen` say which of these bounds are strict:
 * an exclusive minimum, an exclusive maximum, or a cut below an exclusive minimum of another owner.
 */
export function normalisedShares(index: GraphIndex): {
  loN: Float64Array;
  hiN: Float64Array;
  totalLoN: Float64Array;
  loOpen: Uint8Array;
  hiOpen: Uint8Array;
} {
  const m = index.edges.length;
  const loN = new Float64Array(m);
  const hiN = new Float64Array(m);
  const loOpen = new Uint8Array(m);
  const hiOpen = new Uint8Array(m);
  const totalLoN = new Float64Array(index.n);
  for (let e = 0; e < m; e++) {
    const v = index.owned[e]!;
    const total = index.totalLo[v]!;
    loN[e] = total > 1 ? index.lo[e]! / total : index.lo[e]!;
    loOpen[e] = total > 1 ? 0 : index.loStrict[e]!;
    totalLoN[v]! += loN[e]!;
  }
  for (let e = 0; e < m; e++) {
    const v = index.owned[e]!;
    const others = totalLoN[v]! - loN[e]!;
    const othersOpen = index.totalLo[v]! <= 1 && index.totalLoStrict[v]! - index.loStrict[e]! > 0;
    const room = 1 - others;
    const hi = index.hi[e]!;
    hiN[e] = Math.max(loN[e]!, Math.min(hi, room));
    if (hiN[e] === loN[e] && hiN[e] !== hi && hiN[e] !== room) hiOpen[e] = 0;
    else if (hi < room) hiOpen[e] = index.hiStrict[e]!;
    else if (room < hi) hiOpen[e] = othersOpen ? 1 : 0;
    else hiOpen[e] = index.hiStrict[e] || othersOpen ? 1 : 0;
    if (hiN[e]! <= loN[e]! && (loOpen[e] || hiOpen[e])) hiOpen[e] = loOpen[e] = 0; // inconsistent data
  }
  return { loN, hiN, totalLoN, loOpen, hiOpen };
}

/** Builds the solver's compressed arrays from per-node lists of edge numbers. */
function flowOf(
  n: number,
  b: Float64Array,
  deps: number[][],
  nodeOf: (e: number) => number,
  w: Float64Array,
) {
  const depStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) depStart[v + 1] = depStart[v]! + deps[v]!.length;
  const depNode = new Int32Array(depStart[n]!);
  const depCoef = new Float64Array(depStart[n]!);
  for (let v = 0; v < n; v++) {
    let k = depStart[v]!;
    for (const e of deps[v]!) {
      depNode[k] = nodeOf(e);
      depCoef[k++] = w[e]!;
    }
  }
  return { n, b, depStart, depNode, depCoef };
}

/**
 * The policy's MULT view for every node at once: the look-through share of each entity held by roots,
 * each path stopping at the first root it reaches (a root owned by a root is not counted twice; case 11
 * gives 60%, not 120%). r(root) = 1; r(v) = sum over owners o of w(o, v) r(o). With `includesIndirect`
 * false only roots' direct holdings count. Upper bound with `unknownAs: 'POSSIBLY_COVERED'`: the part of v
 * not held by known owners may belong to a root, so r+(v) = sum of min(o, v) r+(o) + (1 - sum of minima):
 * the most a root could hold if every share not pinned down by a minimum went to an unknown root.
 */
export function rootShares(
  index: GraphIndex,
  isRoot: Uint8Array,
  includesIndirect: boolean,
  unknownAs: UnknownAs,
): {
  lower: Float64Array;
  upper: Float64Array;
  lowerOpen: Uint8Array;
  upperOpen: Uint8Array;
  approximate: boolean;
} {
  const { loN, hiN, totalLoN, loOpen, hiOpen } = normalisedShares(index);
  const n = index.n;
  const system = (upperBound: boolean) => {
    const b = new Float64Array(n);
    const depStart = new Int32Array(n + 1);
    const counts = new Int32Array(n);
    const counted = (e: number) => includesIndirect || isRoot[index.owner[e]!] === 1;
    for (let v = 0; v < n; v++) {
      if (isRoot[v]) continue;
      for (let k = index.inStart[v]!; k < index.inStart[v + 1]!; k++)
        if (counted(index.inEdge[k]!)) counts[v]!++;
    }
    for (let v = 0; v < n; v++) depStart[v + 1] = depStart[v]! + counts[v]!;
    const depNode = new Int32Array(depStart[n]!);
    const depCoef = new Float64Array(depStart[n]!);
    const coefOpen = new Uint8Array(depStart[n]!);
    for (let v = 0; v < n; v++) {
      if (isRoot[v]) {
        b[v] = 1;
        continue;
      }
      const remainder =
        upperBound &&
        unknownAs === 'POSSIBLY_COVERED' &&
        !index.isPerson[v] &&
        index.entity[v]?.ownershipComplete !== true;
      if (remainder) b[v] = clampUnit(1 - totalLoN[v]!);
      const w = upperBound && !remainder ? hiN : loN;
      // Strictness of the remainder's row is not tracked: "not strict" is always a sound claim.
      const wOpen = remainder ? null : upperBound ? hiOpen : loOpen;
      let p = depStart[v]!;
      for (let k = index.inStart[v]!; k < index.inStart[v + 1]!; k++) {
        const e = index.inEdge[k]!;
        if (!counted(e)) continue;
        depNode[p] = index.owner[e]!;
        coefOpen[p] = wOpen ? wOpen[e]! : 0;
        depCoef[p++] = w[e]!;
      }
    }
    const flow = { n, b, depStart, depNode, depCoef };
    const solution = solveLinearFlow(flow);
    return { ...solution, open: openFlags(flow, solution.x, new Uint8Array(n), coefOpen) };
  };
  const lower = system(false);
  const upper = system(true);
  return {
    lower: lower.x,
    upper: upper.x,
    lowerOpen: lower.open,
    upperOpen: upper.open,
    approximate: lower.approximate || upper.approximate,
  };
}
