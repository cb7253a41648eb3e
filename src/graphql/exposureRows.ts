/**
 * What the exposure resolvers receive: the reasoning engine's results (shares as fractions), turned into
 * percent and records at the field level.
 */
import type {
  Bounds,
  ControlEdge,
  CountryShare,
  CoverageVerdict,
  Explanation,
  ExplanationPath,
  LookThrough,
  OwnershipEdge,
  OwnershipGraph,
  PathStep,
  PolicyStatusResult,
  PolicyVerdict,
  RootReason,
  UltimateOwner,
  UnknownAs,
  WhatIfRule,
} from '../reasoning';
import type { EdgeRow, NodeRow } from '../records/rows';
import { fractionToStoredProperties } from '../records/share';

export interface ExposureRow {
  entityId: string;
  asOf: string;
  basis: 'HEADQUARTERS' | 'INCORPORATION';
  look: LookThrough;
  graph: OwnershipGraph;
}

export type UltimateOwnerRow = UltimateOwner;
export type CountryShareRow = CountryShare;

export interface OwnerAtDepthRow {
  ownerId: string;
  depth: number;
  stakes: OwnershipEdge[];
}

/** `whatIf`: the rule a what-if question used, absent or null when the policy's own rule answered. */
export type PolicyVerdictRow = PolicyVerdict & { unknownAs: UnknownAs; whatIf?: WhatIfRule | null };
export type RootReasonRow = RootReason;
export type PathStepRow = PathStep;
export type ExplanationPathRow = ExplanationPath;
export type ExplanationRow = Explanation;

export interface ScreenVerdictRow {
  policyId: string;
  verdict: CoverageVerdict;
  policyStatus: PolicyStatusResult;
  share: Bounds;
  reason: string;
}

export interface ScreenResultRow {
  input: string;
  status: 'MATCHED' | 'AMBIGUOUS' | 'NOT_FOUND' | 'INVALID';
  matchId: string | null;
  score: number | null;
  matchedName: string | null;
  scoreExplanation?: string | null;
  error?: string | null;
  candidates: Array<{ node: NodeRow; score: number; matched: string }>;
  verdicts: ScreenVerdictRow[];
}

export interface CoveredEntityRow {
  entityId: string;
  verdict: CoverageVerdict;
  share: Bounds;
  reason: string;
}

export interface CoveredEntityConnectionRow {
  policyId: string;
  asOf: string;
  policyStatus: PolicyStatusResult;
  edges: Array<{ cursor: string; node: CoveredEntityRow }>;
  nodes: CoveredEntityRow[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  /** The rule a what-if question used; null when the policy's own rule answered. */
  whatIf?: WhatIfRule | null;
}

export interface ConnectionStepRow {
  type: string;
  fromId: string;
  toId: string;
  edge: EdgeRow;
  description: string;
}

export interface ConnectionPathRow {
  nodeIds: string[];
  steps: ConnectionStepRow[];
}

/** Reasoning edges back to the relationship rows the Ownership and Control types resolve from. */
export function ownershipRow(edge: OwnershipEdge): EdgeRow {
  const share = fractionToStoredProperties(edge.share);
  return {
    id: edge.id,
    _from: edge.ownerId,
    _to: edge.ownedId,
    sourceIds: edge.sourceIds,
    ...dates(edge),
    ...share,
  };
}

export function controlRow(edge: ControlEdge): EdgeRow {
  return {
    id: edge.id,
    _from: edge.controllerId,
    _to: edge.controlledId,
    basis: edge.basis,
    sourceIds: edge.sourceIds,
    ...dates(edge),
  };
}

function dates(edge: { startDate: string | null; endDate: string | null }) {
  return {
    ...(edge.startDate ? { startDate: edge.startDate } : {}),
    ...(edge.endDate ? { endDate: edge.endDate } : {}),
  };
}
