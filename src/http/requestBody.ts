import type { IncomingMessage } from 'node:http';

/** The body was larger than allowed: `received` bytes read before giving up (at least `limit` + 1). */
export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    readonly received: number,
  ) {
    super(`Request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES).`);
    this.name = 'BodyTooLarge';
  }
}

/** Past this many bytes an oversized body is no longer drained: the connection is cut instead. */
const DRAIN_FACTOR = 32;

/**
 * Reads a request body up to `limit` bytes. An oversized body (by Content-Length or as it arrives) is read
 * to its end and thrown away before rejecting with BodyTooLarge, so the 413 that follows reaches the client:
 * answering while the client is still sending and then closing makes the client see a reset, not the 413.
 * A body past DRAIN_FACTOR times the limit is not worth draining; the socket is destroyed.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > limit * DRAIN_FACTOR) {
          reject(new BodyTooLarge(limit, size));
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new BodyTooLarge(limit, Math.max(size, limit + 1)));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
