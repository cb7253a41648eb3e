import { z } from 'zod';
import { Note, PartialDate, Period, SourceRefs, checkPeriod, idOf } from './common';
import { OrganizationId } from './party';

export const ModelId = idOf('model');
export const AllegationId = idOf('alleg');

export const Architecture = z.enum(['DENSE', 'MIXTURE_OF_EXPERTS', 'UNKNOWN']);
export const Modality = z.enum(['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'CODE']);

/** Parameter counts are in billions, as model cards give them (235 for Qwen3-235B-A22B). */
const Billions = z.number().positive('must be a positive number of billions');

/** An AI model (or a family member); closed models leave parameters out rather than guess them. */
export const ModelRecord = z
  .strictObject({
    id: ModelId,
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    family: z.string().min(1),
    developer: OrganizationId,
    /** Partial dates allowed ("2024-05": released in May 2024), as for periods (common.ts). */
    releaseDate: PartialDate.nullable().optional(),
    openWeights: z.boolean(),
    licence: z.string().min(1).nullable().optional(),
    totalParametersB: Billions.nullable().optional(),
    activeParametersB: Billions.nullable().optional(),
    architecture: Architecture.default('UNKNOWN'),
    modalities: z.array(Modality).min(1),
    description: Note,
    sources: SourceRefs,
  })
  .refine(
    (m) =>
      m.totalParametersB == null || m.activeParametersB == null || m.activeParametersB <= m.totalParametersB,
    { path: ['activeParametersB'], message: 'must not exceed totalParametersB' },
  );
export type ModelRecord = z.infer<typeof ModelRecord>;

export const DerivationMethod = z.enum([
  'FINE_TUNE',
  'DISTILLATION',
  'QUANTIZATION',
  'MERGE',
  'CONTINUED_PRETRAINING',
  'OTHER',
]);
export const DerivationBasis = z.enum(['DECLARED', 'ALLEGED']);

/**
 * `child` was made from `parent`. DECLARED: the developer says so (model card, paper). ALLEGED: someone else
 * says so, and `allegation` names the Allegation record that carries who, when, status and response.
 */
export const DerivationRecord = z
  .strictObject({
    id: idOf('deriv'),
    child: ModelId,
    parent: ModelId,
    method: DerivationMethod,
    basis: DerivationBasis,
    allegation: AllegationId.nullable().optional(),
    ...Period,
    note: Note,
    sources: SourceRefs,
  })
  .superRefine(checkPeriod)
  .refine((d) => d.child !== d.parent, { path: ['parent'], message: 'must differ from child' })
  .refine((d) => d.basis !== 'ALLEGED' || !!d.allegation, {
    path: ['allegation'],
    message: 'is required when basis is ALLEGED',
  });
export type DerivationRecord = z.infer<typeof DerivationRecord>;
