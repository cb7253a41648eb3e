import type { DataSetFile, Section } from '../model/dataset';
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

export interface NodeSpec {
  label: Label;
  /** Relationships written from this node's reference fields: type → ids of the targets. */
  links: Array<{
    type: ReferenceRelationshipType;
    targets: (record: any) => Array<string | null | undefined>;
  }>;
}

export interface RelationshipSpec {
  type: RecordRelationshipType;
  from: (record: any) => string;
  to: (record: any) => string;
}

const country = (code: string | null | undefined) => (code ? `country:${code}` : null);

export const NODE_SECTIONS: Partial<Record<Section, NodeSpec>> = {
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

export const RELATIONSHIP_SECTIONS: Partial<Record<Section, RelationshipSpec>> = {
  ownerships: { type: 'OWNS', from: (r) => r.owner, to: (r) => r.owned },
  controls: { type: 'CONTROLS', from: (r) => r.controller, to: (r) => r.controlled },
  derivations: { type: 'DERIVED_FROM', from: (r) => r.child, to: (r) => r.parent },
  offerings: { type: 'OFFERS', from: (r) => r.channel, to: (r) => r.model },
  designations: { type: 'DESIGNATES', from: (r) => r.policy, to: (r) => r.entity },
};

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
    } else if (key === 'ownershipRule') {
      Object.assign(props, ownershipRuleProperties(value as Partial<OwnershipRule>));
    } else if (key === 'covers') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined) props[`covers${capitalize(k)}`] = v as string[];
      }
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
