import type { z } from 'zod';
import type { Architecture, Modality } from '../model/aiModel';
import type { AllegationKind, AllegationStatus } from '../model/allegation';
import type { ChannelKind } from '../model/channel';
import type { OrganizationType } from '../model/party';
import type { PolicyKind } from '../model/policy';
import type { Label } from './vocabulary';

/**
 * What resolvers receive: records as Neo4j stores them (see seed/storage.ts for the flattening), with the
 * node's kind in `_label` and a relationship's endpoints in `_from` and `_to`. The generated resolver types
 * map each GraphQL type to one of these.
 */
interface Cited {
  id: string;
  sourceIds: string[];
}

export interface NodeRow extends Cited {
  _label: string;
  [property: string]: unknown;
}

export interface SourceRow extends NodeRow {
  _label: 'Source';
  url: string;
  publisher: string;
  title: string;
  date?: string;
  note?: string;
}

export interface CountryRow extends NodeRow {
  _label: 'Country';
  code: string;
  name: string;
  aliases?: string[];
}

export interface OrganizationRow extends NodeRow {
  _label: 'Organization';
  name: string;
  aliases?: string[];
  type: z.infer<typeof OrganizationType>;
  headquarters?: string;
  incorporation?: string;
  founded?: string;
  website?: string;
  /** Canonical identifier keys (model/identifier.ts). */
  identifiers?: string[];
  description?: string;
}

export interface PersonRow extends NodeRow {
  _label: 'Person';
  name: string;
  aliases?: string[];
  nationality?: string;
  residence?: string;
  identifiers?: string[];
  description?: string;
}

export interface ModelRow extends NodeRow {
  _label: 'AIModel';
  name: string;
  aliases?: string[];
  family: string;
  developer: string;
  releaseDate?: string;
  openWeights: boolean;
  licence?: string;
  totalParametersB?: number;
  activeParametersB?: number;
  architecture: z.infer<typeof Architecture>;
  modalities: Array<z.infer<typeof Modality>>;
  description?: string;
}

export interface AllegationRow extends NodeRow {
  _label: 'Allegation';
  title: string;
  kind: z.infer<typeof AllegationKind>;
  status: z.infer<typeof AllegationStatus>;
  date: string;
  accusers: string[];
  accused: string[];
  accusedModels?: string[];
  sourceModels?: string[];
  summary: string;
  response?: string;
  note?: string;
}

export interface ChannelRow extends NodeRow {
  _label: 'AccessChannel';
  name: string;
  aliases?: string[];
  kind: z.infer<typeof ChannelKind>;
  operator: string;
  url?: string;
  description?: string;
}

export interface PolicyRow extends NodeRow {
  _label: 'Policy';
  name: string;
  aliases?: string[];
  kind: z.infer<typeof PolicyKind>;
  issuer: string;
  summary: string;
  announcedDate?: string;
  effectiveFrom?: string;
  effectiveUntil?: string;
  rescindedOn?: string;
  suspensionsJson?: string;
  statusNote?: string;
  targets?: string[];
  ruleThreshold?: number;
  ruleThresholdInclusive?: boolean;
  ruleCountryBasis?: string;
  ruleIncludesIndirect?: boolean;
  ruleAggregation?: string;
  ruleControlCounts?: boolean;
  ruleControlBases?: string[];
  coversDevelopers?: string[];
  coversModels?: string[];
  coversChannels?: string[];
  coversChannelKinds?: Array<z.infer<typeof ChannelKind>>;
  coversChannelsUnsettled?: string[];
  coversChannelsUnsettledJson?: string;
}

/** A policy's channel of unsettled reach, as stored in `coversChannelsUnsettledJson` (model/policy.ts). */
export interface UnsettledChannelRow {
  channel: string;
  note: string;
  sources: string[];
}

/** The row of each kind of node, by its label. */
export interface RowByLabel {
  Source: SourceRow;
  Country: CountryRow;
  Organization: OrganizationRow;
  Person: PersonRow;
  AIModel: ModelRow;
  Allegation: AllegationRow;
  AccessChannel: ChannelRow;
  Policy: PolicyRow;
}

/** A node row of one of the given kinds, told apart by its `_label`. */
export type RowOf<L extends Label> = RowByLabel[L];

export interface SuspensionRow {
  from: string;
  until?: string | null;
  note?: string;
  sources: string[];
}

/** A relationship record: its properties, and the ids of the nodes at either end. */
export interface EdgeRow extends Cited {
  _from: string;
  _to: string;
  startDate?: string;
  endDate?: string;
  [property: string]: unknown;
}

export type OwnershipRow = EdgeRow;
export type ControlRow = EdgeRow;
export type DerivationRow = EdgeRow;
export type OfferingRow = EdgeRow;
export type DesignationRow = EdgeRow;

/** One share of an ownership edge (share, votingShare or economicShare), in percent. */
export interface ShareRow {
  exact?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export interface SearchHitRow {
  node: RowOf<Label>;
  score: number;
  /** The text searched: `matched` is worked out from it and the node's names when it is selected. */
  text?: string;
  /** The name that matched, when the finder knows it already (a screened customer's candidates). */
  matched?: string;
}

/** A page of a list; `totalCount` runs its count query only when a client asks for it. */
export interface ConnectionRow<Node extends NodeRow = NodeRow> {
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export type OrganizationConnectionRow = ConnectionRow<OrganizationRow>;
export type PersonConnectionRow = ConnectionRow<PersonRow>;
export type ModelConnectionRow = ConnectionRow<ModelRow>;
export type AllegationConnectionRow = ConnectionRow<AllegationRow>;
export type ChannelConnectionRow = ConnectionRow<ChannelRow>;
export type PolicyConnectionRow = ConnectionRow<PolicyRow>;
