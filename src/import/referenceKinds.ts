import type { IncomingParty } from './incoming';

/**
 * What each reference of a relationship may name, once for every importer: an owner, a controller and a
 * designated entity are organizations or persons; what is owned or controlled is an organization (as the
 * write layer's schemas have it: model/ownership.ts, `owned` and `controlled` are organization ids). The CSV
 * reader takes ids of these kinds only (`org:…`, `person:…`); a reference by identifier names whichever party
 * holds it, so the CSV whole-folder check applies this rule to the holder it finds (in the folder or the
 * database) before the first write, and pass 2 of every import applies it to the record a reference resolves
 * to (runImport.ts).
 */

export type PartyLabel = IncomingParty['label'];

export const REFERENCE_LABELS = {
  owner: ['Organization', 'Person'],
  owned: ['Organization'],
  controller: ['Organization', 'Person'],
  controlled: ['Organization'],
  entity: ['Organization', 'Person'],
} as const satisfies Record<string, readonly PartyLabel[]>;

export type ReferenceField = keyof typeof REFERENCE_LABELS;

/** The prefix of a party's id by its label (`org:…`, `person:…`). */
export const ID_PREFIX = { Organization: 'org', Person: 'person' } as const satisfies Record<
  PartyLabel,
  string
>;

export function isReferenceField(field: string): field is ReferenceField {
  return Object.hasOwn(REFERENCE_LABELS, field);
}

/** The id prefixes a reference of this field may carry (`owned`: `org` only). */
export function idPrefixesOf(field: ReferenceField): string[] {
  return REFERENCE_LABELS[field].map((label) => ID_PREFIX[label]);
}

/** The label of the party an id names, by its prefix; null for an id of another kind of record. */
export function labelOfId(id: string): PartyLabel | null {
  if (id.startsWith(`${ID_PREFIX.Organization}:`)) return 'Organization';
  if (id.startsWith(`${ID_PREFIX.Person}:`)) return 'Person';
  return null;
}

/**
 * Why `field` cannot refer (as `described`: an identifier key, a local id) to a party of this label, or null
 * when it may. `holder` is the record that holds it, when there is one yet.
 */
export function wrongKindOfParty(
  field: ReferenceField,
  described: string,
  label: PartyLabel,
  holder?: string,
): string | null {
  const allowed: readonly PartyLabel[] = REFERENCE_LABELS[field];
  if (allowed.includes(label)) return null;
  const kind = (l: PartyLabel) => (l === 'Person' ? 'a person' : 'an organization');
  const named = holder ? `"${holder}", ${kind(label)}` : `${kind(label)} of this import`;
  return `refers to ${described}, which names ${named}: ${field} must be ${allowed.map(kind).join(' or ')}`;
}
