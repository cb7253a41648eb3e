import path from 'node:path';
import { loadFolder } from '../src/seed/loadDataSet';
import { answer, firstError, useHarness } from './exposure.harness';
import { FIXTURES } from './support/database';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Issue 9, engine defects end to end through GraphQL: look-through above a cross-holding, where country
 * exposure stops, and screening that needs the distinctive part of a name, one bad entry not failing the
 * batch. Data: test/fixtures/issue9-cases on top of the exposure harness.
 */

const DAY = '2026-03-01';
const EXPOSURE = `query Exposure($entity: ID!, $stopAt: ExposureStop, $targetCountries: [String!], $basis: ExposureBasis) {
  exposure(entity: $entity, asOf: "${DAY}", stopAt: $stopAt, targetCountries: $targetCountries, basis: $basis) {
    ultimateOwners { party { id } share { lower upper } }
    countries { country { code } share { lower upper } }
    unknown { lower upper }
  }
}`;
const SCREEN = `query Screen($names: [String!]) {
  screen(customers: { names: $names }, policies: ["policy:anthropic-unsupported-regions-2025"], asOf: "${DAY}") {
    results { input status match { id } score matchedName scoreExplanation error verdicts { verdict } }
    summary { total matched notFound }
  }
}`;

const harness = useHarness();
beforeAll(async () => {
  await loadFolder(harness.current.db, path.join(FIXTURES, 'issue9-cases'));
});

const country = (data: any, code: string | null) =>
  data.exposure.countries.find((c: any) => (c.country?.code ?? null) === code)?.share;

describe('exposure: look-through above a cross-holding and where paths stop (issue 9)', () => {
  it('gives the owners above a cross-holding all of it: X 66.67%, Y 33.33%, unknown 0', async () => {
    const { data } = await answer(harness.current, EXPOSURE, { entity: 'org:exposure-i9-t' });
    const share = (id: string) => data.exposure.ultimateOwners.find((o: any) => o.party.id === id).share;
    expect(share('org:exposure-i9-x').lower).toBeCloseTo(66.67, 1);
    expect(share('org:exposure-i9-y').lower).toBeCloseTo(33.33, 1);
    expect(data.exposure.unknown).toEqual({ lower: 0, upper: 0 });
  });

  it('by default looks through the CN holding company to owners with no country: CN 0%', async () => {
    const { data } = await answer(harness.current, EXPOSURE, { entity: 'org:exposure-i9-jv' });
    expect(country(data, 'CN')).toBeUndefined();
    expect(country(data, null)).toEqual({ lower: 11.94, upper: 11.94 });
  });

  it('with stopAt KNOWN_COUNTRY stops at the CN holding company: CN 19.9%', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:exposure-i9-jv',
      stopAt: 'KNOWN_COUNTRY',
    });
    expect(country(data, 'CN')).toEqual({ lower: 19.9, upper: 19.9 });
    expect(country(data, 'US')).toEqual({ lower: 15, upper: 15 });
    expect(data.exposure.unknown).toEqual({ lower: 65.1, upper: 65.1 });
  });

  it('with stopAt TARGETED_COUNTRY needs the target countries, and names the argument when missing', async () => {
    const { data } = await answer(harness.current, EXPOSURE, {
      entity: 'org:exposure-i9-jv',
      stopAt: 'TARGETED_COUNTRY',
      targetCountries: ['CN'],
    });
    expect(country(data, 'CN')).toEqual({ lower: 19.9, upper: 19.9 });
    const error = await firstError(harness.current, EXPOSURE, {
      entity: 'org:exposure-i9-jv',
      stopAt: 'TARGETED_COUNTRY',
    });
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('targetCountries');
  });
});

describe('screen: generic words never match, and one bad entry does not fail the batch (issue 9)', () => {
  const long = 'Very Long Customer Name Holdings '.repeat(20);
  let report: any;
  beforeAll(async () => {
    report = (
      await answer(harness.current, SCREEN, {
        names: ['PDD Holdings', 'Holdings', '字节跳动', long, 'Tencent Holdings'],
      })
    ).data.screen;
  });
  const result = (input: string) => report.results.find((r: any) => r.input === input);

  it('does not match PDD Holdings or Holdings to Tencent Holdings', () => {
    expect(result('PDD Holdings')).toMatchObject({ status: 'NOT_FOUND', match: null, verdicts: [] });
    expect(result('Holdings')).toMatchObject({ status: 'NOT_FOUND', match: null, verdicts: [] });
  });

  it('resolves a name in another script through an alias, with a score in [0, 1] and its reason', () => {
    expect(result('字节跳动')).toMatchObject({
      status: 'MATCHED',
      match: { id: 'org:bytedance' },
      matchedName: '字节跳动有限公司',
      verdicts: [{ verdict: 'COVERED' }],
    });
    const tencent = result('Tencent Holdings');
    expect(tencent).toMatchObject({ status: 'MATCHED', match: { id: 'org:tencent' } });
    expect(tencent.score).toBeGreaterThan(0.85);
    expect(tencent.score).toBeLessThanOrEqual(1);
    expect(tencent.scoreExplanation).toContain('"tencent"');
  });

  it('gives an over-long entry an error of its own and screens the rest', () => {
    expect(result(long)).toMatchObject({ status: 'INVALID', match: null, verdicts: [] });
    expect(result(long).error).toContain('customers.names.3');
    expect(report.summary).toMatchObject({ total: 5, matched: 2, notFound: 2 });
  });
});
