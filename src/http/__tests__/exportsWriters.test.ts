import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { csvWriter, jsonWriter, neutraliseFormula } from '../exportsWriters';

/** A client that takes one chunk per millisecond: much slower than the writer can produce. */
function slowClient() {
  const chunks: Buffer[] = [];
  let received = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      setTimeout(() => {
        received += chunk.length;
        done();
      }, 1);
    },
  });
  return {
    res: sink as unknown as ServerResponse,
    text: () => Buffer.concat(chunks).toString('utf8'),
    received: () => received,
  };
}

describe('Export writers', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+33 1 23', "'+33 1 23"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['ByteDance Ltd.', 'ByteDance Ltd.'],
    ['a=b', 'a=b'],
  ])('writes %j as %j', (cell, written) => {
    expect(neutraliseFormula(cell)).toBe(written);
  });

  it('writes CSV that parses back to the rows, with the meta columns on each, and waits for a slow client', async () => {
    const client = slowClient();
    const writer = csvWriter(
      client.res,
      ['id', 'name', 'share'],
      { asOf: '2026-06-01', graphVersion: 7 },
      new AbortController().signal,
    );
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: `org:${i}`,
      name: i % 50 === 0 ? '=1+1' : `Name, "${i}"`,
      share: i / 3,
    }));
    // How far the writer ran ahead of the client: the rows' bytes written so far, less what the client took.
    let producedBytes = 0;
    let aheadBytes = 0;
    for (const row of rows) {
      await writer.row(row);
      producedBytes += `${row.id},"${row.name}",${row.share},2026-06-01,7\n`.length;
      aheadBytes = Math.max(aheadBytes, producedBytes - client.received());
    }
    await writer.end();
    // About 100 kB in all; without waiting for the client the writer would be all of it ahead.
    expect(producedBytes).toBeGreaterThan(80_000);
    expect(aheadBytes).toBeLessThan(40_000);
    const parsed = parse<Record<string, string>>(client.text(), { bom: true, columns: true });
    expect(parsed).toEqual(
      rows.map((r) => ({
        id: r.id,
        name: r.name.startsWith('=') ? `'${r.name}` : r.name,
        share: String(r.share),
        asOf: '2026-06-01',
        graphVersion: '7',
      })),
    );
  });

  it('writes JSON as one object: the export first, the rows, then the trailer', async () => {
    const client = slowClient();
    const writer = jsonWriter(client.res, { policy: 'policy:x' }, new AbortController().signal);
    await writer.row({ id: 'a', nested: { n: 1 } });
    await writer.row({ id: 'b' });
    await writer.end({ totalCount: 2 });
    expect(JSON.parse(client.text())).toEqual({
      export: { policy: 'policy:x' },
      rows: [{ id: 'a', nested: { n: 1 } }, { id: 'b' }],
      totalCount: 2,
    });
  });

  it('writes an empty CSV export as its header line', async () => {
    const client = slowClient();
    const writer = csvWriter(client.res, ['id'], { asOf: '2026-06-01' }, new AbortController().signal);
    await writer.end();
    expect(client.text()).toBe('\ufeffid,asOf\n');
  });
});
