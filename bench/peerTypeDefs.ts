/**
 * Not public API: type definitions for @neo4j/graphql (7.x) equivalent to our read schema for the fields the
 * peer benchmark compares (bench/peerQuestions.ts), over the graph as src/seed/storage.ts stores it.
 *
 * Every type carries :Record besides its own label, so the peer's `WHERE this.id IN $ids` can use the
 * unique :Record(id) index as our queries do; without it, it scans the label (a handicap we do not want to
 * measure). Shares are the stored flat properties (`shareExact`, …) that our `Share` type regroups.
 */
export const PEER_TYPE_DEFS = /* GraphQL */ `
  interface Party {
    id: ID!
    name: String!
  }

  type Organization implements Party
    @node(labels: ["Organization", "Record"])
    @fulltext(
      indexes: [
        { indexName: "record_names", queryName: "organizationsByName", fields: ["name", "aliasText"] }
      ]
    ) {
    id: ID!
    name: String!
    type: String!
    headquarters: String
    incorporation: String
    "Aliases joined by newlines, as stored for the full-text index."
    aliasText: String
    owners: [Party!]! @relationship(type: "OWNS", direction: IN, properties: "Ownership")
    holdings: [Organization!]! @relationship(type: "OWNS", direction: OUT, properties: "Ownership")
    models: [AIModel!]! @relationship(type: "DEVELOPED_BY", direction: IN)
  }

  type Person implements Party @node(labels: ["Person", "Record"]) {
    id: ID!
    name: String!
    holdings: [Organization!]! @relationship(type: "OWNS", direction: OUT, properties: "Ownership")
  }

  type Ownership @relationshipProperties {
    id: ID!
    shareExact: Float
    shareMinimum: Float
    shareMaximum: Float
    shareExclusiveMinimum: Float
    shareExclusiveMaximum: Float
    startDate: String
    endDate: String
  }

  type AIModel @node(labels: ["AIModel", "Record"]) @plural(value: "models") {
    id: ID!
    name: String!
    family: String
    derivedFrom: [AIModel!]! @relationship(type: "DERIVED_FROM", direction: OUT, properties: "Derivation")
  }

  type Derivation @relationshipProperties {
    id: ID!
    method: String!
    basis: String!
  }
`;
