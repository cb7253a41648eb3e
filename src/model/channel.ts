import { z } from 'zod';
import { IsoDate, Note, Period, SourceRefs, checkPeriod, idOf, partialDate } from './common';
import { ModelId } from './aiModel';
import { OrganizationId } from './party';

export const ChannelId = idOf('channel');
export const ChannelKind = z.enum([
  'FIRST_PARTY_API',
  'CLOUD_MARKETPLACE',
  'CONSUMER_APP',
  'OPEN_WEIGHTS_DOWNLOAD',
]);

/** A way to reach models: Anthropic's API, Amazon Bedrock, a Hugging Face download, a chat app. */
export const ChannelRecord = z.strictObject({
  id: ChannelId,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  kind: ChannelKind,
  operator: OrganizationId,
  url: z.url().optional(),
  description: Note,
  sources: SourceRefs,
});
export type ChannelRecord = z.infer<typeof ChannelRecord>;

/**
 * A channel offers a model over a period. Where no source dates the channel's own start, the model's release
 * date may stand in as a lower bound (`startIsLowerBound`): the channel cannot have offered the model earlier,
 * but may have started later. `confirmedOn` is a day on which a cited source shows the channel offering it;
 * between the two the access check cannot say firmly that the channel offers the model.
 */
export const OfferingRecord = z
  .strictObject({
    id: idOf('offer'),
    channel: ChannelId,
    model: ModelId,
    ...Period,
    startIsLowerBound: z.boolean().optional(),
    confirmedOn: IsoDate.nullable().optional(),
    note: Note,
    sources: SourceRefs,
  })
  .superRefine(checkPeriod)
  .superRefine((offering, ctx) => {
    if (offering.startIsLowerBound && !offering.startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['startIsLowerBound'],
        message: 'needs a startDate to be a lower bound',
      });
    }
    const start = offering.startDate ? partialDate(offering.startDate) : null;
    if (offering.confirmedOn && start && offering.confirmedOn < start.first) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmedOn'],
        message: `must not be before startDate (${offering.startDate}), got ${offering.confirmedOn}`,
      });
    }
  });
export type OfferingRecord = z.infer<typeof OfferingRecord>;
