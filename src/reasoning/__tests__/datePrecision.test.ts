/**
 * Dates known only to the month or year (issue 9): a stake "since 2024-03" may have started on any day of
 * March, so on those days an answer that depends on it is uncertain; from the month's last day it is firm.
 */
import { z } from 'zod';
import { checkPeriod, partialDate, Period } from '../../model/common';
import { certainlyInForce, inForce } from '../graph';
import { lookThrough } from '../lookThrough';
import { policyVerdict } from '../verdict';
import { anthropic, graphOf, unwrap } from './fixtures';

describe('Partial dates in the data-set format', () => {
  it.each([
    ['2024', { first: '2024-01-01', last: '2024-12-31', precision: 'YEAR' }],
    ['2024-02', { first: '2024-02-01', last: '2024-02-29', precision: 'MONTH' }],
    ['2023-02', { first: '2023-02-01', last: '2023-02-28', precision: 'MONTH' }],
    ['2025-09', { first: '2025-09-01', last: '2025-09-30', precision: 'MONTH' }],
    ['2024-03-15', { first: '2024-03-15', last: '2024-03-15', precision: 'DAY' }],
  ])('reads %s as the days it may stand for', (text, expected) => {
    expect(partialDate(text)).toEqual(expected);
  });

  it.each(['2024-13', '2024-00', '24-03', '2024-3', '2025-02-29', '2024-03-15T00:00', ''])(
    'refuses %j',
    (text) => {
      expect(partialDate(text)).toBeNull();
    },
  );

  const period = z.strictObject(Period).superRefine(checkPeriod);
  it('accepts a period that starts and ends within the same month', () => {
    expect(period.safeParse({ startDate: '2024-03', endDate: '2024-03-20' }).success).toBe(true);
  });
  it('refuses an end before the start, naming the field and both values', () => {
    const result = period.safeParse({ startDate: '2024-03', endDate: '2024-02' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['endDate'],
        message: 'must not be before startDate (2024-03), got 2024-02',
      }),
    ]);
  });
  it('refuses a malformed month with a message naming the accepted forms', () => {
    const result = period.safeParse({ startDate: '2024-13' });
    expect(result.error?.issues[0]?.message).toBe(
      'must be a date in the form YYYY-MM-DD, YYYY-MM (month only) or YYYY (year only)',
    );
  });
});

describe('As-of reasoning with month-only and year-only ends', () => {
  // Stored as the loader stores them: a start on its first day, an end on its last, with the precision.
  const since = { startDate: '2024-03-01', startDatePrecision: 'MONTH' as const, endDate: null };
  const until = { startDate: '2020-01-01', endDate: '2025-09-30', endDatePrecision: 'MONTH' as const };
  const year = { startDate: '2019-01-01', startDatePrecision: 'YEAR' as const, endDate: null };
  it.each([
    ['a start in March 2024', '2024-02-29', false, false, since],
    ['a start in March 2024', '2024-03-01', true, false, since],
    ['a start in March 2024', '2024-03-15', true, false, since],
    ['a start in March 2024', '2024-03-31', true, true, since],
    ['an end in September 2025', '2025-09-01', true, true, until],
    ['an end in September 2025', '2025-09-02', true, false, until],
    ['an end in September 2025', '2025-09-30', true, false, until],
    ['an end in September 2025', '2025-10-01', false, false, until],
    ['a start in 2019', '2019-07-01', true, false, year],
    ['a start in 2019', '2019-12-31', true, true, year],
  ])('%s, on %s: possibly in force %s, surely %s', (_name, asOf, possibly, surely, dated) => {
    expect(inForce(dated, asOf)).toBe(possibly);
    expect(certainlyInForce(dated, asOf)).toBe(surely);
  });

  // A US company 60% held since "March 2024" by a CN-headquartered parent; Anthropic's rule is "> 50%".
  const graph = graphOf({
    edges: [['Parent', 'Sub', 60, { start: '2024-03-01' }]],
    entities: { Parent: { headquartersCountry: 'CN' }, Sub: { headquartersCountry: 'US' } },
  });
  graph.ownerships[0]!.startDatePrecision = 'MONTH';
  const policy = anthropic({ effectiveFrom: '2020-01-01' });

  it.each([
    ['2024-02-15', 'NOT_COVERED', null],
    ['2024-03-15', 'POSSIBLY_COVERED', { lower: 0, upper: 0.6 }],
    ['2024-03-31', 'COVERED', { lower: 0.6, upper: 0.6 }],
    ['2024-06-01', 'COVERED', { lower: 0.6, upper: 0.6 }],
  ])('on %s the subsidiary is %s, the parent holding %j', (asOf, verdict, share) => {
    expect(unwrap(policyVerdict(graph, policy, 'Sub', { asOf }))).toMatchObject({ verdict });
    const owners = unwrap(lookThrough(graph, 'Sub', { asOf })).owners;
    const parent = owners.find((o) => o.entityId === 'Parent');
    expect(parent ? { lower: parent.share.lower, upper: parent.share.upper } : null).toEqual(share);
  });
});

describe('Sentences with month-only dates', () => {
  it('writes a month-only start as the month, not as its first day', () => {
    const graph = graphOf({
      edges: [['Parent', 'Sub', 60, { start: '2024-03-01' }]],
      entities: { Parent: { headquartersCountry: 'CN' }, Sub: { headquartersCountry: 'US' } },
    });
    graph.ownerships[0]!.startDatePrecision = 'MONTH';
    const verdict = unwrap(
      policyVerdict(graph, anthropic({ effectiveFrom: '2020-01-01' }), 'Sub', { asOf: '2024-03-15' }),
    );
    expect(verdict.explanation.sentence).toBe(
      'Parent, headquartered in CN, owns 0–60% of Sub since 2024-03 (month only); possibly covered: owners in ' +
        'targeted jurisdictions hold between 0% and 60% (> 50%), so the known shares do not settle it.',
    );
  });
});
