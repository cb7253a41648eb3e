/* eslint-disable @typescript-eslint/no-explicit-any -- each case edits a copy of a JSON file in place, as plain JSON */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSetFile } from '../../model/dataset';
import type { DataSetIssue } from '../dataSetError';
import { definedIds, listDataSetFiles, parseDataSetFile, referencesOf } from '../readDataSet';

/** A valid file with one organization and one ownership; each case breaks one thing in a copy. */
function validFile(): Record<string, any> {
  return {
    sources: [{ id: 'src:registry', url: 'https://example.org/r', publisher: 'Registry', title: 'Filing' }],
    organizations: [
      {
        id: 'org:holding',
        name: 'Holding',
        type: 'COMPANY',
        headquarters: 'CN',
        incorporation: 'KY',
        sources: ['src:registry'],
      },
      { id: 'org:lab', name: 'Lab', type: 'AI_LAB', sources: ['src:registry'] },
    ],
    ownerships: [
      {
        id: 'own:holding-lab',
        owner: 'org:holding',
        owned: 'org:lab',
        share: { exact: 30 },
        sources: ['src:registry'],
      },
    ],
    policies: [
      {
        id: 'policy:p',
        name: 'P',
        kind: 'OTHER',
        issuer: 'org:holding',
        summary: 'S',
        targets: ['CN', 'HK'],
        suspensions: [{ from: '2025-01-01', sources: ['src:registry'] }],
        sources: ['src:registry'],
      },
    ],
  };
}

function issuesOf(edit: (file: Record<string, any>) => void): DataSetIssue[] {
  const file = validFile();
  edit(file);
  const result = parseDataSetFile('/some/folder/10-example.json', JSON.stringify(file));
  if (!('issues' in result)) throw new Error('expected the file to be rejected');
  return result.issues;
}

describe('parseDataSetFile: locating each schema issue by file, section, index, id and field', () => {
  it('accepts a valid file and returns its data', () => {
    const result = parseDataSetFile('10-example.json', JSON.stringify(validFile()));
    expect('data' in result && result.data.ownerships?.[0]?.id).toBe('own:holding-lab');
  });

  const ownership = { file: '10-example.json', section: 'ownerships', index: 0, recordId: 'own:holding-lab' };

  it.each([
    {
      name: 'a share of exact 150 is out of range at share.exact',
      edit: (f: any) => (f.ownerships[0].share = { exact: 150 }),
      issue: { ...ownership, field: 'share.exact', message: 'must be between 0 and 100' },
    },
    {
      name: 'a date 2025-13-01 is not a calendar date',
      edit: (f: any) => (f.ownerships[0].startDate = '2025-13-01'),
      issue: {
        ...ownership,
        field: 'startDate',
        message: 'must be a date in the form YYYY-MM-DD, YYYY-MM (month only) or YYYY (year only)',
      },
    },
    {
      name: 'an unknown field is named as the field at fault',
      edit: (f: any) => (f.ownerships[0].colour = 'red'),
      issue: { ...ownership, field: 'colour', message: 'has unknown field(s): colour' },
    },
    {
      name: 'an unknown key inside a share is named with its path',
      edit: (f: any) => (f.ownerships[0].share = { precise: 30 }),
      issue: { ...ownership, field: 'share.precise', message: 'has unknown field(s): precise' },
    },
    {
      name: 'missing sources are reported as required, not as "received undefined"',
      edit: (f: any) => delete f.ownerships[0].sources,
      issue: { ...ownership, field: 'sources', message: 'is required (array)' },
    },
    {
      name: 'an empty sources list must cite at least one source',
      edit: (f: any) => (f.ownerships[0].sources = []),
      issue: { ...ownership, field: 'sources', message: 'must cite at least one source' },
    },
    {
      name: 'a malformed id keeps the id as written so the user can find the record',
      edit: (f: any) => (f.ownerships[0].id = 'own:Bad Id'),
      issue: {
        ...ownership,
        recordId: 'own:Bad Id',
        field: 'id',
        message: expect.stringContaining('must be an id of the form "own:slug"'),
      },
    },
    {
      name: 'an owner that is neither an organization nor a person',
      edit: (f: any) => (f.ownerships[0].owner = 'company:x'),
      issue: {
        ...ownership,
        field: 'owner',
        message: 'must be an organization ("org:…") or person ("person:…") id',
      },
    },
    {
      name: 'a nested list item is written with brackets, as references are',
      edit: (f: any) => (f.policies[0].suspensions[0].from = 'soon'),
      issue: {
        file: '10-example.json',
        section: 'policies',
        index: 0,
        recordId: 'policy:p',
        field: 'suspensions[0].from',
        message: 'must be a date in the form YYYY-MM-DD',
      },
    },
    {
      name: 'a record without an id is located by its index alone',
      edit: (f: any) => delete f.organizations[1].id,
      issue: {
        file: '10-example.json',
        section: 'organizations',
        index: 1,
        field: 'id',
        message: 'is required (string)',
      },
    },
  ])('$name', ({ edit, issue }) => {
    const issues = issuesOf(edit);
    expect(issues).toContainEqual(issue);
    expect(issues[0]).toEqual(issue);
  });

  it('reports an unknown section at file level, without a field', () => {
    expect(issuesOf((f) => (f.organisations = []))).toEqual([
      { file: '10-example.json', message: 'has unknown field(s): organisations' },
    ]);
  });

  it('reports a section that is not a list by its name', () => {
    expect(issuesOf((f) => (f.ownerships = {}))).toEqual([
      // zod names the received type by its constructor, which differs in case across realms (Jest's VM).
      {
        file: '10-example.json',
        section: 'ownerships',
        message: expect.stringMatching(/^Invalid input: expected array, received object$/i),
      },
    ]);
  });

  it('reports every issue of a file, not just the first', () => {
    const issues = issuesOf((f) => {
      f.ownerships[0].share = { exact: 150 };
      f.organizations[1].type = 'SHELL';
    });
    expect(issues.map((i) => `${i.section}[${i.index}].${i.field}`).sort()).toEqual([
      'organizations[1].type',
      'ownerships[0].share.exact',
    ]);
  });

  it('reports invalid JSON with the file name and the parser reason', () => {
    const result = parseDataSetFile('/x/10-broken.json', '{ "sources": [ }');
    expect(result).toEqual({
      issues: [{ file: '10-broken.json', message: expect.stringMatching(/^is not valid JSON: /) }],
    });
  });
});

describe('referencesOf: every id a file points to, with where it points from', () => {
  const data = (() => {
    const result = parseDataSetFile('10-example.json', JSON.stringify(validFile()));
    if (!('data' in result)) throw new Error('fixture is invalid');
    return result.data;
  })();
  const refs = referencesOf(data);

  it('turns country codes in headquarters and incorporation into country ids', () => {
    expect(refs).toContainEqual({
      section: 'organizations',
      index: 0,
      recordId: 'org:holding',
      field: 'headquarters',
      target: 'country:CN',
    });
    expect(refs).toContainEqual({
      section: 'organizations',
      index: 0,
      recordId: 'org:holding',
      field: 'incorporation',
      target: 'country:KY',
    });
  });

  it("turns each country code in a policy's targets into a country id", () => {
    expect(
      refs
        .filter((r) => r.section === 'policies' && r.field.startsWith('targets'))
        .map((r) => [r.field, r.target]),
    ).toEqual([
      ['targets[0]', 'country:CN'],
      ['targets[1]', 'country:HK'],
    ]);
  });

  it('finds party ids and source ids, including sources nested in suspensions', () => {
    expect(refs).toContainEqual({
      section: 'ownerships',
      index: 0,
      recordId: 'own:holding-lab',
      field: 'owner',
      target: 'org:holding',
    });
    expect(refs).toContainEqual({
      section: 'ownerships',
      index: 0,
      recordId: 'own:holding-lab',
      field: 'sources[0]',
      target: 'src:registry',
    });
    expect(refs).toContainEqual({
      section: 'policies',
      index: 0,
      recordId: 'policy:p',
      field: 'suspensions[0].sources[0]',
      target: 'src:registry',
    });
  });

  it("does not count a record's own id, a URL or a code outside a country field as a reference", () => {
    expect(refs.map((r) => r.target)).not.toContain('own:holding-lab');
    expect(refs.some((r) => r.field === 'id' || r.field === 'url')).toBe(false);
    const withAlias = { organizations: [{ ...data.organizations![1]!, aliases: ['US'] }] } as DataSetFile;
    expect(referencesOf(withAlias).map((r) => r.target)).toEqual(['src:registry']);
  });

  it('does not mistake free text that starts like an id for a reference', () => {
    const noted = {
      ownerships: [{ ...data.ownerships![0]!, note: 'org: see the 2024 filing for the figure' }],
    } as DataSetFile;
    expect(referencesOf(noted).some((r) => r.field === 'note')).toBe(false);
  });

  it('lists the ids a file defines in section order, repeats included', () => {
    const twice = {
      ...data,
      organizations: [...data.organizations!, data.organizations![0]!],
    } as DataSetFile;
    expect(definedIds(twice)).toEqual([
      'src:registry',
      'org:holding',
      'org:lab',
      'org:holding',
      'policy:p',
      'own:holding-lab',
    ]);
  });
});

describe('listDataSetFiles: the files of a folder and their load order', () => {
  it('lists only .json files, in name order', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'seed-list-'));
    try {
      for (const name of ['20-b.json', 'README.md', '00-a.json', '10-c.json.bak'])
        await fs.writeFile(path.join(folder, name), '{}');
      await fs.mkdir(path.join(folder, '05-dir.json'));
      expect((await listDataSetFiles(folder)).map((f) => path.basename(f))).toEqual([
        '00-a.json',
        '20-b.json',
      ]);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
