import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from '../signature';

describe('Webhook signatures: HMAC-SHA256 over "<timestamp>.<raw body>"', () => {
  const secret = 'a-secret-of-sixteen+';
  const body = '{"event":"verdict.changed","changes":[]}';
  const now = 1_800_000_000_000;
  const timestamp = String(now / 1000);

  it('is what a receiver computes with any HMAC library', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(signBody(secret, timestamp, body)).toBe(`sha256=${expected}`);
  });

  it('verifies the signature the server sent', () => {
    const signature = signBody(secret, timestamp, body);
    expect(verifySignature(secret, { timestamp, body, signature }, 300, now)).toBe(true);
  });

  it.each([
    ['a changed body', { body: body.replace('[]', '[1]') }],
    ['another secret', { secret: 'another-secret-of-16' }],
    ['a changed timestamp', { timestamp: String(now / 1000 + 1) }],
    ['a timestamp older than the tolerance', { timestamp: String(now / 1000 - 301), resign: true }],
    ['a timestamp that is not a number', { timestamp: 'yesterday', resign: true }],
  ])(
    'refuses %s',
    (_name, change: { body?: string; secret?: string; timestamp?: string; resign?: boolean }) => {
      const sentTimestamp = change.resign ? change.timestamp! : timestamp;
      const signature = signBody(secret, sentTimestamp, body);
      const received = { timestamp: change.timestamp ?? timestamp, body: change.body ?? body, signature };
      expect(verifySignature(change.secret ?? secret, received, 300, now)).toBe(false);
    },
  );

  it('refuses a signature of another length without throwing', () => {
    expect(verifySignature(secret, { timestamp, body, signature: 'sha256=abc' }, 300, now)).toBe(false);
  });
});
