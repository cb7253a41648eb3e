import type { EdgeRow, NodeRow } from './rows';

/**
 * The Cypher projection of a node into a row (`NodeRow`): its stored properties, and its kind in `_label`
 * (the one label besides :Record). Every read that returns whole records uses it, bound to the variable `n`.
 */
export const NODE_PROJECTION = `n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}`;

/**
 * A node as a list of its kind and the named properties only, in that order: what a read that knows which
 * properties its caller reads returns instead of NODE_PROJECTION (a list, not a map, so the keys are not sent
 * and decoded once per record). The names are spliced in, so only plain names are accepted by the caller.
 */
export function nodeListProjection(properties: readonly string[]): string {
  return `[[l IN labels(n) WHERE l <> 'Record'][0], ${properties.map((p) => `n.\`${p}\``).join(', ')}]`;
}

/** The row of a `nodeListProjection` list: a property the node does not have is absent, as with NODE_PROJECTION. */
export function rowOfList(values: readonly unknown[], properties: readonly string[]): NodeRow {
  const row: Record<string, unknown> = { _label: values[0] };
  for (let i = 0; i < properties.length; i++) {
    const value = values[i + 1];
    if (value !== null && value !== undefined) row[properties[i]!] = value;
  }
  return row as NodeRow;
}

/** A relationship (bound to `r`) as the list of the named properties, in that order: see nodeListProjection. */
export function edgeListProjection(properties: readonly string[]): string {
  return `[${properties.map((p) => `r.\`${p}\``).join(', ')}]`;
}

/** The row of an `edgeListProjection` list, with the ids of its ends: absent properties absent, as with `r {.*}`. */
export function edgeOfList(
  values: readonly unknown[],
  properties: readonly string[],
  from: string,
  to: string,
): EdgeRow {
  const row: Record<string, unknown> = { _from: from, _to: to };
  for (let i = 0; i < properties.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) row[properties[i]!] = value;
  }
  return row as EdgeRow;
}
