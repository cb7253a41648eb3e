import { z } from 'zod';
import { CountryCode, IsoDate, Note, Percentage, Period, SourceRefs, checkPeriod, idOf } from './common';
import { ModelId } from './aiModel';
import { ChannelId, ChannelKind } from './channel';
import { ControlBasis } from './ownership';
import { OrganizationId, PartyId } from './party';

export const PolicyId = idOf('policy');
export const PolicyKind = z.enum([
  'PROVIDER_RESTRICTION',
  'EXPORT_CONTROL',
  'ENTITY_LIST',
  'SANCTIONS',
  'OWNERSHIP_RULE',
  'OTHER',
]);

/**
 * How a policy reaches entities through their owners. `threshold` is in percent; `thresholdInclusive`
 * distinguishes "50 percent or more" (OFAC, BIS) from "more than 50%" (Anthropic). `countryBasis` says
 * whether an owner's headquarters or its place of incorporation puts it in a targeted jurisdiction.
 * `aggregation` names the method that decides verdicts (AGGREGATE: OFAC-style, a covered owner passes its
 * whole stake on; LOOK_THROUGH: shares multiplied along paths); both are always reported.
 */
export const OwnershipRule = z.strictObject({
  threshold: Percentage.refine((t) => t > 0, 'must be above 0'),
  thresholdInclusive: z.boolean(),
  countryBasis: z.enum(['HEADQUARTERS', 'INCORPORATION', 'EITHER']),
  includesIndirect: z.boolean(),
  aggregation: z.enum(['AGGREGATE', 'LOOK_THROUGH']).default('AGGREGATE'),
  controlCounts: z.boolean().default(false),
  controlBases: z.array(ControlBasis).optional(),
});
export type OwnershipRule = z.infer<typeof OwnershipRule>;

export const Suspension = z
  .strictObject({
    from: IsoDate,
    until: IsoDate.nullable().optional(),
    note: Note,
    sources: SourceRefs,
  })
  .refine((s) => !s.until || s.until >= s.from, { path: ['until'], message: 'must not be before "from"' });

/**
 * A channel the policy's sources leave open: they neither say the policy reaches it nor that it does not
 * (Claude inside Microsoft 365 Copilot under Anthropic's restriction). The access check says UNCERTAIN there
 * for a customer the policy covers, never ALLOWED; the note says what the sources do and do not settle.
 */
export const UnsettledChannel = z.strictObject({
  channel: ChannelId,
  note: z.string().min(1),
  sources: SourceRefs,
});

/** What a policy restricts: models by id or by developer, and the channels it reaches. */
export const PolicyCoverage = z
  .strictObject({
    developers: z.array(OrganizationId).optional(),
    models: z.array(ModelId).optional(),
    channels: z.array(ChannelId).optional(),
    channelKinds: z.array(ChannelKind).optional(),
    channelsUnsettled: z.array(UnsettledChannel).optional(),
  })
  .superRefine((covers, ctx) => {
    (covers.channelsUnsettled ?? []).forEach((u, i) => {
      if (covers.channels?.includes(u.channel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channelsUnsettled', i, 'channel'],
          message: `is also in "channels" (stated as reached), got ${u.channel}`,
        });
      }
    });
  });

/** A restriction, export control, entity list or sanctions regime, written as data. */
export const PolicyRecord = z
  .strictObject({
    id: PolicyId,
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    kind: PolicyKind,
    issuer: OrganizationId,
    summary: z.string().min(1),
    announcedDate: IsoDate.nullable().optional(),
    effectiveFrom: IsoDate.nullable().optional(),
    effectiveUntil: IsoDate.nullable().optional(),
    rescindedOn: IsoDate.nullable().optional(),
    suspensions: z.array(Suspension).optional(),
    statusNote: Note,
    /** From this day on our sources do not confirm the status we compute (a scheduled, unconfirmed reimposition). */
    statusUncertainFrom: IsoDate.nullable().optional(),
    targets: z.array(CountryCode).optional(),
    ownershipRule: OwnershipRule.nullable().optional(),
    covers: PolicyCoverage.optional(),
    sources: SourceRefs,
  })
  .refine((p) => !p.effectiveFrom || !p.effectiveUntil || p.effectiveUntil >= p.effectiveFrom, {
    path: ['effectiveUntil'],
    message: 'must not be before effectiveFrom',
  });
export type PolicyRecord = z.infer<typeof PolicyRecord>;

/** A policy names an entity (an Entity List entry, an SDN designation) over a period. */
export const DesignationRecord = z
  .strictObject({
    id: idOf('desig'),
    policy: PolicyId,
    entity: PartyId,
    listName: z.string().optional(),
    ...Period,
    note: Note,
    sources: SourceRefs,
  })
  .superRefine(checkPeriod);
export type DesignationRecord = z.infer<typeof DesignationRecord>;
