import { Share } from '../../model/common';
import { OwnershipRecord } from '../../model/ownership';

/** Messages zod reports for a share, or [] when it is valid. */
function problems(share: unknown): string[] {
  const result = Share.safeParse(share);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('Share: exact or a range, in BODS style', () => {
  it.each([
    { name: 'an exact share', share: { exact: 100 } },
    { name: 'a closed range', share: { minimum: 20, maximum: 25 } },
    { name: 'a UK PSC band, exclusive at the bottom', share: { exclusiveMinimum: 25, maximum: 50 } },
    { name: 'a majority with no upper end', share: { exclusiveMinimum: 50 } },
    { name: 'a small stake with only an exclusive upper end', share: { exclusiveMaximum: 0.5 } },
    { name: 'a range whose ends meet', share: { minimum: 30, maximum: 30 } },
  ])('accepts $name', ({ share }) => {
    expect(problems(share)).toEqual([]);
  });

  it.each([
    {
      name: 'exact together with a range',
      share: { exact: 30, minimum: 20 },
      message: 'gives either "exact" or a range, not both',
    },
    {
      name: 'an empty object',
      share: {},
      message: 'gives "exact" or at least one end of a range (use null for unknown)',
    },
    {
      name: 'minimum together with exclusiveMinimum',
      share: { minimum: 20, exclusiveMinimum: 20 },
      message: 'gives "minimum" or "exclusiveMinimum", not both',
    },
    {
      name: 'maximum together with exclusiveMaximum',
      share: { maximum: 50, exclusiveMaximum: 50 },
      message: 'gives "maximum" or "exclusiveMaximum", not both',
    },
    {
      name: 'a minimum above the maximum',
      share: { minimum: 60, maximum: 40 },
      message: 'has a lower end (60) above its upper end (40)',
    },
    {
      name: 'an exclusive minimum above an exclusive maximum',
      share: { exclusiveMinimum: 60, exclusiveMaximum: 40 },
      message: 'has a lower end (60) above its upper end (40)',
    },
    { name: 'a percentage above 100', share: { exact: 150 }, message: 'must be between 0 and 100' },
    { name: 'a negative percentage', share: { maximum: -1 }, message: 'must be between 0 and 100' },
    {
      name: 'a fraction written as a string',
      share: { exact: '0.3' },
      message: expect.stringContaining('expected number'),
    },
  ])('rejects $name', ({ share, message }) => {
    expect(problems(share)).toContainEqual(message);
  });

  it('compares a lone lower end with 100 and a lone upper end with 0', () => {
    expect(problems({ minimum: 100 })).toEqual([]);
    expect(problems({ maximum: 0 })).toEqual([]);
    expect(problems({ exclusiveMaximum: 0.5 })).toEqual([]);
  });

  it.each([
    {
      name: 'ends that meet when one is exclusive',
      share: { exclusiveMinimum: 50, exclusiveMaximum: 50 },
      message: 'is an empty range: no share lies above 50 and below 50',
    },
    {
      name: 'an inclusive lower end meeting an exclusive upper end',
      share: { minimum: 25, exclusiveMaximum: 25 },
      message: 'is an empty range: no share lies at or above 25 and below 25',
    },
    {
      name: 'nothing below 0',
      share: { exclusiveMaximum: 0 },
      message: 'is an empty range: no share lies at or above 0 and below 0',
    },
    {
      name: 'nothing above 100',
      share: { exclusiveMinimum: 100 },
      message: 'is an empty range: no share lies above 100 and at or below 100',
    },
  ])('rejects a range no share lies in: $name', ({ share, message }) => {
    expect(problems(share)).toEqual([message]);
  });

  it('lets an ownership give null for a stake of unknown size, but not leave share out', () => {
    const ownership = { id: 'own:a-b', owner: 'org:a', owned: 'org:b', sources: ['src:s'] };
    expect(OwnershipRecord.safeParse({ ...ownership, share: null }).success).toBe(true);
    expect(OwnershipRecord.safeParse(ownership).success).toBe(false);
  });
});
