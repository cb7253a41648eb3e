import { hash } from 'node:crypto';

/**
 * A set of strings (ids, identifier keys) held as 64-bit fingerprints in one typed array, optionally with a
 * 64-bit fingerprint as each one's value: about 16 bytes a string whatever its length, where a Map of the
 * strings themselves costs 100-250 bytes each and stops at 2^24 entries. The whole-import check of a CSV
 * folder keeps every id and unique key it has read in these, so its memory stays a few tens of MB for a
 * million rows instead of growing with the rows.
 *
 * A fingerprint is the first 64 bits of the string's SHA-1 (node:crypto): two different strings share one
 * with a chance of about n / 2^64 per lookup among n strings (1 in 10^12 at 20 million), so a hit means
 * "almost surely held"; a caller that refuses something on a hit confirms it against the strings themselves.
 */

export type Fingerprint = readonly [number, number];

export function fingerprintOf(text: string): Fingerprint {
  const digest = hash('sha1', text, 'buffer');
  const high = digest.readUInt32LE(0);
  const low = digest.readUInt32LE(4);
  // (0, 0) marks an empty slot.
  return high === 0 && low === 0 ? [0, 1] : [high, low];
}

const MAX_LOAD = 0.7;

export class FingerprintTable {
  /** Per slot: key high, key low, and (withValues) value high, value low; a key of (0, 0) is empty. */
  private slots: Uint32Array;
  private readonly width: number;
  private mask: number;
  private count = 0;

  /** `expected`: how many strings it will likely hold, so it is sized once (it grows past that). */
  constructor(expected = 1024, withValues = false) {
    this.width = withValues ? 4 : 2;
    const capacity = capacityFor(expected);
    this.slots = new Uint32Array(capacity * this.width);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  has(key: Fingerprint): boolean {
    return this.slotOf(key) >= 0;
  }

  /** The value stored with the key, or null when the key is not held. */
  get(key: Fingerprint): Fingerprint | null {
    const slot = this.slotOf(key);
    if (slot < 0 || this.width < 4) return slot < 0 ? null : [0, 0];
    const at = slot * this.width;
    return [this.slots[at + 2]!, this.slots[at + 3]!];
  }

  /** Adds the key (with its value; an existing key keeps its first value); false when it was held already. */
  add(key: Fingerprint, value: Fingerprint = [0, 0]): boolean {
    if (this.slotOf(key) >= 0) return false;
    if ((this.count + 1) / (this.mask + 1) > MAX_LOAD) this.grow();
    this.place(this.slots, this.mask, key, value);
    this.count++;
    return true;
  }

  /** The slot holding the key, or -1. */
  private slotOf([high, low]: Fingerprint): number {
    const { slots, mask, width } = this;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const at = slot * width;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) return -1;
      if (h === high && l === low) return slot;
    }
  }

  private place(slots: Uint32Array, mask: number, [high, low]: Fingerprint, value: Fingerprint): void {
    const { width } = this;
    let slot = low & mask;
    while (slots[slot * width] !== 0 || slots[slot * width + 1] !== 0) slot = (slot + 1) & mask;
    const at = slot * width;
    slots[at] = high;
    slots[at + 1] = low;
    if (width === 4) {
      slots[at + 2] = value[0];
      slots[at + 3] = value[1];
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Uint32Array(capacity * this.width);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += this.width) {
      if (old[at] === 0 && old[at + 1] === 0) continue;
      this.place(
        slots,
        mask,
        [old[at]!, old[at + 1]!],
        this.width === 4 ? [old[at + 2]!, old[at + 3]!] : [0, 0],
      );
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function capacityFor(expected: number): number {
  let capacity = 1024;
  while (capacity * MAX_LOAD < expected) capacity *= 2;
  return capacity;
}
