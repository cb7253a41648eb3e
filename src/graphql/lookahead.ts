import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DatabaseUnavailable } from '../db/database';
import { fetchRecordTree, flattenSteps, type TreeRead, type TreeStep } from '../queries/recordTree';
import type { NodeRow } from '../records/rows';
import type { Direction, Label, RelationshipType } from '../records/vocabulary';
import type { Context } from './context';
import type { Loaders } from './loaders';
import { selectedProperties } from './selectedProperties';

/**
 * Look-ahead: a root field that reads records by id (`nodes`, `organization`, …) looks at what the request
 * selects below it and reads the relationships of every level it can see in one query
 * (queries/recordTree.ts), then primes the request's loaders with them, so the nested resolvers find their
 * answers in memory instead of sending one query per level, each waiting for the one above. The resolvers are
 * unchanged and still the only ones who answer: a field the look-ahead does not know, or one with arguments
 * it does not understand, is simply left to its loader, and priming never replaces what a loader holds.
 *
 * The fields below are those whose resolvers call `edges(...)` or `linked(...)` (resolvers/shared.ts) with
 * these relationship types and directions; test/lookahead.test.ts asks every one of them with and without
 * look-ahead and compares the answers.
 */
interface RelationshipField {
  kind: TreeStep['kind'];
  type: RelationshipType;
  direction: Direction;
  /** For `edges`: the GraphQL type of the relationship record (its ends in EDGE_ENDS). */
  edgeType?: keyof typeof EDGE_ENDS;
}

const edges = (type: RelationshipType, direction: Direction, edgeType: keyof typeof EDGE_ENDS) =>
  ({ kind: 'edges', type, direction, edgeType }) as const satisfies RelationshipField;
const linked = (type: RelationshipType, direction: Direction) =>
  ({ kind: 'linked', type, direction }) as const satisfies RelationshipField;

/** Which end of the stored relationship each node field of a relationship record returns. */
const EDGE_ENDS = {
  Ownership: { owner: 'from', owned: 'to' },
  Control: { controller: 'from', controlled: 'to' },
  Derivation: { child: 'from', parent: 'to' },
  Offering: { channel: 'from', model: 'to' },
  Designation: { policy: 'from', entity: 'to' },
} as const satisfies Record<string, Record<string, 'from' | 'to'>>;

const PARTY_FIELDS = {
  holdings: edges('OWNS', 'OUT', 'Ownership'),
  controls: edges('CONTROLS', 'OUT', 'Control'),
  designations: edges('DESIGNATES', 'IN', 'Designation'),
  allegationsMade: linked('ALLEGED_BY', 'IN'),
  allegationsAgainst: linked('AGAINST', 'IN'),
};

export const RELATIONSHIP_FIELDS: Partial<Record<Label, Record<string, RelationshipField>>> = {
  Organization: {
    ...PARTY_FIELDS,
    owners: edges('OWNS', 'IN', 'Ownership'),
    controllers: edges('CONTROLS', 'IN', 'Control'),
    models: linked('DEVELOPED_BY', 'IN'),
    channels: linked('OPERATED_BY', 'IN'),
    policiesIssued: linked('ISSUED_BY', 'IN'),
  },
  Person: PARTY_FIELDS,
  AIModel: {
    derivedFrom: edges('DERIVED_FROM', 'OUT', 'Derivation'),
    derivatives: edges('DERIVED_FROM', 'IN', 'Derivation'),
    offerings: edges('OFFERS', 'IN', 'Offering'),
    allegations: linked('CONCERNS_MODEL', 'IN'),
  },
  AccessChannel: {
    offerings: edges('OFFERS', 'OUT', 'Offering'),
    policiesReaching: linked('REACHES', 'IN'),
  },
};

/** Arguments a relationship field may carry and still be read ahead: `asOf` filters what the loader holds. */
const FIELD_ARGUMENTS = new Set(['asOf']);
/** Arguments of the root fields read ahead; any other (a future `knownAsOf`) leaves the request to its loaders. */
const ROOT_ARGUMENTS = new Set(['id', 'ids']);
/** The root fields that read records by id. */
export const LOOKAHEAD_ROOTS = [
  'node',
  'nodes',
  'organization',
  'person',
  'model',
  'channel',
  'allegation',
  'policy',
] as const;
/** The root fields that return a page of records (ConnectionRow); read ahead once the page is known. */
export const LOOKAHEAD_PAGES = [
  'organizations',
  'persons',
  'models',
  'allegations',
  'policies',
  'channels',
] as const;
/** Arguments of the page fields read ahead. */
const PAGE_ARGUMENTS = new Set(['filter', 'first', 'after']);
/** At most this many steps in one query; deeper or wider selections are left to the loaders. */
export const MAX_STEPS = 24;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  steps: number;
}

function applies(walk: Walk, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const named = walk.schema.getType(condition);
  return named !== undefined && isAbstractType(named) && walk.schema.isSubType(named, type);
}

/** The fields selected on `type` by these selection sets, through inline fragments and fragment spreads. */
function fieldsOn(
  walk: Walk,
  sets: ReadonlyArray<SelectionSetNode | undefined>,
  type: GraphQLObjectType,
): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(walk, selection.typeCondition?.name.value, type)) visit(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments[name];
        if (!fragment || seen.has(name) || !applies(walk, fragment.typeCondition.name.value, type)) continue;
        visit(fragment.selectionSet, new Set([...seen, name]));
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return out;
}

const plainArguments = (field: FieldNode, allowed: Set<string>) =>
  (field.arguments ?? []).every((a) => allowed.has(a.name.value));

/** The steps to read for the records of `type` (an object type or an interface) that `fields` select into. */
function nodeSteps(walk: Walk, fields: readonly FieldNode[], type: GraphQLOutputType): TreeStep[] {
  const named = getNamedType(type);
  const concretes = isAbstractType(named)
    ? walk.schema.getPossibleTypes(named)
    : isObjectType(named)
      ? [named]
      : [];
  const found = new Map<
    string,
    { field: RelationshipField; labels: Set<Label>; nodes: FieldNode[]; returns: GraphQLOutputType }
  >();
  const sets = fields.map((f) => f.selectionSet);
  for (const concrete of concretes) {
    const table = RELATIONSHIP_FIELDS[concrete.name as Label];
    if (!table) continue;
    for (const node of fieldsOn(walk, sets, concrete)) {
      const field = table[node.name.value];
      const definition = concrete.getFields()[node.name.value];
      if (!field || !definition || !plainArguments(node, FIELD_ARGUMENTS)) continue;
      const key = `${field.kind}:${field.type}:${field.direction}`;
      const entry = found.get(key) ?? { field, labels: new Set(), nodes: [], returns: definition.type };
      entry.labels.add(concrete.name as Label);
      entry.nodes.push(node);
      found.set(key, entry);
    }
  }
  const steps: TreeStep[] = [];
  for (const { field, labels, nodes, returns } of found.values()) {
    if (walk.steps >= MAX_STEPS) break;
    walk.steps++;
    const step: TreeStep = {
      kind: field.kind,
      type: field.type,
      direction: field.direction,
      labels: [...labels],
      next: [],
    };
    steps.push(step);
    if (field.kind === 'linked') {
      step.next = nodeSteps(walk, nodes, returns);
    } else if (field.edgeType) {
      const edgeType = walk.schema.getType(field.edgeType);
      if (!isObjectType(edgeType)) continue;
      const other = field.direction === 'OUT' ? 'to' : 'from';
      const ends: Record<string, 'from' | 'to'> = EDGE_ENDS[field.edgeType];
      const toOther = fieldsOn(
        walk,
        nodes.map((n) => n.selectionSet),
        edgeType,
      ).filter((f) => ends[f.name.value] === other && plainArguments(f, FIELD_ARGUMENTS));
      const definition = toOther[0] && edgeType.getFields()[toOther[0].name.value];
      if (definition) step.next = nodeSteps(walk, toOther, definition.type);
    }
  }
  return steps;
}

/** The steps a root field's selection asks for below the records it returns. */
export function planLookahead(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'fieldNodes' | 'returnType'>,
): TreeStep[] {
  return nodeSteps(
    { schema: info.schema, fragments: info.fragments, steps: 0 },
    info.fieldNodes,
    info.returnType,
  );
}

/**
 * The steps a page field's selection asks for below its records: under `nodes` and `edges { node }` of the
 * connection it returns.
 */
export function planPageLookahead(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'fieldNodes' | 'returnType'>,
): TreeStep[] {
  const connection = getNamedType(info.returnType);
  if (!isObjectType(connection)) return [];
  const walk: Walk = { schema: info.schema, fragments: info.fragments, steps: 0 };
  const top = fieldsOn(
    walk,
    info.fieldNodes.map((f) => f.selectionSet),
    connection,
  );
  const nodes = top.filter((f) => f.name.value === 'nodes');
  const edgeType = connection.getFields().edges?.type;
  const edgeObject = edgeType && getNamedType(edgeType);
  if (edgeObject && isObjectType(edgeObject)) {
    const edgeFields = top.filter((f) => f.name.value === 'edges');
    nodes.push(
      ...fieldsOn(
        walk,
        edgeFields.map((f) => f.selectionSet),
        edgeObject,
      ).filter((f) => f.name.value === 'node'),
    );
  }
  const nodeType = connection.getFields().nodes?.type;
  return nodes.length && nodeType ? nodeSteps(walk, nodes, nodeType) : [];
}

/**
 * Primes the loaders with a tree read: every record found (ids not found as null), and for every step the
 * list of each record it read from (an empty list where it found nothing), exactly as the loaders group theirs.
 */
export function primeLoaders(
  loaders: Loaders,
  ids: readonly string[],
  steps: readonly TreeStep[],
  read: TreeRead,
): void {
  const flat = flattenSteps(steps);
  const reached: NodeRow[][] = [];
  for (const row of read.roots) loaders.record.prime(row.id, row);
  const found = new Set(read.roots.map((r) => r.id));
  for (const id of ids) if (!found.has(id)) loaders.record.prime(id, null);
  flat.forEach(({ step, parent }, i) => {
    const rows = read.steps[i] ?? [];
    const from = parent < 0 ? read.roots : reached[parent]!;
    const byKey = new Map<string, typeof rows>();
    const others = new Map<string, NodeRow>();
    for (const row of rows) {
      const list = byKey.get(row.key) ?? [];
      list.push(row);
      byKey.set(row.key, list);
      others.set(row.other.id, row.other);
      loaders.record.prime(row.other.id, row.other);
    }
    reached[i] = [...others.values()];
    const keys = from.filter((n) => step.labels.includes(n._label as Label)).map((n) => n.id);
    if (step.kind === 'edges') {
      const loader = loaders.edges(step.type, step.direction);
      for (const key of keys)
        loader.prime(
          key,
          (byKey.get(key) ?? []).map((r) => r.edge!),
        );
    } else {
      const loader = loaders.linked(step.type, step.direction);
      for (const key of keys)
        loader.prime(
          key,
          (byKey.get(key) ?? []).map((r) => r.other),
        );
    }
  });
}

const onlyArguments = (args: Record<string, unknown>, allowed: Set<string>) =>
  Object.entries(args).every(([name, value]) => value == null || allowed.has(name));

/** Reads ahead for a root field, if its arguments and selection allow; a failed read is left to the loaders. */
export async function readAhead(
  ctx: Context,
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
): Promise<void> {
  if (!ctx.loaders.readAhead || !onlyArguments(args, ROOT_ARGUMENTS)) return;
  const ids = Array.isArray(args.ids) ? (args.ids as string[]) : typeof args.id === 'string' ? [args.id] : [];
  await readTree(ctx, ids, planLookahead(info), info);
}

/** Reads ahead below a page of records once the page is known (its records are read again: one index seek each). */
export async function readAheadPage(
  ctx: Context,
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
  page: unknown,
): Promise<void> {
  if (!ctx.loaders.readAhead || !onlyArguments(args, PAGE_ARGUMENTS)) return;
  const rows = (page as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(rows)) return;
  await readTree(
    ctx,
    rows.map((r: NodeRow) => r.id),
    planPageLookahead(info),
    info,
  );
}

/**
 * The root fields whose records may be projected to the selected properties: those read ahead, and `search`
 * (resolvers/query.ts), which primes its hits into the same record loader.
 */
export const PROJECTING_ROOTS: ReadonlySet<string> = new Set([
  ...LOOKAHEAD_ROOTS,
  ...LOOKAHEAD_PAGES,
  'search',
]);

async function readTree(
  ctx: Context,
  ids: readonly string[],
  steps: readonly TreeStep[],
  info: GraphQLResolveInfo,
): Promise<void> {
  if (ids.length === 0 || ids.length > ctx.config.MAX_PAGE_SIZE || steps.length === 0) return;
  const properties =
    ctx.config.READ_AHEAD_PROJECTION !== false ? selectedProperties(info, PROJECTING_ROOTS) : null;
  try {
    const read = await ctx.db.read((query) => fetchRecordTree(query, ids, steps, properties ?? undefined));
    primeLoaders(ctx.loaders, ids, steps, read);
  } catch (error) {
    // Unavailable, busy or out of budget: the request's answer is that error, whoever reads next.
    if (error instanceof DatabaseUnavailable) throw error;
    // Anything else is a fault of the read ahead itself: the loaders read what is missing, level by level.
    ctx.log.warn('look-ahead read failed; the loaders read instead', { error: String(error) });
  }
}

type RootResolver = (
  parent: unknown,
  args: Record<string, unknown>,
  ctx: Context,
  info: GraphQLResolveInfo,
) => unknown;

/** The root resolvers of LOOKAHEAD_ROOTS, each reading ahead before it answers as it did. */
export function withLookahead<Q extends object>(resolvers: Q): Q {
  const out: Record<string, unknown> = { ...(resolvers as Record<string, unknown>) };
  for (const name of LOOKAHEAD_ROOTS) {
    const resolve = out[name];
    if (typeof resolve !== 'function') continue;
    const original = resolve as RootResolver;
    out[name] = async (
      parent: unknown,
      args: Record<string, unknown>,
      ctx: Context,
      info: GraphQLResolveInfo,
    ) => {
      await readAhead(ctx, args, info);
      return original(parent, args, ctx, info);
    };
  }
  for (const name of LOOKAHEAD_PAGES) {
    const resolve = out[name];
    if (typeof resolve !== 'function') continue;
    const original = resolve as RootResolver;
    out[name] = async (
      parent: unknown,
      args: Record<string, unknown>,
      ctx: Context,
      info: GraphQLResolveInfo,
    ) => {
      const page = await original(parent, args, ctx, info);
      await readAheadPage(ctx, args, info, page);
      return page;
    };
  }
  return out as Q;
}
