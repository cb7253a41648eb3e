/** What the lineage and access resolvers receive. */
import type { AccessDecision, LineageNode, OfferStatus, PolicyReachStatus } from '../reasoning';
import type { ExposureRow, PolicyVerdictRow } from './exposureRows';
import type { EdgeRow, NodeRow } from '../records/rows';

export interface LineageRow {
  rootId: string;
  nodes: LineageNode[];
  edges: EdgeRow[];
  developerIds: string[];
}

export type LineageNodeRow = LineageNode;

export interface UpstreamJurisdictionRow {
  modelId: string;
  depth: number;
  developerId: string;
  developerExposure: ExposureRow;
}

export interface ModelJurisdictionRow {
  modelId: string;
  developerId: string;
  developerExposure: ExposureRow;
  upstream: UpstreamJurisdictionRow[];
}

export interface PolicyOnChannelRow {
  policyId: string;
  reaches: boolean;
  reach: PolicyReachStatus;
  decision: AccessDecision;
  reason: string;
  verdict: PolicyVerdictRow;
}

export interface ChannelAccessRow {
  channel: NodeRow;
  offering: EdgeRow;
  offered: OfferStatus;
  decision: AccessDecision;
  enforceable: boolean;
  note: string;
  policies: PolicyOnChannelRow[];
}

export interface AccessCheckRow {
  customerId: string;
  modelId: string;
  asOf: string;
  decision: AccessDecision;
  note: string;
  channels: ChannelAccessRow[];
}

export interface PolicyModelAccessRow {
  policyId: string;
  verdict: PolicyVerdictRow;
  models: NodeRow[];
  offeredModels: NodeRow[];
  channelIds: string[];
  decision: AccessDecision;
}

export interface ModelExposureRow {
  entityId: string;
  asOf: string;
  develops: NodeRow[];
  derivesFrom: EdgeRow[];
  upstreamModelIds: string[];
  byPolicy: PolicyModelAccessRow[];
  openWeightsAvailable: NodeRow[];
}
