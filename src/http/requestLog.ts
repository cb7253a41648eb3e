import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';

/** What the handlers learn about a request while answering it, added to its log line. */
export type RequestNotes = Record<string, unknown>;

/**
 * One log line per request, whatever became of it: answered (`finish`), or abandoned by its client before
 * the answer was sent (`close` first; logged with `outcome: "abandoned"` and the status it would have had).
 * Rejected (413, 429, LIMIT_EXCEEDED) and timed-out requests are answered, so they are logged like others.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, log: Logger): RequestNotes {
  const started = performance.now();
  const notes: RequestNotes = {};
  let logged = false;
  const write = (outcome: 'answered' | 'abandoned') => {
    if (logged) return;
    logged = true;
    if (!log.isLevelEnabled('info')) return;
    log.info('request', {
      method: req.method,
      path: (req.url ?? '/').split('?')[0],
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
      outcome,
      client: req.socket.remoteAddress,
      ...notes,
    });
  };
  res.on('finish', () => write('answered'));
  res.on('close', () => write(res.writableFinished ? 'answered' : 'abandoned'));
  return notes;
}
