import path from 'node:path';
import { loadFolder } from '../src/seed/loadDataSet';
import { answer, firstError, useHarness } from './exposure.harness';
import { FIXTURES } from './support/database';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are walked as plain JSON here */

/**
 * Issue 9, defects 3 and 6 and the `connections` wording, end to end through GraphQL on data this file
 * loads (test/fixtures/d9-cases, every id containing `exposure-d9-`) and deletes afterwards:
 * - a model offered nowhere on the day is NOT_OFFERED, not ALLOWED;
 * - what-if country basis and target countries answer "CN only" and "CN and HK" in one query, and say so;
 * - an alleged derivation is worded as an allegation, with its accuser.
 */

const DAY = '2026-03-01';
const POLICY = 'policy:exposure-d9-restriction';
const harness = useHarness();

describe('issue 9: access when nothing offers the model, what-if countries, alleged derivations in words', () => {
  beforeAll(async () => {
    await loadFolder(harness.current.db, path.join(FIXTURES, 'd9-cases'));
  });
  afterAll(async () => {
    await harness.current.db.write((query) =>
      query("MATCH (n:Record) WHERE n.id CONTAINS ':exposure-d9-' DETACH DELETE n"),
    );
  });

  describe('accessCheck on a model withdrawn from its only channel', () => {
    const ACCESS = `query Access($asOf: Date) {
      accessCheck(customer: "org:exposure-d9-customer", model: "model:exposure-d9-withdrawn", asOf: $asOf) {
        decision note channels { channel { id } decision }
      }
    }`;

    it('is NOT_OFFERED after the withdrawal, and says that nothing offers it', async () => {
      const { data } = await answer(harness.current, ACCESS, { asOf: DAY });
      expect(data.accessCheck).toEqual({
        decision: 'NOT_OFFERED',
        note: `No channel in the data set offers this model on ${DAY}; nothing is allowed or blocked.`,
        channels: [],
      });
    });

    it('is ALLOWED for a customer the policy does not cover while the channel still offered it', async () => {
      const { data } = await answer(harness.current, ACCESS, { asOf: '2025-06-01' });
      expect(data.accessCheck).toEqual({
        decision: 'ALLOWED',
        note: 'Allowed through Exposure D9 API on 2025-06-01.',
        channels: [{ channel: { id: 'channel:exposure-d9-api' }, decision: 'ALLOWED' }],
      });
    });
  });

  describe('policyVerdict and coveredEntities with what-if countries', () => {
    const COMPARE = `query Compare {
      cnOnly: policyVerdict(entity: "org:exposure-d9-hk-sub", policy: "${POLICY}", asOf: "${DAY}") {
        verdict whatIf { targetCountries }
      }
      cnAndHk: policyVerdict(entity: "org:exposure-d9-hk-sub", policy: "${POLICY}", asOf: "${DAY}",
        targetCountries: ["CN", "HK"]) {
        verdict whatIf { threshold thresholdInclusive countryBasis targetCountries changed }
      }
      byHeadquarters: policyVerdict(entity: "org:exposure-d9-cn-sub", policy: "${POLICY}", asOf: "${DAY}") {
        verdict
      }
      byIncorporation: policyVerdict(entity: "org:exposure-d9-cn-sub", policy: "${POLICY}", asOf: "${DAY}",
        countryBasis: INCORPORATION) {
        verdict whatIf { countryBasis targetCountries changed }
      }
    }`;

    it('compares CN only with CN and HK, and headquarters with incorporation, in one query', async () => {
      const { data } = await answer(harness.current, COMPARE);
      expect(data.cnOnly).toEqual({ verdict: 'NOT_COVERED', whatIf: null });
      expect(data.cnAndHk).toEqual({
        verdict: 'COVERED',
        whatIf: {
          threshold: 50,
          thresholdInclusive: false,
          countryBasis: 'HEADQUARTERS',
          targetCountries: ['CN', 'HK'],
          changed: ['targetCountries'],
        },
      });
      expect(data.byHeadquarters.verdict).toBe('NOT_COVERED');
      expect(data.byIncorporation).toEqual({
        verdict: 'COVERED',
        whatIf: { countryBasis: 'INCORPORATION', targetCountries: ['CN'], changed: ['countryBasis'] },
      });
    });

    it('sweeps with the what-if targets and reports the rule it used', async () => {
      const SWEEP = `query Sweep($targetCountries: [String!]) {
        coveredEntities(policy: "${POLICY}", asOf: "${DAY}", targetCountries: $targetCountries, first: 100) {
          nodes { party { id } verdict }
          whatIf { targetCountries changed }
          totalCount
        }
      }`;
      const mine = (data: any) =>
        data.coveredEntities.nodes
          .map((n: any) => n.party.id)
          .filter((id: string) => id.includes('exposure-d9-'))
          .sort();
      const own = await answer(harness.current, SWEEP);
      expect(mine(own.data)).toEqual([]);
      expect(own.data.coveredEntities.whatIf).toBeNull();
      const hk = await answer(harness.current, SWEEP, { targetCountries: ['HK'] });
      expect(mine(hk.data)).toEqual(['org:exposure-d9-hk-parent', 'org:exposure-d9-hk-sub']);
      expect(hk.data.coveredEntities.whatIf).toEqual({
        targetCountries: ['HK'],
        changed: ['targetCountries'],
      });
    });

    it.each([
      [
        'policyVerdict',
        `policyVerdict(entity: "org:exposure-d9-hk-sub", policy: "${POLICY}", targetCountries: ["CN", "ZZ"]) { verdict }`,
      ],
      ['coveredEntities', `coveredEntities(policy: "${POLICY}", targetCountries: ["ZZ"]) { totalCount }`],
    ])('%s rejects an unknown country code as BAD_USER_INPUT naming targetCountries', async (_, field) => {
      const error = await firstError(harness.current, `{ ${field} }`);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'targetCountries' });
      expect(error.message).toContain('"ZZ"');
    });
  });

  describe('connections in words', () => {
    it('describes an alleged derivation as alleged, by its accuser, with the allegation’s status', async () => {
      const { data } = await answer(
        harness.current,
        `{ connections(from: "model:exposure-d9-student", to: "model:exposure-d9-withdrawn", maxHops: 1) {
          steps { type description }
        } }`,
      );
      expect(data.connections).toEqual([
        {
          steps: [
            {
              type: 'DERIVED_FROM',
              description:
                'Exposure D9 Student is alleged (by Exposure D9 Lab) to be derived from Exposure D9 Withdrawn (the accused deny it)',
            },
          ],
        },
      ]);
    });
  });
});
