import type { Database } from '../src/db/database';
import { POLICY_IN_FORCE_CONDITION } from '../src/queries/recordFilters';
import { inForceBounds } from '../src/reasoning/policyInForce';
import { POLICY_DATE_CASES } from '../src/reasoning/__tests__/policyDateCases';
import { testDatabase } from './support/database';

/**
 * The `policies(filter: {inForceOn})` list filters in Cypher by the same rule reasoning/policyInForce.ts
 * states in TypeScript: every case of that rule's table, evaluated by Neo4j, gets the same answer. No data
 * is written: the cases are maps, which Cypher reads with the same property syntax as nodes.
 */
describe('the Cypher in-force filter agrees with the TypeScript rule', () => {
  let db: Database;
  beforeAll(() => {
    db = testDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(POLICY_DATE_CASES)('$name', async ({ policy, day }) => {
    const rows = await db.readRows<{ kept: boolean }>(
      `WITH $policy AS n RETURN ${POLICY_IN_FORCE_CONDITION} AS kept`,
      { policy, day },
    );
    expect(rows[0]?.kept).toBe(inForceBounds(policy, day));
  });
});
