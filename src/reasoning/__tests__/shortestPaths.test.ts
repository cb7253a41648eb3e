/** Every shortest path between two records, links taken either way: what `connections` answers. */
import { allShortestPaths, type PathLink } from '../shortestPaths';

const link = (fromId: string, toId: string, id = `${fromId}>${toId}`): PathLink => ({ id, fromId, toId });
const ids = (links: PathLink[], paths: ReturnType<typeof allShortestPaths>) =>
  paths.map((p) => p.links.map((i) => links[i]!.id));
const wide = { maxHops: 10, limit: 25 };

describe('allShortestPaths', () => {
  it('finds both sides of a diamond and no longer way round', () => {
    // a → b → d, a → c → d, and a detour a → e → f → d
    const links = [
      link('a', 'b'),
      link('b', 'd'),
      link('a', 'c'),
      link('c', 'd'),
      link('a', 'e'),
      link('e', 'f'),
    ];
    links.push(link('f', 'd'));
    const paths = allShortestPaths(links, 'a', 'd', wide);
    expect(paths.map((p) => p.nodeIds)).toEqual([
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
    ]);
    expect(ids(links, paths)).toEqual([
      ['a>b', 'b>d'],
      ['a>c', 'c>d'],
    ]);
  });

  it('follows links against their direction, as an undirected search does', () => {
    // model → developer ← channel: the model and the channel meet at the developer.
    const links = [link('model', 'org'), link('channel', 'org')];
    expect(allShortestPaths(links, 'model', 'channel', wide).map((p) => p.nodeIds)).toEqual([
      ['model', 'org', 'channel'],
    ]);
  });

  it('counts two links between the same records as two paths', () => {
    const links = [link('owner', 'sub', 'own:1'), link('owner', 'sub', 'own:2')];
    expect(ids(links, allShortestPaths(links, 'sub', 'owner', wide))).toEqual([['own:1'], ['own:2']]);
  });

  it('finds nothing beyond maxHops, nor between unconnected records, nor from a record to itself', () => {
    const chain = [link('a', 'b'), link('b', 'c'), link('c', 'd')];
    expect(allShortestPaths(chain, 'a', 'd', { maxHops: 2, limit: 25 })).toEqual([]);
    expect(allShortestPaths(chain, 'a', 'd', { maxHops: 3, limit: 25 })).toHaveLength(1);
    expect(allShortestPaths(chain, 'a', 'z', wide)).toEqual([]);
    expect(allShortestPaths(chain, 'a', 'a', wide)).toEqual([]);
  });

  it('stops at the limit, and gives the same paths whatever order the links come in', () => {
    // a fans out to five middles, each linked to z: five shortest paths.
    const links = ['m1', 'm2', 'm3', 'm4', 'm5'].flatMap((m) => [link('a', m), link(m, 'z')]);
    const all = allShortestPaths(links, 'a', 'z', wide);
    expect(all).toHaveLength(5);
    expect(allShortestPaths(links, 'a', 'z', { maxHops: 10, limit: 2 })).toEqual(all.slice(0, 2));
    const reversed = [...links].reverse();
    expect(ids(reversed, allShortestPaths(reversed, 'a', 'z', wide))).toEqual(ids(links, all));
  });

  it('ignores a link from a record to itself', () => {
    const links = [link('a', 'a'), link('a', 'b')];
    expect(allShortestPaths(links, 'a', 'b', wide).map((p) => p.nodeIds)).toEqual([['a', 'b']]);
  });
});
