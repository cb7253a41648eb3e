import type { Principal, Role } from '../../src/auth/principal';
import { ANONYMOUS } from '../../src/auth/principal';
import type { App } from '../../src/app';
import type { Database } from '../../src/db/database';
import { loadFile } from '../../src/seed/loadDataSet';
import type { DataSetFile } from '../../src/model/dataset';
import { resetDatabase } from './database';
import { useAppOver, type Answer } from './seededApp';

/** A principal of each role, as the auth layer would put in the context (issue 12's role matrix). */
export const PRINCIPALS: Record<'anonymous' | Role, Principal> = {
  anonymous: ANONYMOUS,
  reader: { id: 'key:test-reader', name: 'Test reader', role: 'reader', via: 'api-key' },
  editor: { id: 'key:test-editor', name: 'Test editor', role: 'editor', via: 'api-key' },
  admin: { id: 'key:test-admin', name: 'Test admin', role: 'admin', via: 'api-key' },
};

/**
 * Two countries, a source, a policy covering what is 50% or more owned from CN, and a parent in CN owning
 * 60% of a subsidiary in US: the small graph the write tests change. Ids carry `prefix` so that tests
 * sharing a database set up and change their own records.
 */
export function baseGraph(prefix: string): DataSetFile {
  const src = `src:${prefix}-filing`;
  return {
    sources: [
      { id: src, url: `https://example.org/${prefix}`, publisher: 'Example registry', title: 'A filing' },
    ],
    countries: [
      { id: 'country:CN', code: 'CN', name: 'China', sources: [src] },
      { id: 'country:US', code: 'US', name: 'United States', sources: [src] },
    ],
    organizations: [
      {
        id: `org:${prefix}-issuer`,
        name: `${prefix} Issuer`,
        type: 'AI_LAB',
        headquarters: 'US',
        sources: [src],
      },
      {
        id: `org:${prefix}-parent`,
        name: `${prefix} Parent`,
        type: 'COMPANY',
        headquarters: 'CN',
        sources: [src],
      },
      { id: `org:${prefix}-sub`, name: `${prefix} Sub`, type: 'COMPANY', headquarters: 'US', sources: [src] },
    ],
    ownerships: [
      {
        id: `own:${prefix}-parent-sub`,
        owner: `org:${prefix}-parent`,
        owned: `org:${prefix}-sub`,
        share: { exact: 60 },
        startDate: '2020-01-01',
        sources: [src],
      },
    ],
    policies: [
      {
        id: `policy:${prefix}-cn-50`,
        name: `${prefix} CN 50% rule`,
        kind: 'PROVIDER_RESTRICTION',
        issuer: `org:${prefix}-issuer`,
        summary: 'Covers entities 50% or more owned from China.',
        effectiveFrom: '2020-01-01',
        targets: ['CN'],
        ownershipRule: {
          threshold: 50,
          thresholdInclusive: true,
          countryBasis: 'HEADQUARTERS',
          includesIndirect: true,
          aggregation: 'AGGREGATE',
          controlCounts: false,
        },
        sources: [src],
      },
    ],
  };
}

export interface WriteHarness {
  readonly db: Database;
  readonly app: App;
  /** Runs an operation as `who`. */
  as(who: keyof typeof PRINCIPALS, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  /** Writes a fixture the way the seed loader does (its records known from now). */
  load(data: DataSetFile): Promise<void>;
}

/** An empty, migrated database and an app over it, for a test file. */
export function useWriteHarness(): WriteHarness {
  const harness = useAppOver(resetDatabase);
  return {
    get db() {
      return harness.db;
    },
    get app() {
      return harness.app;
    },
    as: (who, query, variables = {}) => harness.execute(query, variables, PRINCIPALS[who]),
    async load(data) {
      await loadFile(harness.db, { file: 'fixture.json', data });
    },
  };
}
