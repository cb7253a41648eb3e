import { partialDate } from '../model/common';
import type { DataSetFile, Section } from '../model/dataset';
import { identifierKey, type Identifier } from '../model/identifier';
import type { OwnershipRule } from '../model/policy';
import { ownershipRuleProperties } from '../records/ownershipRule';
import type { ShareRow } from '../records/rows';
import { SHARE_UNKNOWN_PROPERTY, storedShareProperties } from '../records/share';
import type { Label, RecordRelationshipType, ReferenceRelationshipType } from '../records/vocabulary';

/**
 * How each record of the data-set format is stored in Neo4j. Every node gets :Record (unique id) and the
 * label of its kind. Properties are flattened to what Neo4j stores (primitives and lists); references to
 * other records are kept as id properties AND mirrored as relationships, so resolvers load by id while
 * Cypher users and path queries traverse. Relationship records (ownerships, …) become relationships
 * carrying their own id.
 */

export type Props = Record<string, string | number | boolean | string[] | number[]>;

/** A record of one section of the data-set format. */
type RecordOf<S extends Section> = NonNullable<DataSetFile[S]>[number];
/** Any record, as the writer handles it. */
export type StoredRecord = Record<string, unknown> & { id: string };

// Method syntax (not arrow properties) on purpose: a spec typed for one section's records is then usable
// where records of any section are written (method parameters are checked bivariantly).
export interface NodeSpec<R = StoredRecord> {
  label: Label;
  /** Relationships written from this node's reference fields: type → ids of the targets. */
  links: Array<{
    type: ReferenceRelationshipType;
    targets(record: R): Array<string | null | undefined>;
  }>;
}

export interface RelationshipSpec<R = StoredRecord> {
  type: RecordRelationshipType;
  from(record: R): string;
  to(record: R): string;
}

const country = (code: string | null | undefined) => (code ? `country:${code}` : null);

export const NODE_SECTIONS: { readonly [S in Section]?: NodeSpec<RecordOf<S>> } = {
  sources: { label: 'Source', links: [] },
  countries: { label: 'Country', links: [] },
  organizations: {
    label: 'Organization',
    links: [
      { type: 'HEADQUARTERED_IN', targets: (r) => [country(r.headquarters)] },
      { type: 'INCORPORATED_IN', targets: (r) => [country(r.incorporation)] },
    ],
  },
  persons: {
    label: 'Person',
    links: [
      { type: 'NATIONAL_OF', targets: (r) => [country(r.nationality)] },
      { type: 'RESIDES_IN', targets: (r) => [country(r.residence)] },
    ],
  },
  models: { label: 'AIModel', links: [{ type: 'DEVELOPED_BY', targets: (r) => [r.developer] }] },
  channels: { label: 'AccessChannel', links: [{ type: 'OPERATED_BY', targets: (r) => [r.operator] }] },
  policies: {
    label: 'Policy',
    links: [
      { type: 'ISSUED_BY', targets: (r) => [r.issuer] },
      { type: 'TARGETS', targets: (r) => (r.targets ?? []).map(country) },
      { type: 'COVERS_MODELS_OF', targets: (r) => r.covers?.developers ?? [] },
      { type: 'COVERS_MODEL', targets: (r) => r.covers?.models ?? [] },
      { type: 'REACHES', targets: (r) => r.covers?.channels ?? [] },
    ],
  },
  allegations: {
    label: 'Allegation',
    links: [
      { type: 'ALLEGED_BY', targets: (r) => r.accusers },
      { type: 'AGAINST', targets: (r) => r.accused },
      { type: 'CONCERNS_MODEL', targets: (r) => r.accusedModels ?? [] },
      { type: 'CONCERNS_SOURCE_MODEL', targets: (r) => r.sourceModels ?? [] },
    ],
  },
};

/** How records of `section` are written as nodes, or undefined when they are relationships. */
export function nodeSpec(section: Section): NodeSpec | undefined {
  return NODE_SECTIONS[section];
}

/** How records of `section` are written as relationships, or undefined when they are nodes. */
export function relationshipSpec(section: Section): RelationshipSpec | undefined {
  return RELATIONSHIP_SECTIONS[section];
}

export const RELATIONSHIP_SECTIONS: { readonly [S in Section]?: RelationshipSpec<RecordOf<S>> } = {
  ownerships: { type: 'OWNS', from: (r) => r.owner, to: (r) => r.owned },
  controls: { type: 'CONTROLS', from: (r) => r.controller, to: (r) => r.controlled },
  derivations: { type: 'DERIVED_FROM', from: (r) => r.child, to: (r) => r.parent },
  offerings: { type: 'OFFERS', from: (r) => r.channel, to: (r) => r.model },
  designations: { type: 'DESIGNATES', from: (r) => r.policy, to: (r) => r.entity },
};

/** Fields of the data-set format that take a partial date (YYYY, YYYY-MM or YYYY-MM-DD). */
const PARTIAL_DATES = new Set(['startDate', 'endDate', 'founded', 'releaseDate']);

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Flattens a record to Neo4j properties; the inverse is in graphql (resolvers read these names). */
export function toProps(record: Record<string, unknown>): Props {
  const props: Props = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (key === 'sources') {
      props.sourceIds = value as string[];
    } else if (key === 'aliases') {
      props.aliases = value as string[];
      props.aliasText = (value as string[]).join('\n');
    } else if (key === 'share' || key === 'votingShare' || key === 'economicShare') {
      Object.assign(props, storedShareProperties(key, value as ShareRow));
    } else if (key === 'identifiers') {
      // Stored as canonical keys, a list of strings the `record_identifiers` index holds one term each.
      props.identifiers = (value as Identifier[]).map(identifierKey);
    } else if (key === 'ownershipRule') {
      Object.assign(props, ownershipRuleProperties(value as Partial<OwnershipRule>));
    } else if (key === 'covers') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (k === 'channelsUnsettled') {
          // Ids for Cypher, the whole entries (note, sources) as JSON for the API.
          const unsettled = v as Array<{ channel: string }>;
          props.coversChannelsUnsettled = unsettled.map((u) => u.channel);
          props.coversChannelsUnsettledJson = JSON.stringify(unsettled);
        } else props[`covers${capitalize(k)}`] = v as string[];
      }
    } else if (PARTIAL_DATES.has(key) && typeof value === 'string') {
      // A partial date is stored as the widest day it allows, its precision beside it (model/common.ts): an
      // end on its last day, any other date on its first.
      const date = partialDate(value);
      props[key] = date ? (key === 'endDate' ? date.last : date.first) : value;
      if (date && date.precision !== 'DAY') props[`${key}Precision`] = date.precision;
    } else if (key === 'suspensions') {
      props.suspensionsJson = JSON.stringify(value);
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      props[`${key}Json`] = JSON.stringify(value);
    } else {
      props[key] = value as Props[string];
    }
  }
  // An ownership whose share is null is a known stake of unknown size.
  if ('share' in record && record.share === null) props[SHARE_UNKNOWN_PROPERTY] = true;
  return props;
}

export type Records = NonNullable<DataSetFile[Section]>;
