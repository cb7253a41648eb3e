import DataLoader from 'dataloader';
import { KnownLoader, loadNow } from '../loaders';

/** A loader over a table, recording each batch it was asked for; `fail` makes the next batch throw. */
function tableLoader(table: Record<string, string>) {
  const batches: string[][] = [];
  let fail = false;
  const loader = new KnownLoader<string, string | null>((keys) => {
    batches.push([...keys]);
    if (fail) {
      fail = false;
      return Promise.reject(new Error('database unavailable'));
    }
    return Promise.resolve(keys.map((k) => table[k] ?? null));
  });
  return { loader, batches, failNext: () => (fail = true) };
}

describe('KnownLoader: what the request already holds is answered without a promise, and always as load would', () => {
  it('answers a primed key synchronously, without a batch', async () => {
    const { loader, batches } = tableLoader({ a: 'from the database' });
    loader.prime('a', 'read ahead');
    expect(loader.loadNow('a')).toBe('read ahead');
    await expect(loader.load('a')).resolves.toBe('read ahead');
    expect(batches).toEqual([]);
  });

  it('answers a key not yet held with the promise of a batch, and synchronously once it settled', async () => {
    const { loader, batches } = tableLoader({ a: 'A', b: 'B' });
    const [a, b] = [loader.loadNow('a'), loader.loadNow('b')];
    expect(a).toBeInstanceOf(Promise);
    expect(b).toBeInstanceOf(Promise);
    await expect(a).resolves.toBe('A');
    await expect(b).resolves.toBe('B');
    expect(batches).toEqual([['a', 'b']]);
    expect(loader.loadNow('b')).toBe('B');
    expect(loader.peek('c')).toBeUndefined();
  });

  it('keeps the loaded value when a key being loaded is primed meanwhile, as DataLoader does', async () => {
    const { loader } = tableLoader({ a: 'loaded' });
    const pending = loader.load('a');
    loader.prime('a', 'primed too late');
    expect(loader.peek('a')).toBeUndefined();
    await expect(pending).resolves.toBe('loaded');
    expect(loader.loadNow('a')).toBe('loaded');
    await expect(loader.load('a')).resolves.toBe('loaded');
  });

  it('does not replace a held value by a later prime', () => {
    const { loader } = tableLoader({});
    loader.prime('a', 'first');
    loader.prime('a', 'second');
    expect(loader.loadNow('a')).toBe('first');
  });

  it('holds nothing for the keys of a failed batch, so the next load asks again', async () => {
    const { loader, batches, failNext } = tableLoader({ a: 'A' });
    failNext();
    await expect(loader.load('a')).rejects.toThrow('database unavailable');
    expect(loader.peek('a')).toBeUndefined();
    await expect(loader.loadNow('a')).resolves.toBe('A');
    expect(batches).toEqual([['a'], ['a']]);
  });

  it('forgets what clear and clearAll drop', async () => {
    const { loader, batches } = tableLoader({ a: 'A', b: 'B' });
    loader.prime('a', 'stale').prime('b', 'stale');
    loader.clear('a');
    expect(loader.peek('a')).toBeUndefined();
    expect(loader.peek('b')).toBe('stale');
    await expect(loader.loadNow('a')).resolves.toBe('A');
    loader.clearAll();
    expect(loader.peek('a')).toBeUndefined();
    await expect(loader.loadNow('b')).resolves.toBe('B');
    expect(batches).toEqual([['a'], ['b']]);
  });

  it('loadNow on a plain DataLoader (the known-then loaders) is its load', async () => {
    const plain = new DataLoader<string, string>((keys) => Promise.resolve(keys.map((k) => k.toUpperCase())));
    plain.prime('a', 'primed');
    const value = loadNow(plain, 'a');
    expect(value).toBeInstanceOf(Promise);
    await expect(value).resolves.toBe('primed');
  });
});
