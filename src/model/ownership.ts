import { z } from 'zod';
import { Confidence, Note, Period, Share, SourceRefs, checkPeriod, idOf } from './common';
import { OrganizationId, PartyId } from './party';

/**
 * Who owns how much of whom, over which period. A change of stake ends the old record (endDate) and
 * starts a new one, so history stays queryable. `share` null means the stake exists but its size is unknown.
 * `votingShare` and `economicShare` are given only where they differ from `share` (dual-class stock).
 */
export const OwnershipRecord = z
  .strictObject({
    id: idOf('own'),
    owner: PartyId,
    owned: OrganizationId,
    share: Share.nullable(),
    votingShare: Share.optional(),
    economicShare: Share.optional(),
    ...Period,
    confidence: Confidence.optional(),
    note: Note,
    sources: SourceRefs,
  })
  .superRefine(checkPeriod)
  .refine((o) => o.owner !== o.owned, { path: ['owned'], message: 'must differ from owner' });
export type OwnershipRecord = z.infer<typeof OwnershipRecord>;

export const ControlBasis = z.enum([
  'VIE_CONTRACT',
  'GOLDEN_SHARE',
  'BOARD_CONTROL',
  'VOTING_AGREEMENT',
  'OTHER',
]);

/** Control without (majority) equity: variable-interest-entity contracts, golden shares, board control. */
export const ControlRecord = z
  .strictObject({
    id: idOf('ctrl'),
    controller: PartyId,
    controlled: OrganizationId,
    basis: ControlBasis,
    description: Note,
    ...Period,
    confidence: Confidence.optional(),
    sources: SourceRefs,
  })
  .superRefine(checkPeriod)
  .refine((c) => c.controller !== c.controlled, {
    path: ['controlled'],
    message: 'must differ from controller',
  });
export type ControlRecord = z.infer<typeof ControlRecord>;
