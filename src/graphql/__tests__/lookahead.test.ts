import { buildSchema, type FieldNode } from 'graphql';
import { planLookahead, planPageLookahead, MAX_STEPS, RELATIONSHIP_FIELDS } from '../lookahead';
import { loadTypeDefs } from '../schema';
import { parsedOperation } from './parsedOperation';
import { flattenSteps, treeCypher, type TreeStep } from '../../queries/recordTree';

const schema = buildSchema(loadTypeDefs());

/** What a root resolver's `info` holds for the first root field of `document`. */
function infoFor(document: string) {
  const { operation, fragments } = parsedOperation(document);
  const field = operation.selectionSet.selections[0] as FieldNode;
  const returnType = schema.getQueryType()!.getFields()[field.name.value]!.type;
  return { schema, fragments, fieldNodes: [field], returnType };
}

/** A step as `TYPE:DIRECTION(labels)` with its next steps, for readable expectations. */
function shape(steps: readonly TreeStep[]): unknown[] {
  return steps.map((s) => {
    const head = `${s.kind} ${s.type}:${s.direction} (${[...s.labels].sort().join(',')})`;
    return s.next.length ? { [head]: shape(s.next) } : head;
  });
}

describe('Look-ahead plans the levels a root field selects', () => {
  it('follows owners to the owner and its owners, and models, on the types the fragments name', () => {
    const info = infoFor(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id models { id }
      owners { id owner { __typename id ... on Organization { models { id } owners { id owner { id } } } } } } } }`);
    expect(shape(planLookahead(info))).toEqual([
      'linked DEVELOPED_BY:IN (Organization)',
      {
        'edges OWNS:IN (Organization)': [
          'linked DEVELOPED_BY:IN (Organization)',
          'edges OWNS:IN (Organization)',
        ],
      },
    ]);
  });

  it('reads a Party field at both kinds of party, through named fragments and aliases', () => {
    const info = infoFor(`query { node(id: "x") { ...P } }
      fragment P on Party { a: holdings { owned { id } } b: holdings(asOf: "2024-01-01") { id } }`);
    expect(shape(planLookahead(info))).toEqual(['edges OWNS:OUT (Organization,Person)']);
  });

  it('follows a relationship record only to its other end: holdings lead on to what is owned', () => {
    const holdings = infoFor(
      `{ organization(id: "x") { holdings { owned { owners { id } } owner { id } } } }`,
    );
    expect(shape(planLookahead(holdings))).toEqual([
      { 'edges OWNS:OUT (Organization)': ['edges OWNS:IN (Organization)'] },
    ]);
    const lineage = infoFor(
      `{ model(id: "x") { derivedFrom { child { id } parent { derivedFrom { parent { id } } } } } }`,
    );
    expect(shape(planLookahead(lineage))).toEqual([
      { 'edges DERIVED_FROM:OUT (AIModel)': ['edges DERIVED_FROM:OUT (AIModel)'] },
    ]);
  });

  it('leaves a field with an argument it does not know to the loaders', () => {
    // Not a valid document today: it stands for an argument added later (knownAsOf), which the loaders own.
    const info = infoFor(
      `{ organization(id: "x") { owners(knownAsOf: "2025-01-01T00:00:00Z") { id } models { id } } }`,
    );
    expect(shape(planLookahead(info))).toEqual(['linked DEVELOPED_BY:IN (Organization)']);
  });

  it('plans below a page from its nodes and its edges’ node alike', () => {
    const info = infoFor(`{ organizations(first: 5) { totalCount nodes { owners { id } }
      edges { cursor node { models { id } owners { owner { id } } } } } }`);
    expect(shape(planPageLookahead(info))).toEqual([
      'edges OWNS:IN (Organization)',
      'linked DEVELOPED_BY:IN (Organization)',
    ]);
  });

  it('plans nothing for fields that are not relationships', () => {
    expect(planLookahead(infoFor(`{ organization(id: "x") { id name headquarters { code } } }`))).toEqual([]);
  });

  it(`stops at ${MAX_STEPS} steps however wide the selection`, () => {
    const level = (depth: number): string =>
      depth === 0
        ? 'id'
        : `owners { owner { ... on Organization { owners { id } holdings { id } controls { id } ${level(depth - 1)} } } }`;
    const steps = planLookahead(infoFor(`{ organization(id: "x") { ${level(12)} } }`));
    expect(flattenSteps(steps)).toHaveLength(MAX_STEPS);
  });

  it('knows a field for every relationship field of the schema’s node types', () => {
    for (const [type, fields] of Object.entries(RELATIONSHIP_FIELDS)) {
      const defined = schema.getType(type);
      expect(defined).toBeDefined();
      for (const name of Object.keys(fields)) {
        expect([
          type,
          name,
          (defined as { getFields(): Record<string, unknown> }).getFields()[name] !== undefined,
        ]).toEqual([type, name, true]);
      }
    }
  });

  it('writes one CALL subquery per step, reading each from the records of the step above', () => {
    const cypher = treeCypher([
      {
        kind: 'edges',
        type: 'OWNS',
        direction: 'IN',
        labels: ['Organization'],
        next: [{ kind: 'linked', type: 'DEVELOPED_BY', direction: 'IN', labels: ['Organization'], next: [] }],
      },
    ]);
    expect(cypher).toContain('CALL (roots)');
    expect(cypher).toContain('CALL (n0)');
    expect(cypher).toMatch(/\(k\)<-\[r:OWNS\]-\(n:Record\)/);
    expect(cypher).toMatch(/\(k\)<-\[r:DEVELOPED_BY\]-\(n:Record\)/);
  });

  it('refuses a relationship type or label outside the vocabulary, since they are spliced into Cypher', () => {
    expect(() =>
      treeCypher([
        {
          kind: 'linked',
          type: 'OWNS]->() DETACH DELETE n //' as never,
          direction: 'IN',
          labels: [],
          next: [],
        },
      ]),
    ).toThrow(/Unknown relationship type/);
    expect(() =>
      treeCypher([
        {
          kind: 'linked',
          type: 'OWNS',
          direction: 'IN',
          labels: ['Organization OR true' as never],
          next: [],
        },
      ]),
    ).toThrow(/Unknown label/);
  });
});
