import { toProps } from '../storage';

describe('toProps: flattening a record to what Neo4j stores', () => {
  it('renames sources to sourceIds and keeps primitives as they are', () => {
    expect(
      toProps({ id: 'org:a', name: 'A', openWeights: false, totalParametersB: 70, sources: ['src:s'] }),
    ).toEqual({
      id: 'org:a',
      name: 'A',
      openWeights: false,
      totalParametersB: 70,
      sourceIds: ['src:s'],
    });
  });

  it('keeps aliases as a list and joins them into aliasText for the full-text index', () => {
    expect(toProps({ id: 'org:a', aliases: ['Alpha', 'α'] })).toEqual({
      id: 'org:a',
      aliases: ['Alpha', 'α'],
      aliasText: 'Alpha\nα',
    });
  });

  it("spreads each share into one property per given end, prefixed by the share's name", () => {
    expect(
      toProps({
        id: 'own:a',
        share: { exact: 30 },
        votingShare: { exclusiveMinimum: 25, maximum: 50 },
        economicShare: { minimum: 10, exclusiveMaximum: 20 },
      }),
    ).toEqual({
      id: 'own:a',
      shareExact: 30,
      votingShareExclusiveMinimum: 25,
      votingShareMaximum: 50,
      economicShareMinimum: 10,
      economicShareExclusiveMaximum: 20,
    });
  });

  it('marks a null share as a known stake of unknown size', () => {
    expect(toProps({ id: 'own:a', share: null })).toEqual({ id: 'own:a', shareUnknown: true });
  });

  it('leaves out null and absent values rather than storing nulls', () => {
    expect(toProps({ id: 'org:a', headquarters: null, founded: undefined })).toEqual({ id: 'org:a' });
  });

  it('prefixes each ownership-rule field with "rule"', () => {
    expect(
      toProps({
        id: 'policy:p',
        ownershipRule: {
          threshold: 50,
          thresholdInclusive: true,
          countryBasis: 'EITHER',
          includesIndirect: true,
          aggregation: 'AGGREGATE',
          controlCounts: false,
          controlBases: ['VIE_CONTRACT'],
        },
      }),
    ).toEqual({
      id: 'policy:p',
      ruleThreshold: 50,
      ruleThresholdInclusive: true,
      ruleCountryBasis: 'EITHER',
      ruleIncludesIndirect: true,
      ruleAggregation: 'AGGREGATE',
      ruleControlCounts: false,
      ruleControlBases: ['VIE_CONTRACT'],
    });
  });

  it('stores a null ownership rule as no rule properties at all', () => {
    expect(toProps({ id: 'policy:p', ownershipRule: null })).toEqual({ id: 'policy:p' });
  });

  it('prefixes coverage lists with "covers"', () => {
    expect(
      toProps({ id: 'policy:p', covers: { developers: ['org:a'], channelKinds: ['CONSUMER_APP'] } }),
    ).toEqual({
      id: 'policy:p',
      coversDevelopers: ['org:a'],
      coversChannelKinds: ['CONSUMER_APP'],
    });
  });

  it('stores suspensions, a list of objects, as JSON text that parses back to the same list', () => {
    const suspensions = [{ from: '2025-11-10', until: '2026-11-09', sources: ['src:s'] }];
    const props = toProps({ id: 'policy:p', suspensions });
    expect(Object.keys(props)).toEqual(['id', 'suspensionsJson']);
    expect(JSON.parse(props.suspensionsJson as string)).toEqual(suspensions);
  });

  it('produces only values Neo4j can store: primitives and lists of primitives', () => {
    const props = toProps({
      id: 'policy:p',
      targets: ['CN'],
      covers: { models: ['model:m'] },
      suspensions: [{ from: '2025-01-01', sources: ['src:s'] }],
      ownershipRule: {
        threshold: 50,
        thresholdInclusive: false,
        countryBasis: 'HEADQUARTERS',
        includesIndirect: true,
      },
      sources: ['src:s'],
    });
    for (const value of Object.values(props)) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) expect(['string', 'number', 'boolean']).toContain(typeof item);
    }
  });
});
