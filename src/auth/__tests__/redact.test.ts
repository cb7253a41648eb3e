import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generateKey } from '../apiKeys';
import { scrubFields, scrubSecrets } from '../redact';

const { key, record } = generateKey('alice', 'admin');
const secret = key.slice(29);
const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLWJ5dGVz';

describe('Keeping credentials out of the logs', () => {
  it.each([
    ['a key', `key ${key} refused`, `key aeg_${record.id}_[redacted] refused`],
    ['a key cut short', `got ${key.slice(0, 35)}`, `got aeg_${record.id}_[redacted]`],
    ['a JWT', `token=${jwt};`, 'token=[redacted];'],
    ['a bearer header', 'Authorization: Bearer hunter2', 'Authorization: Bearer [redacted]'],
    ['plain text', 'policy:anthropic-unsupported-regions-2025', 'policy:anthropic-unsupported-regions-2025'],
  ])('cuts the secret out of %s', (_, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('walks a log line’s fields', () => {
    expect(scrubFields({ error: `bad ${key}`, nested: { list: [jwt, 3] }, n: 1 })).toEqual({
      error: `bad aeg_${record.id}_[redacted]`,
      nested: { list: ['[redacted]', 3] },
      n: 1,
    });
  });

  it('holds for what the real logger writes: headers dropped, keys cut from messages and fields', () => {
    const root = path.resolve(__dirname, '../../..');
    const script = `
      const { createLogger } = require('./src/log.ts');
      const log = createLogger('info', {}, 'json');
      log.info('request with ${key}', { req: { headers: { authorization: 'Bearer ${key}', 'x-api-key': '${key}' } } });
      log.warn('refused', { headers: { authorization: 'Bearer ${jwt}' }, detail: 'X-API-Key: ${key}' });
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    // Info goes to stdout, warnings to stderr.
    const output = `${run.stdout}${run.stderr}`;
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual([`request with aeg_${record.id}_[redacted]`, 'refused']);
    expect(lines[0]!.req).toEqual({ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' } });
    expect(lines[1]).toMatchObject({
      headers: { authorization: '[redacted]' },
      detail: `X-API-Key: aeg_${record.id}_[redacted]`,
    });
    expect(output).not.toContain(secret);
    expect(output).not.toContain(jwt);
  });
});
