import type { ServerResponse } from 'node:http';
import type { Database } from '../db/database';
import { readinessProblem } from '../db/migrations';
import { startBudget } from '../db/requestBudget';

/** `GET /healthz`: the process is alive and its event loop turns (answered without touching Neo4j). */
export function answerHealth(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/**
 * `GET /readyz`: 200 when Neo4j is reachable and migrated, else 503 with the reason. It answers within
 * `timeoutMs` whatever Neo4j does: while Neo4j restarts, the driver's own connect and retry times (seconds)
 * would otherwise hold the probe past any orchestrator's timeout.
 */
export async function answerReadiness(res: ServerResponse, db: Database, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`Neo4j did not answer within ${timeoutMs} ms (unavailable)`), timeoutMs);
  });
  // The probe's own budget: its query is stopped on Neo4j too, so probes never pile up.
  const budget = startBudget(timeoutMs, 1);
  const problem = await Promise.race([
    readinessProblem(db.within(budget)).catch(
      (error: unknown) => `Neo4j is unavailable: ${(error as Error).message}`,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  budget.dispose();
  sendJson(
    res,
    problem ? 503 : 200,
    problem ? { status: 'unavailable', reason: problem } : { status: 'ready' },
  );
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}
