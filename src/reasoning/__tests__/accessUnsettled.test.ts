/**
 * Access when the sources leave something open (issue 9): a policy whose reach of a channel is not settled,
 * and a channel whose start is only a lower bound (the model's release date). Neither gives a firm ALLOWED.
 */
import type { PolicyStatusResult } from '../policyStatus';
import {
  accessByChannel,
  offerStatus,
  overallAccess,
  type ChannelOffer,
  type CustomerVerdict,
  type PolicyReach,
} from '../access';

const inForce: PolicyStatusResult = {
  status: 'IN_FORCE',
  asOf: '2026-03-01',
  inForce: true,
  uncertain: false,
  note: '',
};
const offer = (channelId: string, offered: ChannelOffer['offered'] = 'OFFERED'): ChannelOffer => ({
  offeringId: `offer:${channelId}`,
  channelId,
  channelName: channelId,
  kind: 'CLOUD_MARKETPLACE',
  offered,
});
const restriction: PolicyReach = {
  policyId: 'policy:a',
  policyName: 'Restriction',
  coversModels: [],
  coversDevelopers: ['org:lab'],
  reachesChannels: ['channel:api'],
  reachesChannelKinds: [],
  unsettledChannels: [
    { channelId: 'channel:suite', note: "The suite's terms do not mention the restriction." },
  ],
};
const verdicts = (verdict: CustomerVerdict['verdict']) =>
  new Map<string, CustomerVerdict>([['policy:a', { verdict, policyStatus: inForce }]]);

describe('accessByChannel: a channel the policy may or may not reach', () => {
  it.each([
    [
      'COVERED',
      'UNCERTAIN',
      /is covered by Restriction, and its sources do not settle whether it reaches channel:suite/,
    ],
    ['POSSIBLY_COVERED', 'UNCERTAIN', /may be covered by Restriction, and its sources do not settle/],
    ['NOT_COVERED', 'ALLOWED', /is not covered by Restriction/],
  ] as const)('a %s customer is %s there', (verdict, decision, reason) => {
    const [suite] = accessByChannel([offer('channel:suite')], [restriction], verdicts(verdict));
    expect(suite).toMatchObject({ decision, policies: [{ reach: 'UNSETTLED', reaches: false, decision }] });
    expect(suite!.policies[0]!.reason).toMatch(reason);
  });

  it('quotes the note on what the sources leave open', () => {
    const [suite] = accessByChannel([offer('channel:suite')], [restriction], verdicts('COVERED'));
    expect(suite!.note).toMatch(/: The suite's terms do not mention the restriction\.$/);
  });

  it('keeps STATED and NOT_STATED channels as they were', () => {
    const result = accessByChannel(
      [offer('channel:api'), offer('channel:other')],
      [restriction],
      verdicts('COVERED'),
    );
    expect(result.map((c) => [c.offer.channelId, c.policies[0]!.reach, c.decision])).toEqual([
      ['channel:api', 'STATED', 'BLOCKED'],
      ['channel:other', 'NOT_STATED', 'ALLOWED'],
    ]);
  });

  it('makes the overall answer UNCERTAIN when the only other channel blocks', () => {
    const result = accessByChannel(
      [offer('channel:api'), offer('channel:suite')],
      [restriction],
      verdicts('COVERED'),
    );
    expect(overallAccess(result.map((c) => c.decision))).toBe('UNCERTAIN');
  });
});

describe('accessByChannel: a channel that may not offer the model yet', () => {
  it('turns an ALLOWED into UNCERTAIN and says why', () => {
    const [cloud] = accessByChannel(
      [offer('channel:cloud', 'POSSIBLY_OFFERED')],
      [restriction],
      verdicts('NOT_COVERED'),
    );
    expect(cloud!.decision).toBe('UNCERTAIN');
    expect(cloud!.note).toMatch(/may not offer the model on this day/);
  });

  it('keeps a BLOCKED: offered or not, the customer cannot use the model there', () => {
    const [api] = accessByChannel(
      [offer('channel:api', 'POSSIBLY_OFFERED')],
      [restriction],
      verdicts('COVERED'),
    );
    expect(api!.decision).toBe('BLOCKED');
  });

  it('leaves the overall answer ALLOWED when another channel surely offers and allows it', () => {
    const result = accessByChannel(
      [offer('channel:cloud', 'POSSIBLY_OFFERED'), offer('channel:other')],
      [restriction],
      verdicts('COVERED'),
    );
    expect(overallAccess(result.map((c) => c.decision))).toBe('ALLOWED');
  });
});

describe('offerStatus: whether a channel offers a model on a day', () => {
  const lowerBound = {
    startDate: '2025-01-01',
    endDate: null,
    startIsLowerBound: true,
    confirmedOn: '2025-06-01',
  };
  const unconfirmed = { startDate: '2025-01-01', endDate: null, startIsLowerBound: true };
  const sourced = { startDate: '2025-01-01', endDate: null };
  const monthOnly = { startDate: '2025-01-01', startDatePrecision: 'MONTH' as const, endDate: null };
  it.each([
    ['before a lower-bound start', lowerBound, '2024-12-31', null],
    ['on a lower-bound start', lowerBound, '2025-01-01', 'POSSIBLY_OFFERED'],
    ['the day before a source confirms it', lowerBound, '2025-05-31', 'POSSIBLY_OFFERED'],
    ['the day a source confirms it', lowerBound, '2025-06-01', 'OFFERED'],
    ['long after a lower-bound start no source confirms', unconfirmed, '2026-11-30', 'POSSIBLY_OFFERED'],
    ['on a sourced start', sourced, '2025-01-01', 'OFFERED'],
    ['within a month-only start', monthOnly, '2025-01-15', 'POSSIBLY_OFFERED'],
    ['on the last day of a month-only start', monthOnly, '2025-01-31', 'OFFERED'],
  ])('%s (%s, %s): %s', (_name, offering, asOf, expected) => {
    expect(offerStatus(offering, asOf)).toBe(expected);
  });
});
