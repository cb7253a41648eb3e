import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateFolder } from '../validateFolder';

/** A folder holding the given files (name → JSON content), deleted after the test. */
let folder: string;
beforeEach(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'seed-validate-'));
});
afterEach(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});
async function write(files: Record<string, unknown>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(
      path.join(folder, name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
}

const source = { id: 'src:s', url: 'https://example.org/s', publisher: 'P', title: 'T' };
const org = (id: string, extra: object = {}) => ({
  id,
  name: id,
  type: 'COMPANY',
  sources: ['src:s'],
  ...extra,
});
const stake = (id: string, owner: string, owned: string) => ({
  id,
  owner,
  owned,
  share: { exact: 10 },
  sources: ['src:s'],
});

describe('validateFolder: checks across the files of a folder, before anything is written', () => {
  it('accepts a folder whose references point to the same or an earlier file', async () => {
    await write({
      '00-a.json': { sources: [source], organizations: [org('org:a'), org('org:b')] },
      '10-b.json': { ownerships: [stake('own:a-b', 'org:a', 'org:b')] },
    });
    const result = await validateFolder(folder);
    expect(result.issues).toEqual([]);
    expect(result.files.map((f) => path.basename(f.file))).toEqual(['00-a.json', '10-b.json']);
    expect([...result.external.keys()]).toEqual([]);
  });

  it('reports an id defined twice in one file at the second definition', async () => {
    await write({
      '00-a.json': { sources: [source], organizations: [org('org:a'), org('org:a', { name: 'Other' })] },
    });
    expect((await validateFolder(folder)).issues).toEqual([
      {
        file: '00-a.json',
        section: 'organizations',
        index: 1,
        recordId: 'org:a',
        field: 'id',
        message: 'defines id "org:a" already defined in this file at organizations[0]',
      },
    ]);
  });

  it('reports an id defined in two files, naming the file of the first definition', async () => {
    await write({
      '00-a.json': { sources: [source], organizations: [org('org:a')] },
      '10-b.json': { organizations: [org('org:b'), org('org:a')] },
    });
    expect((await validateFolder(folder)).issues).toEqual([
      {
        file: '10-b.json',
        section: 'organizations',
        index: 1,
        recordId: 'org:a',
        field: 'id',
        message: 'defines id "org:a" already defined in 00-a.json, organizations[0]',
      },
    ]);
  });

  it('keeps the first file as the owner of a duplicated id, so an earlier reference to it is not called a forward reference', async () => {
    await write({
      '00-a.json': {
        sources: [source],
        organizations: [org('org:a'), org('org:b')],
        ownerships: [stake('own:a-b', 'org:a', 'org:b')],
      },
      '10-b.json': { organizations: [org('org:b')] },
    });
    const messages = (await validateFolder(folder)).issues.map((i) => i.message);
    expect(messages).toEqual(['defines id "org:b" already defined in 00-a.json, organizations[1]']);
  });

  it('reports a reference to a record defined in a later file, since files load in name order', async () => {
    await write({
      '00-a.json': {
        sources: [source],
        organizations: [org('org:a')],
        ownerships: [stake('own:a-b', 'org:a', 'org:b')],
      },
      '10-b.json': { organizations: [org('org:b')] },
    });
    expect((await validateFolder(folder)).issues).toEqual([
      {
        file: '00-a.json',
        section: 'ownerships',
        index: 0,
        recordId: 'own:a-b',
        field: 'owned',
        message: 'refers to "org:b", defined in the later file 10-b.json; files load in name order',
      },
    ]);
  });

  it('lists references to ids no file defines as external, each with where it is used', async () => {
    await write({
      '00-a.json': {
        sources: [source],
        organizations: [org('org:a', { headquarters: 'CN' })],
        ownerships: [stake('own:x-a', 'org:x', 'org:a')],
      },
    });
    const result = await validateFolder(folder);
    expect(result.issues).toEqual([]);
    expect(Object.fromEntries(result.external)).toEqual({
      'country:CN': [
        {
          file: '00-a.json',
          section: 'organizations',
          index: 0,
          recordId: 'org:a',
          field: 'headquarters',
          target: 'country:CN',
        },
      ],
      'org:x': [
        {
          file: '00-a.json',
          section: 'ownerships',
          index: 0,
          recordId: 'own:x-a',
          field: 'owner',
          target: 'org:x',
        },
      ],
    });
  });

  it('collects the schema issues of every file, not only the first bad one', async () => {
    await write({
      '00-a.json': { sources: [source], organizations: [org('org:a', { type: 'SHELL' })] },
      '10-b.json': '{ not json',
      '20-c.json': { organizations: [org('org:c')] },
    });
    const result = await validateFolder(folder);
    expect(result.issues.map((i) => i.file)).toEqual(['00-a.json', '10-b.json']);
    expect(result.files.map((f) => path.basename(f.file))).toEqual(['20-c.json']);
  });

  it('reports a folder with no data-set files', async () => {
    await write({ 'README.md': '# nothing here' });
    expect((await validateFolder(folder)).issues).toEqual([
      { file: folder, message: 'holds no .json data-set files' },
    ]);
  });
});
