import { z } from 'zod';
import { DataSetFile, type Section } from '../model/dataset';
import { VERSION_OF } from '../records/recordTime';
import { fromProps } from '../write/storedRecord';

/**
 * A stored record as the data-set format writes it (the inverse of seed/storage.ts's `toProps`, through the
 * write layer's `fromProps`), with its fields in the order the format's schema lists them and nested objects'
 * keys sorted: the same graph always exports to the same bytes, whatever order Neo4j returns properties in.
 */

/** Properties a `:RecordVersion` carries besides the record's own (src/write/writeRecords.ts `archive`). */
const VERSION_ONLY = ['supersededAt', 'supersededBy', 'retracted', VERSION_OF];

/** Thrown when a stored record does not read back as a valid record of its section (a fault in the store). */
export class UnexportableRecord extends Error {
  constructor(
    readonly recordId: string,
    readonly problems: string[],
  ) {
    super(`Record "${recordId}" does not read back as a valid record: ${problems.join('; ')}`);
    this.name = 'UnexportableRecord';
  }
}

type RecordSchema = z.ZodType & { shape?: Record<string, unknown> };

function recordSchema(section: Section): RecordSchema {
  const list = DataSetFile.shape[section].unwrap();
  return list.element as RecordSchema;
}

const FIELD_ORDER = new Map<Section, string[]>();

function fieldOrder(section: Section): string[] {
  let order = FIELD_ORDER.get(section);
  if (!order) {
    order = Object.keys(recordSchema(section).shape ?? {});
    FIELD_ORDER.set(section, order);
  }
  return order;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/** `props` as stored (a `:Record`, a relationship or a `:RecordVersion`), as a record of `section`. */
export function exportedRecord(section: Section, props: Record<string, unknown>): Record<string, unknown> {
  const own = { ...props };
  for (const key of VERSION_ONLY) delete own[key];
  // A version's `kind` names its label or type; a policy's own `kind` is its field (see the report on
  // archive(): a policy version's kind is overwritten there).
  if (section !== 'policies' && 'supersededAt' in props) delete own.kind;
  const record = fromProps(section, own);
  const parsed = recordSchema(section).safeParse(record);
  if (!parsed.success) {
    throw new UnexportableRecord(
      String(props.id),
      parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'} ${i.message}`),
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of fieldOrder(section)) {
    if (record[key] !== undefined) out[key] = sortedKeys(record[key]);
  }
  return out;
}
