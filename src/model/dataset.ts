import { z } from 'zod';
import { AllegationRecord } from './allegation';
import { DerivationRecord, ModelRecord } from './aiModel';
import { ChannelRecord, OfferingRecord } from './channel';
import { CountryRecord } from './country';
import { ControlRecord, OwnershipRecord } from './ownership';
import { OrganizationRecord, PersonRecord } from './party';
import { DesignationRecord, PolicyRecord } from './policy';
import { SourceRecord } from './source';

/**
 * One data-set file: any of these sections, each a list of records. The seed folder and users' own folders
 * use this format; the write path validates with the same schemas.
 */
export const DataSetFile = z.strictObject({
  $comment: z.string().optional(),
  sources: z.array(SourceRecord).optional(),
  countries: z.array(CountryRecord).optional(),
  organizations: z.array(OrganizationRecord).optional(),
  persons: z.array(PersonRecord).optional(),
  ownerships: z.array(OwnershipRecord).optional(),
  controls: z.array(ControlRecord).optional(),
  models: z.array(ModelRecord).optional(),
  derivations: z.array(DerivationRecord).optional(),
  allegations: z.array(AllegationRecord).optional(),
  channels: z.array(ChannelRecord).optional(),
  offerings: z.array(OfferingRecord).optional(),
  policies: z.array(PolicyRecord).optional(),
  designations: z.array(DesignationRecord).optional(),
});
export type DataSetFile = z.infer<typeof DataSetFile>;
export type Section = Exclude<keyof DataSetFile, '$comment'>;

/** Sections in the order they are written: nodes before the relationships that point at them. */
export const SECTIONS: readonly Section[] = [
  'sources',
  'countries',
  'organizations',
  'persons',
  'models',
  'channels',
  'policies',
  'allegations',
  'ownerships',
  'controls',
  'derivations',
  'offerings',
  'designations',
];
