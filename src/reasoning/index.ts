/** The reasoning engine's public API: pure functions over plain data (see README.md). */
export type {
  ControlBasis,
  ControlEdge,
  Designation,
  Entity,
  EntityKind,
  OwnershipEdge,
  OwnershipGraph,
  PolicyRule,
  ReasoningError,
  Result,
  Share,
  Suspension,
} from './graph';
export { assertNever, certainlyInForce, inForce, invariant } from './graph';
export type { Bounds, CoverageVerdict, UnknownAs } from './bounds';
export { classify, lowerReaches, upperMayReach } from './bounds';
export type { CountryShare, LookThrough, UltimateOwner } from './lookThrough';
export { holderCountry, lookThrough } from './lookThrough';
export type {
  CountryBasis,
  CountryField,
  HolderCountry,
  LookThroughOptions,
  PersonCountry,
  StopAt,
} from './lookThrough';
export type {
  CoverageOptions,
  CoverageReason,
  CoverageSweep,
  EntityCoverage,
  MethodResult,
} from './coverage';
export { coveredEntities } from './coverage';
export type { RootReason } from './roots';
export type { PolicyStatus, PolicyStatusResult } from './policyStatus';
export { policyStatus } from './policyStatus';
export { validatePolicy } from './validatePolicy';
export type { Explanation, ExplanationPath, PathStart, PathStep } from './explanation';
export { describeDesignation } from './explanation';
export type { PolicyVerdict, VerdictOptions } from './verdict';
export { policyVerdict } from './verdict';
export type {
  Derivation,
  DerivationBasis,
  DerivationMethod,
  Lineage,
  LineageModel,
  LineageNode,
  LineageOptions,
} from './lineage';
export { derivationCreatesCycle, findDerivationCycles, lineage } from './lineage';
export type { OwnerAtDepth } from './ownersByDepth';
export { ownersByDepth } from './ownersByDepth';
export type { Candidate, MatchStatus, NameMatch, ScoreExplanation } from './nameMatch';
export { checkScreenName, matchName, normaliseName } from './nameMatch';
export type { EntityScreening, Screening } from './screening';
export { screenEntities } from './screening';
export type {
  AccessDecision,
  ChannelAccess,
  ChannelKind,
  ChannelOffer,
  CustomerVerdict,
  OfferingDates,
  OfferStatus,
  PolicyOnChannel,
  PolicyReach,
  PolicyReachStatus,
} from './access';
export {
  accessByChannel,
  offerStatus,
  overallAccess,
  overallNote,
  policyCoversModel,
  policyDecision,
  policyReachesChannel,
  worst,
  worstFirst,
} from './access';
export type { PolicyDates, SuspensionWindow } from './policyInForce';
export { inForceBounds, policyInForce, suspensionOn, POLICY_FORCE_BOUNDS } from './policyInForce';
export type { WhatIf, WhatIfRule } from './whatIf';
export { whatIfRule, withWhatIf } from './whatIf';
export { describeStep, RELATIONSHIP_VERBS, shortReason } from './sentences';
export type { LinkPath, PathLink } from './shortestPaths';
export { allShortestPaths } from './shortestPaths';
