import { buildSchema, getNamedType, isLeafType, isObjectType, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { PROJECTING_ROOTS } from '../lookahead';
import { resolvers } from '../resolvers';
import { PROPERTIES_READ } from '../resolvers/propertiesRead';
import { loadTypeDefs } from '../schema';
import { selectedProperties } from '../selectedProperties';
import { parsedOperation } from './parsedOperation';

const schema = buildSchema(loadTypeDefs());

function propertiesOf(document: string) {
  return selectedProperties({ schema, ...parsedOperation(document) }, PROJECTING_ROOTS);
}

describe('Selected properties: what a read-ahead fetches of each record', () => {
  it('is the id and the properties the selected fields read, over every type and fragment of the operation', () => {
    expect(
      propertiesOf(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id name ...M
        owners { id share { exact } startDatePrecision owner { __typename id name } } } } }
        fragment M on Organization { models { id releaseDatePrecision } }`)?.nodes,
    ).toEqual(['id', 'name', 'releaseDate', 'releaseDatePrecision']);
  });

  it('names apart what the relationship records selected read, with their id and dates always', () => {
    expect(
      propertiesOf(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { id
        owners { share { exact } note owner { id } } models { derivedFrom { method parent { id } } } } } }`)
        ?.edges,
    ).toEqual([
      'endDate',
      'id',
      'method',
      'note',
      'shareExact',
      'shareExclusiveMaximum',
      'shareExclusiveMinimum',
      'shareMaximum',
      'shareMinimum',
      'startDate',
    ]);
  });

  it('adds what a field with its own resolver reads: sources their ids, a country its code, a developer its id', () => {
    expect(
      propertiesOf(`{ organization(id: "x") { headquarters { name } sources { title }
        models { developer { id } } } }`)?.nodes,
    ).toEqual(['developer', 'headquarters', 'id', 'name', 'sourceIds', 'title']);
  });

  it('reads whole records when a root field is not one whose records are projected', () => {
    expect(propertiesOf(`{ organization(id: "x") { id name } countries { code } }`)).toBeNull();
  });

  it('adds what a search hit reads of its node: the names it picks the one that matched from', () => {
    expect(propertiesOf(`{ search(text: "x") { score node { ... on Person { id } } } }`)?.nodes).toEqual([
      'id',
    ]);
    expect(
      propertiesOf(`{ search(text: "x") { matched node { ... on Organization { website } } } }`)?.nodes,
    ).toEqual(['aliases', 'id', 'name', 'website']);
  });

  it('reads whole records when a selected field reads what the table does not list', () => {
    expect(propertiesOf(`{ organization(id: "x") { id history { version } } }`)).toBeNull();
  });

  it('projects a field selected on an interface, which every record type implementing it reads alike', () => {
    expect(propertiesOf(`{ node(id: "x") { id } }`)).toEqual({
      nodes: ['id'],
      edges: ['endDate', 'id', 'startDate'],
    });
    expect(
      propertiesOf(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Party { name holdings { id } } } }`)
        ?.nodes,
    ).toEqual(['id', 'name']);
  });

  it('adds what policies and allegations read: the ids they refer to, their rule, their stored JSON', () => {
    expect(
      propertiesOf(`{ policy(id: "x") { name issuer { name } ownershipRule { description } suspensions { from }
        designations { listName entity { id } } } }`),
    ).toEqual({
      nodes: [
        'id',
        'issuer',
        'name',
        'ruleAggregation',
        'ruleControlBases',
        'ruleControlCounts',
        'ruleCountryBasis',
        'ruleIncludesIndirect',
        'ruleThreshold',
        'ruleThresholdInclusive',
        'suspensionsJson',
        'targets',
      ],
      edges: ['endDate', 'id', 'listName', 'startDate'],
    });
    expect(
      propertiesOf(`{ allegation(id: "x") { title accused { id } accusedModels { id }
        derivations { method allegation { id } } } }`),
    ).toEqual({
      nodes: ['accused', 'accusedModels', 'id', 'title'],
      edges: ['allegation', 'endDate', 'id', 'method', 'startDate'],
    });
  });

  it('reads whole records for a mutation', () => {
    expect(propertiesOf(`mutation { __typename }`)).toBeNull();
  });

  it('answers the same operation from its cache', () => {
    const parsed = parse(`{ organization(id: "x") { id name } }`);
    const operation = parsed.definitions[0] as OperationDefinitionNode;
    const first = selectedProperties({ schema, operation, fragments: {} }, PROJECTING_ROOTS);
    expect(selectedProperties({ schema, operation, fragments: {} }, PROJECTING_ROOTS)).toBe(first);
  });
});

describe('The table of properties read (resolvers/propertiesRead.ts)', () => {
  // A leaf field with its own resolver reads what that resolver reads, not the property of its name: the
  // table must say what, or the projection would leave it out.
  const typed = resolvers as Record<string, Record<string, unknown>>;
  it.each(Object.keys(PROPERTIES_READ))('lists every leaf field of %s that has its own resolver', (name) => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
    const own = Object.keys(typed[name] ?? {}).filter((field) => {
      const definition = type.getFields()[field];
      return definition !== undefined && isLeafType(getNamedType(definition.type));
    });
    expect(own.filter((field) => !(field in PROPERTIES_READ[name]!))).toEqual([]);
  });

  it('names only fields the schema has', () => {
    const unknown = Object.entries(PROPERTIES_READ).flatMap(([name, fields]) => {
      const type = schema.getType(name);
      if (!isObjectType(type)) return [name];
      return Object.keys(fields)
        .filter((field) => !type.getFields()[field])
        .map((f) => `${name}.${f}`);
    });
    expect(unknown).toEqual([]);
  });
});
