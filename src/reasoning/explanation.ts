/**
 * Why a verdict came out as it did: the smallest set of paths that produce it, each traced back to a root,
 * with every edge's share, dates and sources, and one plain sentence. For OFAC FAQ 401 example 3 the paths
 * are X→B 10%, and X→A (A covered) → B 40%.
 */
import { dateInWords, type DatePrecision } from '../model/common';
import type { ControlBasis, Designation, PolicyRule, Share } from './graph';
import type { Bounds, CoverageVerdict } from './bounds';
import {
  formatLower,
  formatPercent,
  formatShare,
  formatThreshold,
  formatUpper,
  lowerReaches,
  upperMayReach,
} from './bounds';
import type { PolicyEvaluation } from './coverage';
import { nodeCoverage } from './coverage';
import type { RootReason } from './roots';
import { controlBasisCounts } from './roots';

export interface PathStep {
  kind: 'OWNERSHIP' | 'CONTROL';
  edgeId: string;
  fromId: string;
  fromName: string;
  toId: string;
  toName: string;
  /** Ownership share (null for control). */
  share: Share | null;
  /** Control basis (null for ownership). */
  basis: ControlBasis | null;
  startDate: string | null;
  /** MONTH or YEAR when the start is known only to that (startDate is then its first day). */
  startDatePrecision?: DatePrecision | null;
  endDate: string | null;
  sourceIds: string[];
  /** Covered share of `toId` under the method explained (AGG: held by covered owners; MULT: by roots). */
  toCoverage: Bounds;
}

/**
 * Where a path starts: a root of the policy, or (upper bounds with `unknownAs: POSSIBLY_COVERED`) an entity
 * whose owners are not all on record, whose unattributed part may be held by a targeted party.
 */
export type PathStart = RootReason | { kind: 'UNDISCLOSED_OWNERS' };

export interface ExplanationPath {
  rootId: string;
  rootName: string;
  rootReason: PathStart;
  /** From the root down to the entity asked about. */
  steps: PathStep[];
  /** True when the chain was longer than `maxSteps`: the steps nearest the entity are kept. */
  truncated: boolean;
  /** What the path adds: AGG the last edge's full share; MULT the product of shares along it. */
  contribution: Bounds;
}

export interface Explanation {
  method: PolicyRule['aggregation'];
  /** Set when the entity is itself a root of the policy. */
  rootReason: RootReason | null;
  paths: ExplanationPath[];
  /** True when more paths contributed than `maxPaths` allows. */
  capped: boolean;
  sentence: string;
}

export interface ExplainLimits {
  maxPaths: number;
  maxSteps: number;
}

const nameOf = (ev: PolicyEvaluation, v: number) => ev.index.entity[v]?.name ?? ev.index.ids[v]!;

/**
 * A designation in words, naming the list it is on rather than the rule that reads it: the BIS Affiliates
 * Rule names nobody, it reaches the parties on the Entity List ("listed on the Entity List", not "named by
 * the BIS Affiliates Rule"). Without a list name: "named by <policy>".
 */
export function describeDesignation(designations: Designation[], policyName: string): string {
  const lists = [
    ...new Set(
      designations.map((d) => d.listName?.replace(/\s*\(.*\)\s*$/, '')).filter((l): l is string => !!l),
    ),
  ];
  return lists.length > 0 ? `listed on the ${lists.join(' and the ')}` : `named by ${policyName}`;
}

/** Describes a root's reason in words: "headquartered in CN", "designated (Entity List)". */
export function describeRoot(reason: PathStart): string {
  switch (reason.kind) {
    case 'UNDISCLOSED_OWNERS':
      return 'whose owners are not all on record (the rest may be held by a targeted party)';
    case 'HEADQUARTERS':
      return `headquartered in ${reason.country}`;
    case 'INCORPORATION':
      return `incorporated in ${reason.country}`;
    case 'DESIGNATED': {
      const lists = [
        ...new Set(
          reason.designations
            .map((d) => d.listName?.replace(/\s*\(.*\)\s*$/, ''))
            .filter((l): l is string => !!l),
        ),
      ];
      return lists.length > 0 ? `designated (${lists.join(', ')})` : 'designated';
    }
    default:
      return assertUnreachable(reason);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unexpected root reason ${JSON.stringify(value)}`);
}

type Edge = { kind: 'OWNERSHIP' | 'CONTROL'; e: number; from: number };

/**
 * Explains the verdict of node v. AGG: the covered direct owners with the largest holdings, taken until
 * they reach the threshold (the fewest owners that do), each traced back to a root through owners covered
 * earlier in the fixed point, so a trace never loops. MULT: direct owners by contribution, each traced back
 * along the owner that contributes most. `verdict` is the deciding method's verdict.
 */
export function explain(
  ev: PolicyEvaluation,
  policy: PolicyRule,
  v: number,
  verdict: CoverageVerdict,
  limits: ExplainLimits,
): Explanation {
  const { index } = ev;
  const t = policy.threshold;
  const incl = policy.thresholdInclusive;
  const method = policy.aggregation;
  const target = nameOf(ev, v);
  const rootReason = ev.rootReasons.get(v) ?? null;
  if (rootReason) {
    const sources =
      rootReason.kind === 'DESIGNATED'
        ? ` (sources: ${rootReason.designations.flatMap((d) => d.sourceIds).join(', ')})`
        : '';
    const sentence = `${target}, ${describeRoot(rootReason)}, is itself targeted by ${policy.name}${sources}.`;
    return { method, rootReason, paths: [], capped: false, sentence };
  }
  const passesOn = (u: number) => policy.includesIndirect || ev.isRoot[u] === 1;
  // POSSIBLY_COVERED and NOT_COVERED are both about how far the upper bound goes: list what could contribute.
  const upperView = verdict !== 'COVERED';
  const state = upperView ? ev.possible : ev.covered;
  const order = upperView ? ev.possibleOrder : ev.coveredOrder;
  const share = (e: number) => (upperView ? index.hi[e]! : index.lo[e]!);
  const multiplicative = method === 'LOOK_THROUGH';
  const mult = upperView ? ev.multUpper : ev.multLower;

  // Candidate direct contributions, largest first.
  const candidates: (Edge & { weight: number })[] = [];
  for (let k = index.inStart[v]!; k < index.inStart[v + 1]!; k++) {
    const e = index.inEdge[k]!;
    const o = index.owner[e]!;
    if (o === v) continue;
    if (multiplicative) {
      const weight = share(e) * mult[o]!;
      if (weight > 0 && (policy.includesIndirect || ev.isRoot[o]))
        candidates.push({ kind: 'OWNERSHIP', e, from: o, weight });
    } else if (state[o] && passesOn(o)) candidates.push({ kind: 'OWNERSHIP', e, from: o, weight: share(e) });
  }
  candidates.sort((a, b) => b.weight - a.weight || a.from - b.from);
  let chosen: (Edge & { weight: number })[] = [];
  let sum = 0;
  const reached = () => (upperView ? upperMayReach(sum, false, t, incl) : lowerReaches(sum, false, t, incl));
  if (verdict === 'NOT_COVERED') chosen = candidates;
  else {
    for (const c of candidates) {
      if (reached()) break;
      chosen.push(c);
      sum += c.weight;
    }
    if (!multiplicative && state[v] === 3 && !reached()) {
      const c = controlFrom(ev, policy, v, state, order);
      if (c) chosen = [{ ...c, weight: 0 }];
    }
  }
  const capped = chosen.length > limits.maxPaths;
  const paths = chosen
    .slice(0, limits.maxPaths)
    .map((c) => tracePath(ev, policy, c, v, upperView, multiplicative, limits.maxSteps));

  const cov = nodeCoverage(ev, v, policy);
  const measure = multiplicative ? cov.lookThrough : cov.aggregate;
  const op = formatThreshold(t, incl);
  const who = multiplicative
    ? 'look-through ownership by targeted parties is'
    : `${ownerLabel(
        ev,
        chosen.map((c) => c.from),
      )} hold`;
  const described = paths.slice(0, 3).map(describePath);
  const more = paths.length > 3 || capped ? `, and ${chosen.length - Math.min(3, paths.length)} more` : '';
  const chains =
    described.length > 0
      ? `${described.join('; ')}${more}; `
      : `${target} has no covered owner on ${index.asOf}; `;
  // Covered through control alone: no share reached the threshold, so a percentage would read as nonsense
  // ("hold 0% (>= 50%)"); the reason is the control the policy counts.
  const byControl = !multiplicative && chosen.length > 0 && chosen.every((c) => c.kind === 'CONTROL');
  let tail: string;
  switch (verdict) {
    case 'COVERED':
      tail = byControl
        ? `covered because a covered party controls it without equity, which ${policy.name} counts as ownership.`
        : `covered because ${who} ${formatLower(measure)} (${op}).`;
      break;
    case 'POSSIBLY_COVERED':
      tail = `possibly covered: ${who} between ${formatPercent(measure.lower)} and ${formatPercent(measure.upper)} (${op}), so the known shares do not settle it.`;
      break;
    case 'NOT_COVERED':
      tail = `not covered because ${who} ${formatUpper(measure)}, short of ${op}.`;
      break;
    default:
      tail = assertUnreachable(verdict);
  }
  // A list with no ownership rule (threshold "> 100%") reaches only what it names: "short of > 100%"
  // would read as a rule nobody wrote.
  if (verdict === 'NOT_COVERED' && t >= 1 && !incl) {
    return {
      method,
      rootReason: null,
      paths: [],
      capped: false,
      sentence: `${target} is not covered: ${policy.name} applies only to the parties it names or targets, not to entities they own, and ${target} is not one of them on ${index.asOf}.`,
    };
  }
  return { method, rootReason: null, paths, capped, sentence: chains + tail };
}

/** "owners in targeted jurisdictions", "designated owners" or "covered owners", for the sentence. */
function ownerLabel(ev: PolicyEvaluation, owners: number[]): string {
  const reasons = owners.map((o) => ev.rootReasons.get(o));
  if (reasons.length > 0 && reasons.every((r) => r && r.kind !== 'DESIGNATED'))
    return 'owners in targeted jurisdictions';
  if (reasons.length > 0 && reasons.every((r) => r?.kind === 'DESIGNATED')) return 'designated owners';
  return 'covered owners';
}

/** A counting control edge into v from a controller covered before v. */
function controlFrom(
  ev: PolicyEvaluation,
  policy: PolicyRule,
  v: number,
  state: Uint8Array,
  order: Int32Array,
): Edge | null {
  const { index } = ev;
  for (let k = index.controlInStart[v]!; k < index.controlInStart[v + 1]!; k++) {
    const e = index.controlInEdge[k]!;
    const c = index.controller[e]!;
    const early = order[c]! >= 0 && (order[v]! < 0 || order[c]! < order[v]!);
    if (
      state[c] &&
      early &&
      controlBasisCounts(policy, index.controls[e]!.basis) &&
      (policy.includesIndirect || ev.isRoot[c])
    ) {
      return { kind: 'CONTROL', e, from: c };
    }
  }
  return null;
}

/** The edge by which an intermediate u was reached: AGG from an owner covered before it; MULT the largest contribution. */
function stepInto(
  ev: PolicyEvaluation,
  policy: PolicyRule,
  u: number,
  upperView: boolean,
  multiplicative: boolean,
  onPath: Set<number>,
): Edge | null {
  const { index } = ev;
  const state = upperView ? ev.possible : ev.covered;
  const order = upperView ? ev.possibleOrder : ev.coveredOrder;
  if (!multiplicative && state[u] === 3) return controlFrom(ev, policy, u, state, order);
  let best: Edge | null = null;
  let bestWeight = 0;
  for (let k = index.inStart[u]!; k < index.inStart[u + 1]!; k++) {
    const e = index.inEdge[k]!;
    const o = index.owner[e]!;
    if (onPath.has(o)) continue;
    const s = upperView ? index.hi[e]! : index.lo[e]!;
    const weight = multiplicative ? s * (upperView ? ev.multUpper : ev.multLower)[o]! : s;
    const eligible = multiplicative ? weight > 0 : state[o] !== 0 && order[o]! < order[u]!;
    if (eligible && weight > bestWeight) {
      best = { kind: 'OWNERSHIP', e, from: o };
      bestWeight = weight;
    }
  }
  return best;
}

function tracePath(
  ev: PolicyEvaluation,
  policy: PolicyRule,
  last: Edge,
  v: number,
  upperView: boolean,
  multiplicative: boolean,
  maxSteps: number,
): ExplanationPath {
  const edges: Edge[] = [last];
  const onPath = new Set<number>([v, last.from]);
  let u = last.from;
  while (!ev.isRoot[u]) {
    const next = stepInto(ev, policy, u, upperView, multiplicative, onPath);
    if (!next) break;
    edges.push(next);
    onPath.add(next.from);
    u = next.from;
  }
  edges.reverse(); // root first
  const root = edges[0]!.from;
  let contribution: Bounds;
  if (multiplicative) {
    const lo = edges.reduce((p, s) => p * (s.kind === 'OWNERSHIP' ? ev.index.lo[s.e]! : 1), 1);
    const hi = edges.reduce((p, s) => p * (s.kind === 'OWNERSHIP' ? ev.index.hi[s.e]! : 1), 1);
    contribution = { lower: lo, upper: hi };
  } else
    contribution =
      last.kind === 'OWNERSHIP'
        ? { lower: ev.index.lo[last.e]!, upper: ev.index.hi[last.e]! }
        : { lower: 0, upper: 0 };
  const truncated = edges.length > maxSteps;
  const kept = truncated ? edges.slice(edges.length - maxSteps) : edges;
  return {
    rootId: ev.index.ids[root]!,
    rootName: nameOf(ev, root),
    // A trace that ends below any root: under unknownAs POSSIBLY_COVERED, at an entity whose undisclosed
    // owners may be targeted. It is not designated, and must not read as if it were.
    rootReason: ev.rootReasons.get(root) ?? { kind: 'UNDISCLOSED_OWNERS' },
    steps: kept.map((s) => toStep(ev, policy, s, multiplicative)),
    truncated,
    contribution,
  };
}

function toStep(ev: PolicyEvaluation, policy: PolicyRule, s: Edge, multiplicative: boolean): PathStep {
  const { index } = ev;
  const record = s.kind === 'OWNERSHIP' ? index.edges[s.e]! : index.controls[s.e]!;
  const to = s.kind === 'OWNERSHIP' ? index.owned[s.e]! : index.controlled[s.e]!;
  const cov = nodeCoverage(ev, to, policy);
  const m = multiplicative ? cov.lookThrough : cov.aggregate;
  return {
    kind: s.kind,
    edgeId: record.id,
    fromId: index.ids[s.from]!,
    fromName: nameOf(ev, s.from),
    toId: index.ids[to]!,
    toName: nameOf(ev, to),
    share: 'share' in record ? record.share : null,
    basis: 'basis' in record ? record.basis : null,
    startDate: record.startDate,
    ...('startDatePrecision' in record && record.startDatePrecision
      ? { startDatePrecision: record.startDatePrecision }
      : {}),
    endDate: record.endDate,
    sourceIds: record.sourceIds,
    toCoverage: { lower: m.lower, upper: m.upper },
  };
}

/** "ByteDance Ltd., headquartered in CN, owns 100% of TikTok Pte. Ltd. since 2019-01-01, which owns …". */
function describePath(path: ExplanationPath): string {
  const parts = path.steps.map((s, i) => {
    const verb =
      s.kind === 'OWNERSHIP'
        ? `owns ${formatShare(s.share!)} of`
        : `controls (${s.basis!.toLowerCase().replace(/_/g, ' ')})`;
    const since = s.startDate ? ` since ${dateInWords(s.startDate, s.startDatePrecision)}` : '';
    const subject =
      i === 0
        ? path.truncated
          ? `…, ${s.fromName}`
          : `${s.fromName}, ${describeRoot(path.rootReason)},`
        : ', which';
    return `${subject} ${verb} ${s.toName}${since}`;
  });
  return parts.join('');
}
