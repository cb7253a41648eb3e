import { z } from 'zod';
import { Note, Period, SourceRefs, checkPeriod, idOf } from './common';
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

/** A channel offers a model over a period. */
export const OfferingRecord = z
  .strictObject({
    id: idOf('offer'),
    channel: ChannelId,
    model: ModelId,
    ...Period,
    note: Note,
    sources: SourceRefs,
  })
  .superRefine(checkPeriod);
export type OfferingRecord = z.infer<typeof OfferingRecord>;
