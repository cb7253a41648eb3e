import { fingerprintOf, FingerprintTable } from '../fingerprintTable';

/**
 * The compact set the CSV folder check keeps its ids and unique keys in: it answers as a Set of the strings
 * would, keeps the first value given for a key, grows past the size it was given, and costs a fixed number
 * of bytes per string whatever the string's length.
 */
describe('a fingerprint table', () => {
  it('holds what was added and nothing else, and says when a string was held already', () => {
    const table = new FingerprintTable(10);
    expect(table.add(fingerprintOf('org:alpha'))).toBe(true);
    expect(table.add(fingerprintOf('org:beta'))).toBe(true);
    expect(table.add(fingerprintOf('org:alpha'))).toBe(false);
    expect(table.has(fingerprintOf('org:alpha'))).toBe(true);
    expect(table.has(fingerprintOf('org:beta'))).toBe(true);
    expect(table.has(fingerprintOf('org:gamma'))).toBe(false);
    expect(table.size).toBe(2);
  });

  it('keeps the first value given for a key', () => {
    const table = new FingerprintTable(10, true);
    const key = fingerprintOf('LEI:213800ACMEHOLDINGS77');
    table.add(key, fingerprintOf('org:alpha'));
    expect(table.add(key, fingerprintOf('org:beta'))).toBe(false);
    expect(table.get(key)).toEqual(fingerprintOf('org:alpha'));
    expect(table.get(fingerprintOf('LEI:OTHER'))).toBeNull();
  });

  it('grows past the size it was given and still finds every string, with its value', () => {
    const table = new FingerprintTable(4, true);
    const n = 50_000;
    for (let i = 0; i < n; i++) table.add(fingerprintOf(`org:bench-${i}`), fingerprintOf(`value-${i}`));
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(table.get(fingerprintOf(`org:bench-${i}`))).toEqual(fingerprintOf(`value-${i}`));
    }
    let strays = 0;
    for (let i = n; i < 2 * n; i++) if (table.has(fingerprintOf(`org:bench-${i}`))) strays++;
    expect(strays).toBe(0);
  });

  it('costs the same per string whether the strings are short or long, sized once for what it expects', () => {
    const short = new FingerprintTable(100_000);
    const long = new FingerprintTable(100_000);
    for (let i = 0; i < 100_000; i++) {
      short.add(fingerprintOf(`o:${i}`));
      long.add(fingerprintOf(`org:${'a-very-long-identifier-of-a-registry-'.repeat(5)}${i}`));
    }
    expect(long.bytes).toBe(short.bytes);
    // 8 bytes a slot, at most 70% full: under 24 bytes a string.
    expect(short.bytes / 100_000).toBeLessThan(24);
  });
});
