/** A policy's status on a date, including the BIS affiliates rule's suspension and unconfirmed reimposition. */
import type { PolicyStatus } from '../policyStatus';
import { policyStatus } from '../policyStatus';
import { policyOf } from './fixtures';

const bis = policyOf({
  name: 'BIS Affiliates Rule',
  effectiveFrom: '2025-09-29',
  suspensions: [{ from: '2025-11-10', until: '2026-11-09' }],
  statusUncertainFrom: '2026-11-10',
  statusNote: 'Reimposition on 2026-11-10 is scheduled but not confirmed.',
});
const rescinded = policyOf({
  name: 'Old rule',
  effectiveFrom: '2020-01-01',
  effectiveUntil: '2030-01-01',
  rescindedOn: '2024-01-01',
});
const open = policyOf({
  name: 'Open rule',
  suspensions: [{ from: '2024-01-01', until: null, note: 'court order' }],
});

const cases: {
  name: string;
  policy: typeof bis;
  asOf: string;
  status: PolicyStatus;
  uncertain: boolean;
  note?: string;
}[] = [
  {
    name: 'is not yet in force the day before it takes effect',
    policy: bis,
    asOf: '2025-09-28',
    status: 'NOT_YET_IN_FORCE',
    uncertain: false,
  },
  {
    name: 'is in force on its first day',
    policy: bis,
    asOf: '2025-09-29',
    status: 'IN_FORCE',
    uncertain: false,
  },
  {
    name: 'is in force on 2025-10-15',
    policy: bis,
    asOf: '2025-10-15',
    status: 'IN_FORCE',
    uncertain: false,
  },
  {
    name: 'is suspended on the first day of the suspension',
    policy: bis,
    asOf: '2025-11-10',
    status: 'SUSPENDED',
    uncertain: false,
    note: 'from 2025-11-10 through 2026-11-09',
  },
  {
    name: 'is suspended on 2026-01-01',
    policy: bis,
    asOf: '2026-01-01',
    status: 'SUSPENDED',
    uncertain: false,
  },
  {
    name: 'is still suspended on the last day, 2026-11-09',
    policy: bis,
    asOf: '2026-11-09',
    status: 'SUSPENDED',
    uncertain: false,
  },
  {
    name: 'is in force again on 2026-11-24 but flagged uncertain',
    policy: bis,
    asOf: '2026-11-24',
    status: 'IN_FORCE',
    uncertain: true,
    note: 'scheduled but not confirmed',
  },
  {
    name: 'is rescinded from its rescission date, even inside its effective window',
    policy: rescinded,
    asOf: '2024-01-01',
    status: 'RESCINDED',
    uncertain: false,
  },
  {
    name: 'was in force the day before its rescission',
    policy: rescinded,
    asOf: '2023-12-31',
    status: 'IN_FORCE',
    uncertain: false,
  },
  {
    name: 'is suspended until further notice when a suspension has no end',
    policy: open,
    asOf: '2030-01-01',
    status: 'SUSPENDED',
    uncertain: false,
    note: 'until further notice (court order)',
  },
  {
    name: 'has expired after its last day',
    policy: policyOf({ effectiveUntil: '2024-07-02' }),
    asOf: '2024-07-03',
    status: 'EXPIRED',
    uncertain: false,
  },
];

describe('Policy status on a date', () => {
  it.each(cases)('$name', ({ policy, asOf, status, uncertain, note }) => {
    const result = policyStatus(policy, asOf);
    expect(result.status).toBe(status);
    expect(result.inForce).toBe(status === 'IN_FORCE');
    expect(result.uncertain).toBe(uncertain);
    if (note) expect(result.note).toContain(note);
  });
});
