import type { PolicyDates } from '../policyInForce';

/** Policies with each kind of date, and days on either side of each boundary. */
export const POLICY_DATE_CASES: Array<{ name: string; policy: PolicyDates; day: string; inForce: boolean }> =
  [
    { name: 'no dates at all', policy: {}, day: '2026-01-01', inForce: true },
    {
      name: 'the day it takes effect',
      policy: { effectiveFrom: '2026-01-01' },
      day: '2026-01-01',
      inForce: true,
    },
    {
      name: 'the day before it takes effect',
      policy: { effectiveFrom: '2026-01-01' },
      day: '2025-12-31',
      inForce: false,
    },
    { name: 'its last day', policy: { effectiveUntil: '2026-06-30' }, day: '2026-06-30', inForce: true },
    {
      name: 'the day after its last day',
      policy: { effectiveUntil: '2026-06-30' },
      day: '2026-07-01',
      inForce: false,
    },
    {
      name: 'the day before rescission',
      policy: { rescindedOn: '2026-03-01' },
      day: '2026-02-28',
      inForce: true,
    },
    {
      name: 'the day it is rescinded',
      policy: { rescindedOn: '2026-03-01' },
      day: '2026-03-01',
      inForce: false,
    },
    {
      name: 'within all three dates',
      policy: { effectiveFrom: '2025-01-01', effectiveUntil: '2027-01-01', rescindedOn: '2026-06-01' },
      day: '2026-05-31',
      inForce: true,
    },
  ];
