import { SharedVersionReads } from '../responseCache';

/**
 * SharedVersionReads: requests that arrive together share a read of the graph version, and each is answered
 * by a read that began after it arrived. Reads are recorded (which request's read ran, when it began) and
 * settled by hand, as dataloader's tests record their backend's calls.
 */

interface Read {
  by: string;
  resolve: (version: number) => void;
  reject: (error: Error) => void;
}

function recorder() {
  const reads: Read[] = [];
  const reader = (by: string) => () =>
    new Promise<number>((resolve, reject) => {
      reads.push({ by, resolve, reject });
    });
  return { reads, reader };
}

/** Lets every settled promise's handlers run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Shared reads of the graph version', () => {
  it('starts a read at once when none is in flight', async () => {
    const shared = new SharedVersionReads();
    const { reads, reader } = recorder();
    const a = shared.read(reader('a'));
    expect(reads.map((r) => r.by)).toEqual(['a']);
    reads[0]!.resolve(7);
    await expect(a).resolves.toBe(7);
  });

  it('gives requests that arrive while a read is in flight the next read, begun after that one ends', async () => {
    const shared = new SharedVersionReads();
    const { reads, reader } = recorder();
    const a = shared.read(reader('a'));
    const b = shared.read(reader('b'));
    const c = shared.read(reader('c'));
    // b and c do not join a's read, which may have begun before a write they must see; none began for them yet.
    expect(reads.map((r) => r.by)).toEqual(['a']);
    reads[0]!.resolve(1);
    await settled();
    // One read for both, through the first to join, begun once a's ended.
    expect(reads.map((r) => r.by)).toEqual(['a', 'b']);
    const d = shared.read(reader('d'));
    reads[1]!.resolve(2);
    await expect(Promise.all([a, b, c])).resolves.toEqual([1, 2, 2]);
    await settled();
    // d arrived while b's read was in flight: it gets a read of its own after that one.
    expect(reads.map((r) => r.by)).toEqual(['a', 'b', 'd']);
    reads[2]!.resolve(3);
    await expect(d).resolves.toBe(3);
  });

  it('keeps at most one read waiting, however many requests arrive during one in flight', async () => {
    const shared = new SharedVersionReads();
    const { reads, reader } = recorder();
    const answers = Array.from({ length: 32 }, (_, i) => shared.read(reader(`r${i}`)));
    reads[0]!.resolve(1);
    await settled();
    reads[1]!.resolve(2);
    await expect(Promise.all(answers)).resolves.toEqual([1, ...Array.from({ length: 31 }, () => 2)]);
    expect(reads).toHaveLength(2);
  });

  it('fails only the requests that shared a failed read, and reads again for the next', async () => {
    const shared = new SharedVersionReads();
    const { reads, reader } = recorder();
    const a = shared.read(reader('a'));
    const b = shared.read(reader('b'));
    reads[0]!.reject(new Error('session closed'));
    await expect(a).rejects.toThrow('session closed');
    await settled();
    reads[1]!.resolve(5);
    await expect(b).resolves.toBe(5);
    const c = shared.read(reader('c'));
    reads[2]!.resolve(6);
    await expect(c).resolves.toBe(6);
  });

  it('recovers from a read that throws before returning a promise', async () => {
    const shared = new SharedVersionReads();
    await expect(
      shared.read(() => {
        throw new Error('no session');
      }),
    ).rejects.toThrow('no session');
    await settled();
    await expect(shared.read(() => Promise.resolve(4))).resolves.toBe(4);
  });
});
