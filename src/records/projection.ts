/**
 * The Cypher projection of a node into a row (`NodeRow`): its stored properties, and its kind in `_label`
 * (the one label besides :Record). Every read that returns whole records uses it, bound to the variable `n`.
 */
export const NODE_PROJECTION = `n {.*, _label: [l IN labels(n) WHERE l <> 'Record'][0]}`;
