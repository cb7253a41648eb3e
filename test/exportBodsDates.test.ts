import path from 'node:path';
import { fullFormats } from 'ajv-formats/dist/formats';
import { bodsReader } from '../src/import/bods';
import { runImport } from '../src/import/runImport';
import { writeBatch } from '../src/import/writeBatch';
import { testDatabase } from './support/database';
import { exportTo, jsonLines, orchardGroup, tempDir } from './support/exportRuns';
import { policiesOnly } from './support/imports';
import { SEEDING_TIMEOUT_MS } from './support/seededApp';

/**
 * Issue 13, exports: our BODS 0.4 export writes every date in a form the published schema accepts. The rules
 * below are read from github.com/openownership/data-standard at tag 0.4.0 (the files named beside each); the
 * formats `date` and `date-time` are checked by ajv-formats, the implementation JSON Schema validators use
 * (RFC 3339 full-date and date-time). Partial dates of ours are rounded to the first day of the (first) month,
 * as those fields' descriptions allow, the rounding noted in an annotation that the importer reads back.
 */

type Json = Record<string, unknown>;

const isFormat = (name: 'date' | 'date-time') => {
  const format = fullFormats[name] as { validate: (text: string) => boolean };
  return (value: unknown) => typeof value === 'string' && format.validate(value);
};
const date = isFormat('date');
const dateTime = isFormat('date-time');
const dateOrDateTime = (value: unknown) => date(value) || dateTime(value);
/** person-record.json birthDate and deathDate: anyOf a pattern of year or year-month, or format date. */
const yearMonthOrDate = (value: unknown) =>
  (typeof value === 'string' && /^(\d{4})(-(1[0-2]|0[1-9]))?$/.test(value)) || date(value);

const details = (s: Json) => (s.recordDetails ?? {}) as Json;
const interests = (s: Json) => ((details(s).interests as Json[] | undefined) ?? []).map((i, n) => ({ i, n }));
const annotations = (s: Json) => (s.annotations as Json[] | undefined) ?? [];

/** Each date field of a 0.4 statement: the schema file and path that rule it, where it sits, what it accepts. */
const RULES: Array<{
  rule: string;
  values: (s: Json) => Array<[string, unknown]>;
  accepts: (value: unknown) => boolean;
  required?: boolean;
}> = [
  {
    rule: 'statement.json $defs/Statement/properties/statementDate: anyOf format date, format date-time',
    values: (s) => [['/statementDate', s.statementDate]],
    accepts: dateOrDateTime,
    required: true,
  },
  {
    rule: 'statement.json $defs/Statement/properties/publicationDetails/properties/publicationDate (required): anyOf date, date-time',
    values: (s) => [['/publicationDetails/publicationDate', (s.publicationDetails as Json).publicationDate]],
    accepts: dateOrDateTime,
    required: true,
  },
  {
    rule: 'statement.json $defs/Annotation/properties/creationDate: anyOf format date, format date-time',
    values: (s) => annotations(s).map((a, n) => [`/annotations/${n}/creationDate`, a.creationDate]),
    accepts: dateOrDateTime,
  },
  {
    rule: 'entity-record.json properties/foundingDate: format date',
    values: (s) => [['/recordDetails/foundingDate', details(s).foundingDate]],
    accepts: date,
  },
  {
    rule: 'entity-record.json properties/dissolutionDate: format date',
    values: (s) => [['/recordDetails/dissolutionDate', details(s).dissolutionDate]],
    accepts: date,
  },
  {
    rule: 'entity-record.json properties/formedByStatute/properties/date: format date',
    values: (s) => [['/recordDetails/formedByStatute/date', (details(s).formedByStatute as Json)?.date]],
    accepts: date,
  },
  {
    rule: 'person-record.json properties/birthDate: anyOf pattern ^(\\d{4})(-(1[0-2]|0[1-9]))?$, format date',
    values: (s) => [['/recordDetails/birthDate', details(s).birthDate]],
    accepts: yearMonthOrDate,
  },
  {
    rule: 'person-record.json properties/deathDate: anyOf pattern ^(\\d{4})(-(1[0-2]|0[1-9]))?$, format date',
    values: (s) => [['/recordDetails/deathDate', details(s).deathDate]],
    accepts: yearMonthOrDate,
  },
  {
    rule: 'relationship-record.json $defs/Interest/properties/startDate: format date',
    values: (s) => interests(s).map(({ i, n }) => [`/recordDetails/interests/${n}/startDate`, i.startDate]),
    accepts: date,
  },
  {
    rule: 'relationship-record.json $defs/Interest/properties/endDate: format date',
    values: (s) => interests(s).map(({ i, n }) => [`/recordDetails/interests/${n}/endDate`, i.endDate]),
    accepts: date,
  },
];

/** RFC 6901: the value a JSON Pointer names in a statement. */
function at(statement: Json, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((value, key) => (value as Json | undefined)?.[key], statement);
}

const db = testDatabase();
afterAll(() => db.close());

describe('BODS 0.4 export: dates as the published schema takes them', () => {
  let statements: Json[] = [];
  let file = '';
  beforeAll(async () => {
    await orchardGroup(db);
    // An earlier stake ended in a month known to the month only: a partial end date (the fixture has none).
    await writeBatch(db, 'partial end', {
      ownerships: [
        {
          id: 'own:orchard-lin-sg-earlier',
          owner: 'person:orchard-lin',
          owned: 'org:orchard-sg',
          share: { exact: 5 },
          startDate: '2018',
          endDate: '2020-11',
          sources: ['src:orchard-registry'],
        },
      ],
    });
    file = path.join(tempDir('bods-dates'), 'orchard.bods.jsonl');
    await exportTo(db, file, { format: 'bods' });
    statements = jsonLines(file);
  }, SEEDING_TIMEOUT_MS);

  it.each(RULES)('$rule', ({ values, accepts, required }) => {
    const refused = statements.flatMap((s) =>
      values(s)
        .filter(([, value]) => (value === undefined ? required === true : !accepts(value)))
        .map(([pointer, value]) => ({ recordId: s.recordId, pointer, value })),
    );
    expect(refused).toEqual([]);
  });

  it('rounds a partial date to the first day of its (first) month and notes it in an annotation', () => {
    // The Orchard fixture: Orchard AI UK founded "2021-05", Orchard Analytics "2019", a stake from "2021-03".
    const rounded = statements.flatMap((s) =>
      annotations(s).map((a) => ({
        value: at(s, a.statementPointerTarget as string),
        motivation: a.motivation,
        transformedContent: a.transformedContent,
        partialDate: a.partialDate,
      })),
    );
    expect(rounded).toEqual(
      expect.arrayContaining([
        {
          value: '2021-05-01',
          motivation: 'transformation',
          transformedContent: '2021-05-01',
          partialDate: '2021-05',
        },
        {
          value: '2019-01-01',
          motivation: 'transformation',
          transformedContent: '2019-01-01',
          partialDate: '2019',
        },
        {
          value: '2021-03-01',
          motivation: 'transformation',
          transformedContent: '2021-03-01',
          partialDate: '2021-03',
        },
        {
          value: '2020-11-01',
          motivation: 'transformation',
          transformedContent: '2020-11-01',
          partialDate: '2020-11',
        },
      ]),
    );
    // statement.json $defs/Annotation: statementPointerTarget and motivation required, motivation of its codelist.
    for (const a of statements.flatMap(annotations)) {
      expect(a).toEqual(
        expect.objectContaining({
          statementPointerTarget: expect.stringMatching(/^\//),
          motivation: 'transformation',
        }),
      );
    }
  });

  it('imports the rounded dates back as the partial dates they were', async () => {
    await policiesOnly(db);
    const report = await runImport(db, {
      file,
      format: 'bods',
      reader: bodsReader(),
      source: {
        dataset: 'orchard-bods',
        version: '2026-11-30',
        url: 'https://example.org/o',
        publisher: 'Test',
      },
    });
    expect(report).toMatchObject({ rejected: 0 });
    const founded = await db.readRows<{ name: string; founded: string; precision: string | null }>(
      `MATCH (o:Organization) WHERE o.name IN ['Orchard AI UK Limited', 'Orchard Analytics (Singapore) Pte. Ltd.']
       RETURN o.name AS name, o.founded AS founded, o.foundedPrecision AS precision ORDER BY name`,
    );
    expect(founded).toEqual([
      { name: 'Orchard AI UK Limited', founded: '2021-05-01', precision: 'MONTH' },
      { name: 'Orchard Analytics (Singapore) Pte. Ltd.', founded: '2019-01-01', precision: 'YEAR' },
    ]);
    const ended = await db.readRows<Record<string, unknown>>(
      `MATCH (:Person {name: 'Lin Mei'})-[r:OWNS]->(:Organization {name: 'Orchard Analytics (Singapore) Pte. Ltd.'})
       WHERE r.shareExact = 5
       RETURN r.startDate AS start, r.startDatePrecision AS startPrecision, r.endDate AS end,
              r.endDatePrecision AS endPrecision`,
    );
    // Stored as the widest days the partial dates allow, their precision beside them (as before the export).
    expect(ended).toEqual([
      { start: '2018-01-01', startPrecision: 'YEAR', end: '2020-11-30', endPrecision: 'MONTH' },
    ]);
  });

  it('reads a full date no annotation explains as the day it says', () => {
    const reader = bodsReader();
    const entity = (annotations: Json[]) =>
      JSON.stringify({
        statementId: 's1',
        statementDate: '2026-01-01',
        recordId: 'e1',
        recordType: 'entity',
        recordDetails: {
          isComponent: false,
          entityType: { type: 'registeredEntity' },
          name: 'E',
          foundingDate: '2021-05-01',
        },
        annotations,
      });
    const foundedOf = (line: string) => (reader.read(line, 1)[0] as { fields: Json }).fields.founded;
    expect(foundedOf(entity([]))).toBe('2021-05-01');
    const note = { statementPointerTarget: '/recordDetails/foundingDate', motivation: 'transformation' };
    expect(foundedOf(entity([{ ...note, partialDate: '2021-05' }]))).toBe('2021-05');
    // A statement whose date was edited since the rounding keeps the day it now says.
    expect(foundedOf(entity([{ ...note, partialDate: '2020-05' }]))).toBe('2021-05-01');
  });
});
