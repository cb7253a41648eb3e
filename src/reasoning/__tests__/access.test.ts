import type { PolicyStatusResult } from '../policyStatus';
import {
  accessByChannel,
  overallAccess,
  overallNote,
  worst,
  worstFirst,
  type AccessDecision,
  type ChannelOffer,
  type CustomerVerdict,
  type PolicyReach,
} from '../access';

const offer = (channelId: string, kind: ChannelOffer['kind']): ChannelOffer => ({
  offeringId: `offer:${channelId}`,
  channelId,
  channelName: channelId,
  kind,
});
const inForce: PolicyStatusResult = {
  status: 'IN_FORCE',
  asOf: '2025-10-01',
  inForce: true,
  uncertain: false,
  note: '',
};
const anthropic: PolicyReach = {
  policyId: 'policy:a',
  policyName: 'Anthropic restriction',
  coversModels: [],
  coversDevelopers: ['org:anthropic'],
  reachesChannels: ['channel:api', 'channel:bedrock'],
  reachesChannelKinds: [],
};
const verdicts = (verdict: CustomerVerdict['verdict'], status = inForce): Map<string, CustomerVerdict> =>
  new Map([['policy:a', { verdict, policyStatus: status }]]);

describe('accessByChannel: a customer, a model, every channel that offers it', () => {
  const offers = [
    offer('channel:api', 'FIRST_PARTY_API'),
    offer('channel:bedrock', 'CLOUD_MARKETPLACE'),
    offer('channel:other-cloud', 'CLOUD_MARKETPLACE'),
  ];

  it('blocks a covered customer on every channel the policy reaches, and only there', () => {
    const result = accessByChannel(offers, [anthropic], verdicts('COVERED'));
    expect(result.map((c) => [c.offer.channelId, c.decision])).toEqual([
      ['channel:api', 'BLOCKED'],
      ['channel:bedrock', 'BLOCKED'],
      ['channel:other-cloud', 'ALLOWED'],
    ]);
    expect(result[0]?.note).toMatch(/covered by Anthropic restriction/);
  });

  it('allows a customer the policy does not cover', () => {
    expect(
      accessByChannel(offers, [anthropic], verdicts('NOT_COVERED')).every((c) => c.decision === 'ALLOWED'),
    ).toBe(true);
  });

  it('says UNCERTAIN when the bounds straddle the threshold', () => {
    expect(accessByChannel(offers.slice(0, 1), [anthropic], verdicts('POSSIBLY_COVERED'))[0]?.decision).toBe(
      'UNCERTAIN',
    );
  });

  it('never claims to block an open-weights download, and says why', () => {
    const policy = { ...anthropic, reachesChannelKinds: ['OPEN_WEIGHTS_DOWNLOAD' as const] };
    const [download] = accessByChannel(
      [offer('channel:hf', 'OPEN_WEIGHTS_DOWNLOAD')],
      [policy],
      verdicts('COVERED'),
    );
    expect(download).toMatchObject({ decision: 'ALLOWED', enforceable: false });
    expect(download?.note).toMatch(/nobody can stop a download/);
    expect(download?.policies[0]?.reason).toMatch(/cannot stop it/);
  });

  it('ignores a policy that is not in force on the day', () => {
    const suspended: PolicyStatusResult = { ...inForce, status: 'SUSPENDED', inForce: false };
    const [api] = accessByChannel(offers.slice(0, 1), [anthropic], verdicts('COVERED', suspended));
    expect(api?.decision).toBe('ALLOWED');
    expect(api?.policies[0]?.reason).toMatch(/not in force \(SUSPENDED\)/);
  });

  it('ranks BLOCKED over UNCERTAIN over ALLOWED', () => {
    expect(worst(['ALLOWED', 'UNCERTAIN'])).toBe('UNCERTAIN');
    expect(worst(['UNCERTAIN', 'BLOCKED', 'ALLOWED'])).toBe('BLOCKED');
    expect(worst([])).toBe('ALLOWED');
  });
});

describe('overallAccess and overallNote: the decision over every channel on the day', () => {
  it.each<[string, AccessDecision[], AccessDecision]>([
    ['no channel offers the model', [], 'NOT_OFFERED'],
    ['one channel allows', ['BLOCKED', 'ALLOWED'], 'ALLOWED'],
    ['none allows, one is uncertain', ['BLOCKED', 'UNCERTAIN'], 'UNCERTAIN'],
    ['every channel blocks', ['BLOCKED', 'BLOCKED'], 'BLOCKED'],
  ])('%s -> %s', (_, decisions, expected) => {
    expect(overallAccess(decisions)).toBe(expected);
  });

  it('says that nothing offers the model, not that it is allowed', () => {
    const note = overallNote('NOT_OFFERED', [], '2026-03-01');
    expect(note).toBe(
      'No channel in the data set offers this model on 2026-03-01; nothing is allowed or blocked.',
    );
  });

  it('names the channels that allow, or that are uncertain', () => {
    const channels = [
      { decision: 'BLOCKED' as const, channelName: 'Anthropic API' },
      { decision: 'ALLOWED' as const, channelName: 'Other Cloud' },
      { decision: 'UNCERTAIN' as const, channelName: 'Bedrock' },
    ];
    expect(overallNote('ALLOWED', channels, '2026-03-01')).toBe('Allowed through Other Cloud on 2026-03-01.');
    expect(overallNote('UNCERTAIN', channels.slice(0, 1).concat(channels[2]!), '2026-03-01')).toBe(
      'Not clearly allowed anywhere on 2026-03-01; uncertain through Bedrock.',
    );
    expect(overallNote('BLOCKED', channels.slice(0, 1), '2026-03-01')).toBe(
      'Blocked on every channel that offers this model on 2026-03-01.',
    );
  });

  it('ranks NOT_OFFERED after every decision about a channel', () => {
    expect(
      ['NOT_OFFERED', 'ALLOWED', 'BLOCKED', 'UNCERTAIN'].sort((a, b) => worstFirst(a as never, b as never)),
    ).toEqual(['BLOCKED', 'UNCERTAIN', 'ALLOWED', 'NOT_OFFERED']);
  });
});
