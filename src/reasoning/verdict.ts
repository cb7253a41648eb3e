/**
 * One entity under one policy on one date: the verdict of the method the policy names, both methods' bounds
 * side by side (OFAC-style aggregation and multiplicative look-through disagree on cases such as FAQ 401
 * example 1), the policy's status, and an explanation.
 */
import type { OwnershipGraph, PolicyRule, Result } from './graph';
import { checkDate, fail, ok } from './graph';
import type { CoverageVerdict, UnknownAs } from './bounds';
import type { MethodResult } from './coverage';
import { evaluatePolicy, nodeCoverage } from './coverage';
import type { Explanation } from './explanation';
import { explain } from './explanation';
import { indexGraph } from './graphIndex';
import type { PolicyStatusResult } from './policyStatus';
import { policyStatus } from './policyStatus';
import { validatePolicy } from './validatePolicy';

export interface VerdictOptions {
  asOf: string;
  /** Default NOT_COVERED: the unattributed part of an entity's ownership does not raise upper bounds. */
  unknownAs?: UnknownAs;
  /** Most paths in the explanation (default 10); `explanation.capped` says when more contributed. */
  maxPaths?: number;
  /** Most edges per path (default 50); a longer chain keeps the steps nearest the entity. */
  maxSteps?: number;
}

export interface PolicyVerdict {
  entityId: string;
  policyId: string;
  asOf: string;
  /** NOT_COVERED whenever the policy is not in force; otherwise the deciding method's verdict. */
  verdict: CoverageVerdict;
  policyStatus: PolicyStatusResult;
  /** AGG bounds and verdict, computed whatever the policy's status (they describe ownership, not law). */
  aggregate: MethodResult;
  /** MULT bounds and verdict, likewise. */
  lookThrough: MethodResult;
  /** The method that decided `verdict` (the policy's `aggregation`). */
  method: PolicyRule['aggregation'];
  threshold: { value: number; inclusive: boolean };
  explanation: Explanation;
  /** True when a very large cross-holding component was solved by iteration. */
  approximate: boolean;
  /** Entities upstream whose owners' minimum shares add up past 100% (data to fix). */
  overallocated: string[];
}

/**
 * The verdict for one entity. Only the entity's ancestors are indexed: coverage flows downward, so nothing
 * else can change the answer. Returns null when the entity is unknown, errors when the policy or date is invalid.
 */
export function policyVerdict(
  graph: OwnershipGraph,
  policy: PolicyRule,
  entityId: string,
  options: VerdictOptions,
): Result<PolicyVerdict> | null {
  const errors = [...validatePolicy(policy), ...checkDate(options.asOf, ['asOf'])];
  for (const [name, value] of [
    ['maxPaths', options.maxPaths],
    ['maxSteps', options.maxSteps],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      errors.push({
        code: 'INVALID_ARGUMENT',
        path: [name],
        message: `Argument "${name}" must be a positive integer, got ${value}.`,
      });
    }
  }
  if (errors.length > 0) return fail(errors);
  if (!graph.entities.has(entityId)) return null;
  const indexed = indexGraph(graph, options.asOf, entityId);
  if (!indexed.ok) return indexed;
  const ev = evaluatePolicy(indexed.value, policy, options.unknownAs ?? 'NOT_COVERED');
  const v = ev.index.indexOf.get(entityId)!;
  const coverage = nodeCoverage(ev, v, policy);
  const status = policyStatus(policy, options.asOf);
  const methodVerdict =
    policy.aggregation === 'AGGREGATE' ? coverage.aggregate.verdict : coverage.lookThrough.verdict;
  const verdict: CoverageVerdict = status.inForce ? methodVerdict : 'NOT_COVERED';
  const limits = { maxPaths: options.maxPaths ?? 10, maxSteps: options.maxSteps ?? 50 };
  let explanation = explain(ev, policy, v, methodVerdict, limits);
  if (!status.inForce) {
    const name = graph.entities.get(entityId)!.name;
    const would =
      methodVerdict === 'NOT_COVERED'
        ? 'would not be covered either'
        : `would be ${methodVerdict === 'COVERED' ? 'covered' : 'possibly covered'} if it were in force`;
    explanation = {
      ...explanation,
      sentence: `${name} is not covered on ${options.asOf}: ${status.note} It ${would}: ${explanation.sentence}`,
    };
  }
  return ok({
    entityId,
    policyId: policy.id,
    asOf: options.asOf,
    verdict,
    policyStatus: status,
    aggregate: coverage.aggregate,
    lookThrough: coverage.lookThrough,
    method: policy.aggregation,
    threshold: { value: policy.threshold, inclusive: policy.thresholdInclusive },
    explanation,
    approximate: ev.approximate,
    overallocated: ev.index.overallocated,
  });
}
