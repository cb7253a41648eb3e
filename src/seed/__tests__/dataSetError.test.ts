import { DataSetError, formatIssue } from '../dataSetError';

describe('formatIssue: one line that locates a problem and says what is wrong', () => {
  it.each([
    {
      name: 'names file, section and index, id, field and reason in that order',
      issue: {
        file: '10-a.json',
        section: 'ownerships',
        index: 2,
        recordId: 'own:x',
        field: 'share.exact',
        message: 'must be between 0 and 100',
      },
      line: '10-a.json, ownerships[2], id "own:x", field "share.exact": must be between 0 and 100',
    },
    {
      name: 'names a section without an index when the section itself is wrong',
      issue: {
        file: '10-a.json',
        section: 'ownerships',
        message: 'Invalid input: expected array, received object',
      },
      line: '10-a.json, ownerships: Invalid input: expected array, received object',
    },
    {
      name: 'locates a record without an id by its index',
      issue: {
        file: '10-a.json',
        section: 'organizations',
        index: 0,
        field: 'id',
        message: 'is required (string)',
      },
      line: '10-a.json, organizations[0], field "id": is required (string)',
    },
    {
      name: 'names just the file for a file-level problem',
      issue: { file: '10-a.json', message: 'is not valid JSON: Unexpected end' },
      line: '10-a.json: is not valid JSON: Unexpected end',
    },
    {
      name: 'keeps index 0, which is falsy but a real position',
      issue: { file: 'f.json', section: 'models', index: 0, message: 'm' },
      line: 'f.json, models[0]: m',
    },
  ])('$name', ({ issue, line }) => {
    expect(formatIssue(issue)).toBe(line);
  });
});

describe('DataSetError: the rejection the loader throws', () => {
  it('carries the issues and lists each one formatted in its message', () => {
    const issues = [
      { file: 'a.json', message: 'one' },
      {
        file: 'b.json',
        section: 'models',
        index: 1,
        recordId: 'model:m',
        field: 'developer',
        message: 'two',
      },
    ];
    const error = new DataSetError(issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DataSetError');
    expect(error.issues).toEqual(issues);
    expect(error.message).toBe(
      '2 problem(s) in the data set:\n  a.json: one\n  b.json, models[1], id "model:m", field "developer": two',
    );
  });

  it('shows the first 20 issues and counts the rest, so a broken folder stays readable', () => {
    const error = new DataSetError(
      Array.from({ length: 23 }, (_, i) => ({ file: 'a.json', message: `problem ${i}` })),
    );
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('23 problem(s) in the data set:');
    expect(lines).toHaveLength(22);
    expect(lines[20]).toBe('  a.json: problem 19');
    expect(lines[21]).toBe('  … and 3 more');
  });
});
