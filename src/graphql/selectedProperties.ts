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
 * The answer names the properties of nodes; relationship records are read whole.
 *
 * Computed once per parsed operation: Apollo keeps parsed documents, so the same query text reuses its answer.
 */
const cache = new WeakMap<OperationDefinitionNode, readonly string[] | null>();

export function selectedProperties(
  info: Pick<GraphQLResolveInfo, 'schema' | 'operation' | 'fragments'>,
  projectingRoots: ReadonlySet<string>,
): readonly string[] | null {
  const cached = cache.get(info.operation);
  if (cached !== undefined) return cached;
  const answer = walk(info, projectingRoots);
  cache.set(info.operation, answer);
  return answer;
}

/** The properties every projected record has whatever is selected: what resolvers and loaders key on. */
const ALWAYS = ['id'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function walk(
  info: Pick<GraphQLResolveInfo, 'schema' | 'operation' | 'fragments'>,
  projectingRoots: ReadonlySet<string>,
): readonly string[] | null {
  const { schema } = info;
  if (info.operation.operation !== OperationTypeNode.QUERY) return null;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [info.operation, ...Object.values(info.fragments)],
  };
  const properties = new Set(ALWAYS);
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
          // Relationship records are read whole (`r {.*}`); only the nodes' properties are projected.
          else if (type.getInterfaces().some((i) => i.name === 'Node'))
            (listed ?? [name]).forEach((p) => properties.add(p));
        }
      },
    }),
  );
  if (!known) return null;
  const list = [...properties].sort();
  // Property names are spliced into Cypher (they cannot be parameters): only plain names, else read whole.
  return list.every((p) => NAME.test(p)) ? list : null;
}
