import { ECHO_LIMIT, echo, shortenEchoes } from '../echo';

describe('echo: how an error quotes a value it received', () => {
  it.each([
    { name: 'a short string, as JSON', value: 'org:bytedance', expected: '"org:bytedance"' },
    { name: 'a number', value: 500, expected: '500' },
    { name: 'a short list', value: ['a', 'b'], expected: '["a","b"]' },
    { name: 'undefined', value: undefined, expected: 'undefined' },
  ])('$name', ({ value, expected }) => {
    expect(echo(value)).toBe(expected);
  });

  it('cuts a 100 kB string to the limit and says how long it was', () => {
    const echoed = echo('x'.repeat(100_000));
    expect(echoed).toBe(`"${'x'.repeat(ECHO_LIMIT)}…" (100000 chars)`);
  });

  it('cuts a long list the same way', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const echoed = echo(list);
    expect(echoed.length).toBeLessThan(ECHO_LIMIT + 30);
    expect(echoed).toMatch(/^\["id-0","id-1",.*… \(\d+ chars\)$/);
  });

  it('shortens every long quoted value in a message written elsewhere, and leaves short ones', () => {
    const long = 'é"'.repeat(1000);
    const message = `Variable "$id" got invalid value ${JSON.stringify(long)}; ID cannot represent "x".`;
    expect(shortenEchoes(message)).toBe(
      `Variable "$id" got invalid value ${echo(long)}; ID cannot represent "x".`,
    );
    expect(echo(long)).toContain('(2000 chars)');
  });

  it('does not cut again what echo() has cut', () => {
    const message = `Argument "id": no record has id ${echo('x'.repeat(5000))}.`;
    expect(shortenEchoes(message)).toBe(message);
  });
});
