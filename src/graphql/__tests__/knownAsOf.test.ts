import { GraphQLError } from 'graphql';
import type { RecordVersionRow } from '../../queries/history';
import { REFERENCE_PROPERTIES, referencedIds } from '../../queries/knownAsOf';
import { NODE_SECTIONS, toProps } from '../../seed/storage';
import { REFERENCE_RELATIONSHIP_TYPES } from '../../records/vocabulary';
import { checkKnownAsOf, historyAt } from '../knownAsOf';

/** A record of every section with links, each reference field naming ids of its own. */
const RECORDS: Record<string, Record<string, unknown>> = {
  organizations: { id: 'org:a', headquarters: 'CN', incorporation: 'KY' },
  persons: { id: 'person:a', nationality: 'SG', residence: 'US' },
  models: { id: 'model:a', developer: 'org:dev' },
  channels: { id: 'channel:a', operator: 'org:op' },
  policies: {
    id: 'policy:a',
    issuer: 'org:issuer',
    targets: ['CN', 'RU'],
    covers: { developers: ['org:d1', 'org:d2'], models: ['model:m1'], channels: ['channel:c1'] },
  },
  allegations: {
    id: 'allegation:a',
    accusers: ['org:acc'],
    accused: ['org:x', 'person:y'],
    accusedModels: ['model:am'],
    sourceModels: ['model:sm'],
  },
};

describe('links as known then, read from stored properties', () => {
  it('names, for every reference relationship, the ids the writer links (seed/storage.ts)', () => {
    const checked = new Set<string>();
    for (const [section, record] of Object.entries(RECORDS)) {
      const spec = NODE_SECTIONS[section as keyof typeof NODE_SECTIONS];
      expect(spec).toBeDefined();
      const stored = toProps(record);
      for (const link of spec!.links) {
        expect(REFERENCE_PROPERTIES[link.type].label).toBe(spec!.label);
        const written = link.targets(record as never).filter((id): id is string => !!id);
        expect(written.length).toBeGreaterThan(0);
        expect(referencedIds(stored, link.type)).toEqual(written);
        checked.add(link.type);
      }
    }
    expect([...checked].sort()).toEqual([...REFERENCE_RELATIONSHIP_TYPES].sort());
  });
});

describe('knownAsOf as an argument', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('takes an instant up to now, and nothing for the current graph', () => {
    expect(checkKnownAsOf('knownAsOf', '2026-03-01T11:59:59.999Z', now)).toBe('2026-03-01T11:59:59.999Z');
    expect(checkKnownAsOf('knownAsOf', '2026-03-01T12:00:00.000Z', now)).toBe('2026-03-01T12:00:00.000Z');
    expect(checkKnownAsOf('knownAsOf', null, now)).toBeNull();
  });

  it('refuses an instant in the future, naming the argument', () => {
    let error: unknown;
    try {
      checkKnownAsOf('knownAsOf', '2026-03-01T12:00:00.001Z', now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'knownAsOf',
    });
    expect((error as GraphQLError).message).toContain('must not be in the future');
  });
});

describe('a record history as known then', () => {
  const version = (v: number, recordedAt: string, supersededAt: string | null, retracted = false) =>
    ({
      recordId: 'own:a',
      kind: 'OWNS',
      version: v,
      recordedAt,
      supersededAt,
      retracted,
      properties: {},
      changeSet: null,
      supersededBy: supersededAt ? ({ id: `cs:${v + 1}` } as RecordVersionRow['supersededBy']) : null,
    }) satisfies RecordVersionRow;
  const versions = [
    version(1, '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
    version(2, '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', true),
  ];

  it('is the whole history for a current read', () => {
    expect(historyAt(versions, undefined)).toBe(versions);
  });

  it('stops at the instant, the version current then shown as current', () => {
    const then = historyAt(versions, '2026-02-15T00:00:00.000Z');
    expect(then.map((v) => [v.version, v.supersededAt, v.retracted, v.supersededBy])).toEqual([
      [1, '2026-02-01T00:00:00.000Z', false, { id: 'cs:2' }],
      [2, null, false, null],
    ]);
    expect(historyAt(versions, '2025-12-31T00:00:00.000Z')).toEqual([]);
  });
});
