import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { PROPERTIES_READ } from './resolvers/propertiesRead';

/**
 * The stored properties a request reads from the records it selects, so a read-ahead fetches those and not
 * every property of every record (descriptions, notes, aliases in many scripts: decoding them was the larger
 * part of a 50-organization request's CPU). The answer is the union over the whole operation, not the field
 * being read ahead: every record a read-ahead primes sits in the request's one record loader, where any other
 * field of the request may find it, so it must carry what any selected field reads. `null` (read whole
 * records) as soon as one selected field's needs are not known (resolvers/propertiesRead.ts), or a root field
 * is not one of `projectingRoots` (a question such as `exposure` reads records for its reasoning).
 *
 * The answer names the properties of nodes and, apart, those of relationship records (ownerships, derivations,
 * …): the two are read by different parts of the query, and on a 50-organization request the relationships'
 * notes were most of the bytes sent once the nodes were projected.
 *
 * Computed once per parsed operation: Apollo keeps parsed documents, so the same query text reuses its answer.
 */
export interface SelectedProperties {
  /** Of the records (nodes): `id` and what the selected fields read. */
  nodes: readonly string[];
  /** Of the relationship records: `id`, the dates an `asOf` filters on, and what the selected fields read. */
  edges: readonly string[];
}

const cache = new WeakMap<OperationDefinitionNode, SelectedProperties | null>();

export function selectedProperties(
  info: Pick<GraphQLResolveInfo, 'schema' | 'operation' | 'fragments'>,
  projectingRoots: ReadonlySet<string>,
): SelectedProperties | null {
  const cached = cache.get(info.operation);
  if (cached !== undefined) return cached;
  const answer = walk(info, projectingRoots);
  cache.set(info.operation, answer);
  return answer;
}

/** The properties every projected record has whatever is selected: what resolvers and loaders key on. */
const ALWAYS = ['id'];
/**
 * Of a relationship record, also the dates: the resolvers of fields taking `asOf` (`owners(asOf:)`, …) filter
 * the loader's list by them (resolvers/shared.ts `inAnswerOn`), and the list is shared by every such field.
 */
const ALWAYS_ON_EDGES = ['id', 'startDate', 'endDate'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function walk(
  info: Pick<GraphQLResolveInfo, 'schema' | 'operation' | 'fragments'>,
  projectingRoots: ReadonlySet<string>,
): SelectedProperties | null {
  const { schema } = info;
  if (info.operation.operation !== OperationTypeNode.QUERY) return null;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [info.operation, ...Object.values(info.fragments)],
  };
  const properties = new Set(ALWAYS);
  const edgeProperties = new Set(ALWAYS_ON_EDGES);
  let known = true;
  const typeInfo = new TypeInfo(schema);
  const concretes = (type: GraphQLNamedType) =>
    isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        const parent = typeInfo.getParentType();
        if (!known || name.startsWith('__') || !parent) return;
        if (parent === schema.getQueryType()) {
          if (!projectingRoots.has(name)) known = false;
          return;
        }
        for (const type of concretes(parent)) {
          const table = PROPERTIES_READ[type.name];
          if (!table) {
            // A stored record whose fields' needs are not listed: read whole records. Any other type (a
            // connection, a share, an identifier) is reached only through a listed field, which names its needs.
            if (type.getInterfaces().some((i) => i.name === 'Recorded')) known = false;
            continue;
          }
          const definition = type.getFields()[name];
          const listed = table[name];
          const leaf = definition !== undefined && isLeafType(getNamedType(definition.type));
          if (!listed && !leaf) known = false;
          else {
            // A stored record that is not a Node is a relationship record (Ownership, Derivation, …); any other
            // listed type (a search hit) names what it reads of its node.
            const interfaces = type.getInterfaces().map((i) => i.name);
            const relationship = interfaces.includes('Recorded') && !interfaces.includes('Node');
            const into = relationship ? edgeProperties : properties;
            (listed ?? [name]).forEach((p) => into.add(p));
          }
        }
      },
    }),
  );
  if (!known) return null;
  const nodes = [...properties].sort();
  const edges = [...edgeProperties].sort();
  // Property names are spliced into Cypher (they cannot be parameters): only plain names, else read whole.
  return [...nodes, ...edges].every((p) => NAME.test(p)) ? { nodes, edges } : null;
}
