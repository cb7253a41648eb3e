import { baseGraph, useWriteHarness } from './support/writeHarness';

/**
 * Issue 12 through GraphQL against the real embedded Neo4j: who may write, sources required, invalid input
 * refused whole with every problem named, dry runs, optimistic concurrency, and the audit trail.
 */

const h = useWriteHarness();

const RESULT = `written dryRun created updated unchanged retracted recordIds
  changeSet { id author { id name } reason sources { id } recordIds }
  problems { path section index recordId field message }`;

async function countAll(): Promise<{ records: number; rels: number; versions: number; changes: number }> {
  const [row] = await h.db.readRows<{ records: number; rels: number; versions: number; changes: number }>(
    `CALL () { MATCH (n:Record) RETURN count(n) AS records }
     CALL () { MATCH (:Record)-[r]->(:Record) RETURN count(r) AS rels }
     CALL () { MATCH (v:RecordVersion) RETURN count(v) AS versions }
     CALL () { MATCH (c:ChangeSet) RETURN count(c) AS changes }
     RETURN records, rels, versions, changes`,
  );
  return row!;
}

const APPLY = `mutation($input: JSONObject!, $dryRun: Boolean) {
  applyDataSet(input: $input, reason: "test batch", dryRun: $dryRun) { ${RESULT} } }`;

describe('Writes: who may write', () => {
  const p = 'roles';
  beforeAll(() => h.load(baseGraph(p)));
  const own = `own:${p}-parent-sub`;
  const src = `src:${p}-filing`;
  // Every mutation, as a dry run: the role guard answers before anything is validated or written.
  const mutations: Array<[string, string, Record<string, unknown>]> = [
    ['applyDataSet', APPLY, { input: { organizations: [] }, dryRun: true }],
    [
      'createRecord',
      `mutation($r: JSONObject!) { createRecord(kind: ORGANIZATION, record: $r, reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      { r: { id: `org:${p}-new`, name: 'New', type: 'COMPANY' } },
    ],
    [
      'updateRecord',
      `mutation { updateRecord(id: "org:${p}-sub", changes: {name: "Renamed"}, reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'retractRecord',
      `mutation { retractRecord(id: "${own}", reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'recordStake',
      `mutation { recordStake(input: {id: "own:${p}-new", owner: "org:${p}-issuer", owned: "org:${p}-sub", share: {exact: 5}, startDate: "2024-01-01"}, reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'endStake',
      `mutation { endStake(id: "${own}", endDate: "2025-01-01", reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'correctShare',
      `mutation { correctShare(id: "${own}", share: {exact: 40}, reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'addAlias',
      `mutation { addAlias(id: "org:${p}-sub", alias: "Subco", reason: "r", sources: ["${src}"], dryRun: true) { written } }`,
      {},
    ],
    [
      'addSource',
      `mutation { addSource(source: {id: "src:${p}-other", url: "https://example.org/o", publisher: "P", title: "T"}, reason: "r", dryRun: true) { written } }`,
      {},
    ],
  ];

  it.each(mutations)(
    '%s: anonymous is UNAUTHENTICATED, reader FORBIDDEN, editor and admin allowed',
    async (name, query, vars) => {
      const anonymous = await h.as('anonymous', query, vars);
      expect(anonymous.errors?.[0]).toMatchObject({
        extensions: { code: 'UNAUTHENTICATED', requiredRole: 'editor' },
        message: expect.stringContaining(`${name} needs the editor role`),
      });
      const reader = await h.as('reader', query, vars);
      expect(reader.errors?.[0]).toMatchObject({
        extensions: { code: 'FORBIDDEN', requiredRole: 'editor', role: 'reader' },
      });
      for (const who of ['editor', 'admin'] as const) {
        const allowed = await h.as(who, query, vars);
        expect(allowed.errors).toBeUndefined();
        expect(allowed.data[name]).toMatchObject({ written: false });
      }
    },
  );

  it('lets only an admin change countries, the reference data every record points at', async () => {
    const input = { countries: [{ id: 'country:FR', code: 'FR', name: 'France', sources: [src] }] };
    const editor = await h.as('editor', APPLY, { input, dryRun: true });
    expect(editor.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'admin' });
    const admin = await h.as('admin', APPLY, { input, dryRun: true });
    expect(admin.data.applyDataSet).toMatchObject({ written: false, dryRun: true, created: 1, problems: [] });
  });
});

describe('Writes: refused input writes nothing', () => {
  const p = 'refused';
  const src = `src:${p}-filing`;
  beforeAll(() => h.load(baseGraph(p)));

  it('refuses a fact without a source, naming the field', async () => {
    const before = await countAll();
    const record = { id: `org:${p}-unsourced`, name: 'Unsourced', type: 'COMPANY' };
    const { data } = await h.as(
      'editor',
      `mutation($r: JSONObject!) { createRecord(kind: ORGANIZATION, record: $r, reason: "no source") { ${RESULT} } }`,
      { r: record },
    );
    expect(data.createRecord).toMatchObject({ written: false, changeSet: null });
    expect(data.createRecord.problems).toEqual([
      expect.objectContaining({
        path: 'organizations[0].sources',
        recordId: `org:${p}-unsourced`,
        field: 'sources',
      }),
    ]);
    const retract = await h.as(
      'editor',
      `mutation { retractRecord(id: "own:${p}-parent-sub", reason: "wrong") { ${RESULT} } }`,
    );
    expect(retract.data.retractRecord.problems).toEqual([
      expect.objectContaining({
        field: 'sources',
        message: 'every write cites at least one source; none was given',
      }),
    ]);
    const unknownSource = await h.as(
      'editor',
      `mutation { endStake(id: "own:${p}-parent-sub", endDate: "2025-01-01", reason: "r", sources: ["src:${p}-nowhere"]) { ${RESULT} } }`,
    );
    expect(unknownSource.data.endStake.written).toBe(false);
    expect(unknownSource.data.endStake.problems.map((x: { message: string }) => x.message)).toContainEqual(
      expect.stringContaining(`src:${p}-nowhere`),
    );
    expect(await countAll()).toEqual(before);
  });

  it('refuses a batch with a share of 150, an end before its start, an unknown reference and an unknown field, naming each, and writes none of it', async () => {
    const before = await countAll();
    const stake = (id: string, extra: Record<string, unknown>) => ({
      id: `own:${p}-${id}`,
      owner: `org:${p}-issuer`,
      owned: `org:${p}-sub`,
      share: { exact: 10 },
      sources: [src],
      ...extra,
    });
    const input = {
      organizations: [{ id: `org:${p}-good`, name: 'Good', type: 'COMPANY', sources: [src] }],
      ownerships: [
        stake('good', { owned: `org:${p}-good` }),
        stake('too-much', { share: { exact: 150 } }),
        stake('backwards', { startDate: '2024-05-01', endDate: '2024-01-01' }),
        stake('typo', { sharez: 3 }),
      ],
    };
    const { data } = await h.as('editor', APPLY, { input });
    expect(data.applyDataSet).toMatchObject({ written: false, created: 0, recordIds: [], changeSet: null });
    expect(
      data.applyDataSet.problems.map((x: { path: string; recordId: string }) => [x.path, x.recordId]),
    ).toEqual([
      ['ownerships[1].share.exact', `own:${p}-too-much`],
      ['ownerships[2].endDate', `own:${p}-backwards`],
      ['ownerships[3].sharez', `own:${p}-typo`],
    ]);
    // Schema problems first; with them fixed, the unknown reference is named too.
    const dangling = await h.as('editor', APPLY, {
      input: { ...input, ownerships: [stake('dangling', { owner: `org:${p}-nobody` })] },
    });
    expect(dangling.data.applyDataSet.problems).toEqual([
      expect.objectContaining({
        path: 'ownerships[0].owner',
        field: 'owner',
        message: expect.stringContaining(`org:${p}-nobody`),
      }),
    ]);
    expect(await countAll()).toEqual(before);
  });

  it('validates against the database on a dry run, reports what it would do, and writes nothing', async () => {
    const before = await countAll();
    const input = { organizations: [{ id: `org:${p}-dry`, name: 'Dry', type: 'COMPANY', sources: [src] }] };
    const { data } = await h.as('editor', APPLY, { input, dryRun: true });
    expect(data.applyDataSet).toMatchObject({
      written: false,
      dryRun: true,
      created: 1,
      recordIds: [`org:${p}-dry`],
      changeSet: null,
      problems: [],
    });
    expect(await countAll()).toEqual(before);
  });
});

describe('Writes: audit trail and concurrency', () => {
  const p = 'audit';
  const own = `own:${p}-parent-sub`;
  const src = `src:${p}-filing`;
  beforeAll(() => h.load(baseGraph(p)));

  it('records who wrote what, when, why and citing which sources, as a change set', async () => {
    const { data } = await h.as(
      'editor',
      `mutation { addAlias(id: "org:${p}-sub", alias: "${p} Subco", reason: "Named so in the 2024 annual report",
        newSources: [{id: "src:${p}-annual-2024", url: "https://example.org/ar", publisher: "Sub", title: "Annual report 2024"}]) { ${RESULT} } }`,
    );
    expect(data.addAlias).toMatchObject({
      written: true,
      created: 1,
      updated: 1,
      recordIds: [`src:${p}-annual-2024`, `org:${p}-sub`],
      changeSet: {
        author: { id: 'key:test-editor', name: 'Test editor' },
        reason: 'Named so in the 2024 annual report',
        sources: expect.arrayContaining([{ id: `src:${p}-annual-2024` }]),
      },
    });
    const changes = await h.as(
      'reader',
      `{ changes(entity: "org:${p}-sub", author: "key:test-editor") { id reason recordIds author { id } } }`,
    );
    expect(changes.data.changes).toEqual([
      {
        id: data.addAlias.changeSet.id,
        reason: 'Named so in the 2024 annual report',
        recordIds: [`src:${p}-annual-2024`, `org:${p}-sub`],
        author: { id: 'key:test-editor' },
      },
    ]);
    const org = await h.as('reader', `{ organization(id: "org:${p}-sub") { aliases sources { id } } }`);
    expect(org.data.organization).toEqual({
      aliases: [`${p} Subco`],
      sources: [{ id: src }, { id: `src:${p}-annual-2024` }],
    });
  });

  it('gives one of two concurrent edits of the same version success and the other CONFLICT', async () => {
    const history = await h.as('reader', `{ history(id: "${own}") { version } }`);
    const version = history.data.history.at(-1).version as number;
    const edit = (share: number) =>
      h.as(
        'editor',
        `mutation { correctShare(id: "${own}", share: {exact: ${share}}, expectedVersion: ${version}, reason: "r${share}", sources: ["${src}"]) { written } }`,
      );
    const answers = await Promise.all([edit(61), edit(62)]);
    const written = answers.filter((a) => a.data?.correctShare?.written === true);
    const conflicts = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(written).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.errors![0]).toMatchObject({
      message: expect.stringContaining(`"${own}" is at version ${version + 1}, not the expected ${version}`),
      extensions: { recordId: own, expectedVersion: version, foundVersion: version + 1 },
    });
  });
});

describe('Writes: a batch locks only the records it changes', () => {
  const p = 'locks';
  const graph = baseGraph(p);
  beforeAll(() => h.load(graph));
  const [issuer, , sub] = graph.organizations!;
  const stake = graph.ownerships![0]!;

  /** Holds the write lock of `id` in an open transaction until `release` is called. */
  async function holdLock(id: string): Promise<{ release(): void; done: Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const done = h.db.write(async (query) => {
      await query('MATCH (n:Record {id: $id}) SET n._writeLock = true REMOVE n._writeLock', { id });
      locked();
      await released;
    });
    await isLocked;
    return { release, done };
  }

  it('resends a record unchanged without waiting for another write that holds it', async () => {
    const held = await holdLock(sub!.id);
    try {
      const renamed = { ...issuer!, name: `${p} Issuer Renamed` };
      const write = h.as('editor', APPLY, { input: { organizations: [sub, renamed] } });
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 10_000).unref());
      const answer = await Promise.race([write, waited]);
      expect(answer).not.toBe('waited');
      expect((answer as Awaited<typeof write>).data.applyDataSet).toMatchObject({
        written: true,
        updated: 1,
        unchanged: 1,
        recordIds: [issuer!.id],
      });
    } finally {
      held.release();
      await held.done;
    }
  });

  it('gives one of two concurrent batches changing the same version success and the other CONFLICT', async () => {
    const history = await h.as('reader', `{ history(id: "${stake.id}") { version } }`);
    const version = history.data.history.at(-1).version as number;
    const send = (share: number) =>
      h.as(
        'editor',
        `mutation($input: JSONObject!, $expected: [ExpectedVersion!]) {
        applyDataSet(input: $input, reason: "r", expectedVersions: $expected) { written } }`,
        {
          input: { ownerships: [{ ...stake, share: { exact: share } }] },
          expected: [{ id: stake.id, version }],
        },
      );
    const answers = await Promise.all([send(71), send(72)]);
    expect(answers.filter((a) => a.data?.applyDataSet?.written === true)).toHaveLength(1);
    const conflicts = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.errors![0]!.extensions).toMatchObject({
      recordId: stake.id,
      expectedVersion: version,
      foundVersion: version + 1,
    });
  });
});
