import { z } from 'zod';
import { IsoDate, Note, SourceRefs } from './common';
import { AllegationId, ModelId } from './aiModel';
import { PartyId } from './party';

export const AllegationKind = z.enum([
  'DISTILLATION',
  'UNAUTHORIZED_OUTPUT_USE',
  'TERMS_OF_SERVICE_VIOLATION',
  'EXPORT_CONTROL_EVASION',
  'OTHER',
]);
export const AllegationStatus = z.enum(['ALLEGED', 'DENIED', 'CONFIRMED', 'UNRESOLVED']);

/**
 * A public accusation, kept as its own record so a derivation can point to it: who accuses whom, about
 * which of the accused's models (`accusedModels`) and which of the accuser's (`sourceModels`), and what the
 * accused answered.
 */
export const AllegationRecord = z.strictObject({
  id: AllegationId,
  title: z.string().min(1),
  kind: AllegationKind,
  status: AllegationStatus,
  date: IsoDate,
  accusers: z.array(PartyId).min(1),
  accused: z.array(PartyId).min(1),
  accusedModels: z.array(ModelId).optional(),
  sourceModels: z.array(ModelId).optional(),
  summary: z.string().min(1),
  response: z.string().nullable().optional(),
  note: Note,
  sources: SourceRefs,
});
export type AllegationRecord = z.infer<typeof AllegationRecord>;
