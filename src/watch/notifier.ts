/**
 * The one call a write makes after it commits (mutations, importData): it wakes this process's webhook
 * workers so a delivery goes out now rather than at the next poll. Nothing is lost without it: the worker
 * finds change sets in Neo4j by time, whichever instance (or the CLI) wrote them.
 */

type Listener = () => void;

const listeners = new Set<Listener>();

/** Registers a listener; returns the function that removes it. */
export function onWriteCommitted(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function writeCommitted(): void {
  for (const listener of listeners) listener();
}
