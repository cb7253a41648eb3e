import type { Section } from '../model/dataset';
import { parseIdentifierKey, type Identifier } from '../model/identifier';
import { readOwnershipRule, RULE_PROPERTIES } from '../records/ownershipRule';
import { RECORD_TIME_PROPERTIES } from '../records/recordTime';
import { readStoredShare, SHARE_FIELDS, SHARE_UNKNOWN_PROPERTY, type SharePrefix } from '../records/share';

/**
 * A stored record read back into the data-set format: the inverse of `toProps` (seed/storage.ts), so an
 * edit (end a stake, add an alias) is applied to the record as a user wrote it and validated again with the
 * same zod schema before it is stored.
 */

/** The section an id belongs to, from its prefix (`own:` → ownerships); undefined for an unknown prefix. */
export function sectionOfId(id: string): Section | undefined {
  return SECTION_OF_PREFIX[id.slice(0, id.indexOf(':'))];
}

const SECTION_OF_PREFIX: Record<string, Section> = {
  src: 'sources',
  country: 'countries',
  org: 'organizations',
  person: 'persons',
  model: 'models',
  channel: 'channels',
  policy: 'policies',
  alleg: 'allegations',
  own: 'ownerships',
  ctrl: 'controls',
  deriv: 'derivations',
  offer: 'offerings',
  desig: 'designations',
};

const SHARE_PREFIXES: readonly SharePrefix[] = ['share', 'votingShare', 'economicShare'];
const STORED_ONLY = new Set<string>([
  ...RECORD_TIME_PROPERTIES,
  'aliasText',
  SHARE_UNKNOWN_PROPERTY,
  '_from',
  '_to',
  '_label',
  ...Object.values(RULE_PROPERTIES),
  ...SHARE_PREFIXES.flatMap((prefix) => Object.values(SHARE_FIELDS).map((suffix) => `${prefix}${suffix}`)),
]);

export function fromProps(section: Section, props: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const covers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (STORED_ONLY.has(key) || value === null || value === undefined) continue;
    if (key === 'sourceIds') record.sources = value;
    // Identifiers are stored as their canonical keys (seed/storage.ts): give back the objects.
    else if (key === 'identifiers') record.identifiers = (value as string[]).flatMap(identifierOfKey);
    else if (key.endsWith('Precision'))
      continue; // folded back into its date below
    else if (key.startsWith('covers') && key.length > 'covers'.length) {
      const name = key[6]!.toLowerCase() + key.slice(7);
      // `channelsUnsettled` is stored twice: ids for Cypher, and whole entries as JSON (the record's own shape).
      if (name.endsWith('Json')) covers[name.slice(0, -4)] = JSON.parse(value as string);
      else if (!(`${key}Json` in props)) covers[name] = value;
    } else if (key.endsWith('Json')) record[key.slice(0, -4)] = JSON.parse(value as string);
    else record[key] = value;
  }
  if (Object.keys(covers).length > 0) record.covers = covers;
  // A partial date was stored as its widest day with its precision beside it: give back "2024-03" or "2024".
  for (const [key, value] of Object.entries(props)) {
    if (!key.endsWith('Precision') || typeof value !== 'string') continue;
    const dateKey = key.slice(0, -'Precision'.length);
    const day = record[dateKey];
    if (typeof day !== 'string') continue;
    if (value === 'MONTH') record[dateKey] = day.slice(0, 7);
    else if (value === 'YEAR') record[dateKey] = day.slice(0, 4);
  }
  if (section === 'ownerships') {
    record.share = props[SHARE_UNKNOWN_PROPERTY] ? null : readStoredShare(props, 'share');
  }
  for (const prefix of ['votingShare', 'economicShare'] as const) {
    const share = readStoredShare(props, prefix);
    if (share) record[prefix] = share;
  }
  if (section === 'policies') {
    const rule = readOwnershipRule(props as { id: string });
    if (rule) record.ownershipRule = rule;
  }
  return record;
}

function identifierOfKey(key: string): Identifier[] {
  const parsed = parseIdentifierKey(key);
  return parsed.success ? [parsed.data] : [];
}
