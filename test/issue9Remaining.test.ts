import path from 'node:path';
import { loadFolder } from '../src/seed/loadDataSet';
import { answer, useHarness } from './exposure.harness';
import { FIXTURES } from './support/database';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Issue 9, what was left, end to end through GraphQL on data this file loads (test/fixtures/a9-cases, every
 * id containing `exposure-a9-`) and deletes afterwards:
 * - persons count for their country in `exposure.countries` (a CN national of unknown residence is CN);
 * - a stake "since March 2024" makes a verdict POSSIBLY_COVERED during March, COVERED after, and says MONTH;
 * - a channel whose start is only the model's release date is UNCERTAIN until a source confirms it;
 * - a channel whose reach the policy's sources leave open is UNCERTAIN for a covered customer, not ALLOWED;
 * - modelExposure says NOT_OFFERED for a policy none of whose models is offered on the day.
 */

const POLICY = 'policy:exposure-a9-restriction';
const harness = useHarness();

describe('issue 9: persons’ countries, partial dates, unsettled channels, NOT_OFFERED in modelExposure', () => {
  beforeAll(async () => {
    await loadFolder(harness.current.db, path.join(FIXTURES, 'a9-cases'));
  });
  afterAll(async () => {
    await harness.current.db.write((query) =>
      query("MATCH (n:Record) WHERE n.id CONTAINS ':exposure-a9-' DETACH DELETE n"),
    );
  });

  describe('exposure: persons’ countries', () => {
    const EXPOSURE = `query Exposure($personCountry: PersonCountry, $basis: ExposureBasis) {
      exposure(entity: "org:exposure-a9-held", asOf: "2026-03-01", personCountry: $personCountry, basis: $basis) {
        personCountry
        countries { country { code } share { lower upper } }
        ultimateOwners { party { id } country { code } countryFrom }
        unknown { lower upper }
      }
    }`;
    const countries = (data: any) =>
      Object.fromEntries(data.exposure.countries.map((c: any) => [c.country?.code ?? 'null', c.share.lower]));

    it('counts a CN national of unknown residence as CN and a resident of the US as US, by default', async () => {
      const { data } = await answer(harness.current, EXPOSURE);
      expect(data.exposure.personCountry).toBe('MATCH_BASIS');
      expect(countries(data)).toEqual({ CN: 50, US: 30 });
      expect(data.exposure.unknown).toEqual({ lower: 20, upper: 20 });
      expect(data.exposure.ultimateOwners).toEqual([
        { party: { id: 'person:exposure-a9-founder' }, country: { code: 'CN' }, countryFrom: 'NATIONALITY' },
        { party: { id: 'person:exposure-a9-expat' }, country: { code: 'US' }, countryFrom: 'RESIDENCE' },
      ]);
    });

    it.each([
      ['RESIDENCE', 'HEADQUARTERS', { null: 50, US: 30 }],
      ['NATIONALITY', 'HEADQUARTERS', { CN: 80 }],
      ['MATCH_BASIS', 'INCORPORATION', { CN: 80 }],
    ])('with personCountry %s on the %s basis answers %j', async (personCountry, basis, expected) => {
      const { data } = await answer(harness.current, EXPOSURE, { personCountry, basis });
      expect(countries(data)).toEqual(expected);
    });
  });

  describe('a stake known only to the month', () => {
    const VERDICT = `query Verdict($asOf: Date) {
      policyVerdict(entity: "org:exposure-a9-month-sub", policy: "${POLICY}", asOf: $asOf) {
        verdict lookThrough { lower upper }
      }
      organization(id: "org:exposure-a9-month-sub") {
        owners { id startDate startDatePrecision endDate endDatePrecision }
      }
    }`;

    it('shows the month as its first day with MONTH beside it', async () => {
      const { data } = await answer(harness.current, VERDICT, { asOf: '2024-03-15' });
      expect(data.organization.owners).toEqual([
        {
          id: 'own:exposure-a9-cn-parent-month-sub',
          startDate: '2024-03-01',
          startDatePrecision: 'MONTH',
          endDate: null,
          endDatePrecision: null,
        },
      ]);
    });

    it.each([
      ['2024-02-29', 'NOT_COVERED', { lower: 0, upper: 0 }],
      ['2024-03-15', 'POSSIBLY_COVERED', { lower: 0, upper: 60 }],
      ['2024-03-31', 'COVERED', { lower: 60, upper: 60 }],
    ])('on %s the subsidiary is %s', async (asOf, verdict, lookThrough) => {
      const { data } = await answer(harness.current, VERDICT, { asOf });
      expect(data.policyVerdict).toEqual({ verdict, lookThrough });
    });
  });

  describe('accessCheck where the sources leave something open', () => {
    const ACCESS = `query Access($customer: ID!, $asOf: Date) {
      accessCheck(customer: $customer, model: "model:exposure-a9-current", asOf: $asOf) {
        decision
        channels {
          channel { id } offered decision
          offering { startDate startIsLowerBound confirmedOn }
          policies { policy { id } reach reaches decision }
        }
      }
    }`;
    const byChannel = (data: any) =>
      Object.fromEntries(data.accessCheck.channels.map((c: any) => [c.channel.id, [c.offered, c.decision]]));

    it('is UNCERTAIN for a covered customer on the channel whose reach is unsettled, not ALLOWED', async () => {
      const { data } = await answer(harness.current, ACCESS, {
        customer: 'org:exposure-a9-month-sub',
        asOf: '2025-07-01',
      });
      expect(byChannel(data)).toEqual({
        'channel:exposure-a9-api': ['OFFERED', 'BLOCKED'],
        'channel:exposure-a9-suite': ['OFFERED', 'UNCERTAIN'],
        'channel:exposure-a9-cloud': ['OFFERED', 'ALLOWED'],
      });
      expect(data.accessCheck.decision).toBe('ALLOWED'); // through the cloud, which the policy does not reach
      const suite = data.accessCheck.channels.find((c: any) => c.channel.id === 'channel:exposure-a9-suite');
      expect(suite.policies).toEqual([
        { policy: { id: POLICY }, reach: 'UNSETTLED', reaches: false, decision: 'UNCERTAIN' },
      ]);
    });

    it('is UNCERTAIN on a channel whose start is a lower bound until a source confirms it', async () => {
      const { data } = await answer(harness.current, ACCESS, {
        customer: 'org:exposure-a9-month-sub',
        asOf: '2025-03-01',
      });
      expect(byChannel(data)).toEqual({
        'channel:exposure-a9-api': ['OFFERED', 'BLOCKED'],
        'channel:exposure-a9-suite': ['OFFERED', 'UNCERTAIN'],
        'channel:exposure-a9-cloud': ['POSSIBLY_OFFERED', 'UNCERTAIN'],
      });
      expect(data.accessCheck.decision).toBe('UNCERTAIN');
      const cloud = data.accessCheck.channels.find((c: any) => c.channel.id === 'channel:exposure-a9-cloud');
      expect(cloud.offering).toEqual({
        startDate: '2025-01-01',
        startIsLowerBound: true,
        confirmedOn: '2025-06-01',
      });
    });

    it('stays ALLOWED for a customer the policy does not cover, through the channels surely offering it', async () => {
      const { data } = await answer(harness.current, ACCESS, {
        customer: 'org:exposure-a9-us-customer',
        asOf: '2025-03-01',
      });
      expect(data.accessCheck.decision).toBe('ALLOWED');
      expect(byChannel(data)['channel:exposure-a9-suite']).toEqual(['OFFERED', 'ALLOWED']);
    });

    it('lists the unsettled channel on the policy with its note and sources', async () => {
      const { data } = await answer(
        harness.current,
        `{ policy(id: "${POLICY}") { channelsUnsettled { channel { id } note sources { id } } } }`,
      );
      expect(data.policy.channelsUnsettled).toEqual([
        {
          channel: { id: 'channel:exposure-a9-suite' },
          note: "The suite's terms neither apply nor exclude the restriction.",
          sources: [{ id: 'src:exposure-a9-registry' }],
        },
      ]);
    });
  });

  describe('modelExposure when a policy’s models are offered nowhere', () => {
    const MODEL_EXPOSURE = `query ModelExposure($asOf: Date) {
      modelExposure(entity: "org:exposure-a9-month-sub", asOf: $asOf) {
        byPolicy { policy { id } decision models { id } offeredModels { id } }
      }
    }`;
    const mine = (data: any) =>
      data.modelExposure.byPolicy.filter((p: any) => p.policy.id.includes(':exposure-a9-'));

    it('is NOT_OFFERED for the policy covering only a retired model, BLOCKED for the other', async () => {
      const { data } = await answer(harness.current, MODEL_EXPOSURE, { asOf: '2026-03-01' });
      expect(mine(data)).toEqual([
        {
          policy: { id: POLICY },
          decision: 'BLOCKED',
          models: [{ id: 'model:exposure-a9-current' }],
          offeredModels: [{ id: 'model:exposure-a9-current' }],
        },
        {
          policy: { id: 'policy:exposure-a9-retired-only' },
          decision: 'NOT_OFFERED',
          models: [{ id: 'model:exposure-a9-retired' }],
          offeredModels: [],
        },
      ]);
    });

    it('counts the retired model as offered through the last day of its month-only end', async () => {
      const { data } = await answer(harness.current, MODEL_EXPOSURE, { asOf: '2024-12-31' });
      const retired = mine(data).find((p: any) => p.policy.id === 'policy:exposure-a9-retired-only');
      expect(retired).toMatchObject({
        decision: 'BLOCKED',
        offeredModels: [{ id: 'model:exposure-a9-retired' }],
      });
    });
  });
});
