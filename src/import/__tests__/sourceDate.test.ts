import { sourceDate } from '../sourceDate';

/** Dates as sources write them: kept as precise as given, or left out and said so. */
describe('sourceDate', () => {
  it.each([
    { name: 'a day', value: '2019-05-17', date: '2019-05-17' },
    { name: 'a month', value: '2019-05', date: '2019-05' },
    { name: 'a year', value: '2019', date: '2019' },
    { name: 'a UTC date-time, by its day', value: '2019-05-17T10:20:30Z', date: '2019-05-17' },
    {
      name: 'a date-time with an offset, by its day',
      value: '2019-05-17T10:20:30+02:00',
      date: '2019-05-17',
    },
    { name: 'a year written as a number', value: 2019, date: '2019' },
    { name: 'nothing', value: undefined, date: null },
    { name: 'an empty string', value: '', date: null },
  ])('keeps $name', ({ value, date }) => {
    expect(sourceDate(value, 7, 'startDate')).toEqual({ date });
  });

  it.each([
    { name: 'words', value: 'circa 2019' },
    { name: 'a day that does not exist', value: '2019-02-30' },
    { name: 'a thirteenth month', value: '2019-13' },
    { name: 'an object', value: { year: 2019 } },
  ])('leaves out $name, naming line, field and value', ({ value }) => {
    expect(sourceDate(value, 7, 'startDate')).toEqual({
      date: null,
      problem: {
        kind: 'rejected',
        line: 7,
        field: 'startDate',
        message: `${JSON.stringify(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out, its text kept in the note`,
      },
      noteText: `startDate given as ${JSON.stringify(value)}`,
    });
  });
});
