/**
 * The graph's vocabulary, in one place: node labels, relationship types and which way each points. The seed
 * writer, the migrations, the loaders, the connection search and the table in docs/graph-model.md all come
 * from (or are tested against) these lists, so a new relationship type is added here once.
 */

/** Every node carries this label and a globally unique `id`. */
export const RECORD_LABEL = 'Record';

/** The label of each kind of node. */
export const LABELS = [
  'Source',
  'Country',
  'Organization',
  'Person',
  'AIModel',
  'AccessChannel',
  'Policy',
  'Allegation',
] as const;
export type Label = (typeof LABELS)[number];

/** The labels whose names (and aliases) the `record_names` full-text index holds. */
export const NAMED_LABELS = [
  'Organization',
  'Person',
  'AIModel',
  'Policy',
  'AccessChannel',
  'Country',
] as const satisfies readonly Label[];

/**
 * Relationship records: stored as relationships that carry their own stable id (MERGE keys on it), written
 * from the data set's relationship sections, from `from` to `to`.
 */
export const RECORD_RELATIONSHIPS = {
  OWNS: { from: ['Organization', 'Person'], to: ['Organization'] },
  CONTROLS: { from: ['Organization', 'Person'], to: ['Organization'] },
  DERIVED_FROM: { from: ['AIModel'], to: ['AIModel'] },
  OFFERS: { from: ['AccessChannel'], to: ['AIModel'] },
  DESIGNATES: { from: ['Policy'], to: ['Organization', 'Person'] },
} as const satisfies Record<string, RelationshipEnds>;

/**
 * Reference relationships: mirror a node's id (or country code) property so that Cypher traverses what
 * resolvers read by id. `country` marks the links that join records merely because they share a country.
 */
export const REFERENCE_RELATIONSHIPS = {
  HEADQUARTERED_IN: { from: ['Organization'], to: ['Country'], country: true },
  INCORPORATED_IN: { from: ['Organization'], to: ['Country'], country: true },
  NATIONAL_OF: { from: ['Person'], to: ['Country'], country: true },
  RESIDES_IN: { from: ['Person'], to: ['Country'], country: true },
  DEVELOPED_BY: { from: ['AIModel'], to: ['Organization'], country: false },
  OPERATED_BY: { from: ['AccessChannel'], to: ['Organization'], country: false },
  ISSUED_BY: { from: ['Policy'], to: ['Organization'], country: false },
  TARGETS: { from: ['Policy'], to: ['Country'], country: true },
  COVERS_MODELS_OF: { from: ['Policy'], to: ['Organization'], country: false },
  COVERS_MODEL: { from: ['Policy'], to: ['AIModel'], country: false },
  REACHES: { from: ['Policy'], to: ['AccessChannel'], country: false },
  ALLEGED_BY: { from: ['Allegation'], to: ['Organization', 'Person'], country: false },
  AGAINST: { from: ['Allegation'], to: ['Organization', 'Person'], country: false },
  CONCERNS_MODEL: { from: ['Allegation'], to: ['AIModel'], country: false },
  CONCERNS_SOURCE_MODEL: { from: ['Allegation'], to: ['AIModel'], country: false },
} as const satisfies Record<string, RelationshipEnds & { country: boolean }>;

interface RelationshipEnds {
  from: readonly Label[];
  to: readonly Label[];
}

export type RecordRelationshipType = keyof typeof RECORD_RELATIONSHIPS;
export type ReferenceRelationshipType = keyof typeof REFERENCE_RELATIONSHIPS;
export type RelationshipType = RecordRelationshipType | ReferenceRelationshipType;

/** Which end of a relationship a node is at: OUT follows the arrow from the node, IN arrives at it. */
export type Direction = 'OUT' | 'IN';

export const RECORD_RELATIONSHIP_TYPES = Object.keys(RECORD_RELATIONSHIPS) as RecordRelationshipType[];
export const REFERENCE_RELATIONSHIP_TYPES = Object.keys(
  REFERENCE_RELATIONSHIPS,
) as ReferenceRelationshipType[];
export const RELATIONSHIP_TYPES: readonly RelationshipType[] = [
  ...RECORD_RELATIONSHIP_TYPES,
  ...REFERENCE_RELATIONSHIP_TYPES,
];

/** Links through a shared country (headquarters, incorporation, nationality, residence, a policy's targets). */
export const COUNTRY_RELATIONSHIP_TYPES = REFERENCE_RELATIONSHIP_TYPES.filter(
  (type) => REFERENCE_RELATIONSHIPS[type].country,
);

export function isRelationshipType(value: string): value is RelationshipType {
  return (RELATIONSHIP_TYPES as readonly string[]).includes(value);
}
