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
  url: string;
  publisher: string;
  title: string;
  date?: string;
  note?: string;
}

export interface CountryRow extends NodeRow {
  code: string;
  name: string;
  aliases?: string[];
}

export interface OrganizationRow extends NodeRow {
  name: string;
  aliases?: string[];
  type: string;
  headquarters?: string;
  incorporation?: string;
  founded?: string;
  website?: string;
  description?: string;
}

export interface PersonRow extends NodeRow {
  name: string;
  aliases?: string[];
  nationality?: string;
  residence?: string;
  description?: string;
}

export interface ModelRow extends NodeRow {
  name: string;
  aliases?: string[];
  family: string;
  developer: string;
  releaseDate?: string;
  openWeights: boolean;
  licence?: string;
  totalParametersB?: number;
  activeParametersB?: number;
  architecture: string;
  modalities: string[];
  description?: string;
}

export interface AllegationRow extends NodeRow {
  title: string;
  kind: string;
  status: string;
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
  name: string;
  aliases?: string[];
  kind: string;
  operator: string;
  url?: string;
  description?: string;
}

export interface PolicyRow extends NodeRow {
  name: string;
  aliases?: string[];
  kind: string;
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
  coversChannelKinds?: string[];
}

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
  node: NodeRow;
  score: number;
  matched: string;
}

/** A page of a list; `totalCount` runs its count query only when a client asks for it. */
export interface ConnectionRow {
  edges: Array<{ cursor: string; node: NodeRow }>;
  nodes: NodeRow[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}
