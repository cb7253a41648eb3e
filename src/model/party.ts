import { z } from 'zod';
import { CountryCode, Note, PartialDate, SourceRefs, idOf } from './common';
import { Identifiers } from './identifier';

export const OrganizationId = idOf('org');
export const PersonId = idOf('person');
/** Anyone who can own or control: an organization or a person. */
export const PartyId = z.union([OrganizationId, PersonId], {
  message: 'must be an organization ("org:…") or person ("person:…") id',
});

export const OrganizationType = z.enum([
  'COMPANY',
  'INVESTMENT_FUND',
  'GOVERNMENT_BODY',
  'STATE_OWNED_ENTERPRISE',
  'AI_LAB',
  'UNIVERSITY',
  'NONPROFIT',
  'JOINT_VENTURE',
  'OTHER',
]);

/**
 * A company, fund, government body, state-owned enterprise, lab or university. Headquarters and place of
 * incorporation are kept apart: ByteDance Ltd. is incorporated in KY and headquartered in CN, and policies
 * differ on which one counts.
 */
export const OrganizationRecord = z.strictObject({
  id: OrganizationId,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  type: OrganizationType,
  headquarters: CountryCode.nullable().optional(),
  incorporation: CountryCode.nullable().optional(),
  /** Partial dates allowed ("2023-03": founded in March 2023), as for periods (common.ts). */
  founded: PartialDate.nullable().optional(),
  website: z.url().optional(),
  /** LEI, register numbers, tickers, Wikidata and OpenSanctions ids; unique per scheme where the scheme is. */
  identifiers: Identifiers.optional(),
  description: Note,
  sources: SourceRefs,
});
export type OrganizationRecord = z.infer<typeof OrganizationRecord>;

/** A natural person; residence plays the part of headquarters, nationality that of incorporation. */
export const PersonRecord = z.strictObject({
  id: PersonId,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  nationality: CountryCode.nullable().optional(),
  residence: CountryCode.nullable().optional(),
  identifiers: Identifiers.optional(),
  description: Note,
  sources: SourceRefs,
});
export type PersonRecord = z.infer<typeof PersonRecord>;
