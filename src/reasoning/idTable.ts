/**
 * Dense numbering of string ids, so graph algorithms work on typed arrays indexed 0..n-1 instead of
 * string-keyed maps (the 1M-entity sweep spends its time in exactly such lookups).
 */
export interface IdTable {
  ids: string[];
  indexOf: Map<string, number>;
  /** The number of an id, given the next free one on first sight. */
  add: (id: string) => number;
}

export function idTable(): IdTable {
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  return {
    ids,
    indexOf,
    add: (id) => {
      let i = indexOf.get(id);
      if (i === undefined) {
        i = ids.length;
        indexOf.set(id, i);
        ids.push(id);
      }
      return i;
    },
  };
}
