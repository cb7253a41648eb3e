import type { NodeRow } from '../../records/rows';
import type { IncomingParty } from '../incoming';
import { resolveParty, type Evidence, type Resolution } from '../resolution';

const org = (id: string, name: string, hq?: string, aliases?: string[]): NodeRow => ({
  id,
  _label: 'Organization',
  name,
  ...(hq ? { headquarters: hq, incorporation: hq } : {}),
  ...(aliases ? { aliases } : {}),
  sourceIds: ['src:x'],
});

const incoming = (name: string, country?: string): IncomingParty => ({
  kind: 'party',
  line: 1,
  localId: 'x',
  label: 'Organization',
  name,
  identifiers: [],
  fields: country ? { incorporation: country } : {},
});

const none: Evidence = { own: null, byIdentifier: [], byName: [] };

const LEI_KEY = 'LEI:5299000KAMAROBOT0195';
/** A party of an FtM import holding an LEI, and records holding it that cite (or do not cite) the import. */
const holder = (id: string, identifiers: string[], sourceIds = ['src:import']): NodeRow => ({
  ...org(id, 'Twin'),
  identifiers,
  sourceIds,
});
const twin = (localId: string): IncomingParty => ({
  ...incoming('Twin B', 'RU'),
  localId,
  identifiers: [
    { scheme: 'OPENSANCTIONS', value: localId },
    { scheme: 'LEI', value: '5299000KAMAROBOT0195' },
  ],
});
const importing = (localId: string, extra: Partial<NonNullable<Evidence['importing']>> = {}) => ({
  sourceId: 'src:import',
  derivedId: `org:ftm-${localId}`,
  derivedPrefixes: ['org:ftm-', 'person:ftm-'],
  refKey: `OPENSANCTIONS:${localId}`,
  ...extra,
});

const cases: Array<{ name: string; party: IncomingParty; evidence: Evidence; expected: Resolution }> = [
  {
    name: 'takes the record this import made before (a rerun), whatever else matches',
    party: incoming('Acme', 'RU'),
    evidence: { own: org('org:ftm-x', 'Acme'), byIdentifier: [org('org:acme', 'Acme')], byName: [] },
    expected: { status: 'OWN', id: 'org:ftm-x' },
  },
  {
    name: 'merges into the one record holding its identifier, whatever its name',
    party: incoming('Totally Different', 'RU'),
    evidence: { ...none, byIdentifier: [org('org:acme', 'Acme'), org('org:acme', 'Acme')] },
    expected: { status: 'MATCHED', id: 'org:acme', by: 'identifier' },
  },
  {
    name: 'never merges when its identifiers name two records',
    party: incoming('Acme', 'RU'),
    evidence: { ...none, byIdentifier: [org('org:b', 'Acme'), org('org:a', 'Acme')] },
    expected: {
      status: 'AMBIGUOUS',
      candidates: ['org:a', 'org:b'],
      reason: 'its identifiers are held by 2 different records',
    },
  },
  {
    name: 'merges the same name (legal form aside) in the same country',
    party: incoming('Kazan Drones', 'RU'),
    evidence: { ...none, byName: [org('org:kd', 'Kazan Drones JSC', 'RU')] },
    expected: { status: 'MATCHED', id: 'org:kd', by: 'name and country' },
  },
  {
    name: 'creates a new record for the same name in another country',
    party: incoming('Kazan Drones Inc.', 'US'),
    evidence: { ...none, byName: [org('org:kd', 'Kazan Drones JSC', 'RU')] },
    expected: { status: 'NEW' },
  },
  {
    name: 'asks for review when the same name has no country to confirm it',
    party: incoming('Kazan Drones'),
    evidence: { ...none, byName: [org('org:kd', 'Kazan Drones JSC', 'RU')] },
    expected: {
      status: 'AMBIGUOUS',
      candidates: ['org:kd'],
      reason: 'a record has this name but its country is unknown or not confirmed',
    },
  },
  {
    name: 'asks for review when two records share the name and country',
    party: incoming('Kama Robotics', 'RU'),
    evidence: {
      ...none,
      byName: [org('org:b', 'Kama Robotics JSC', 'RU'), org('org:a', 'Kama Robotics LLC', 'RU')],
    },
    expected: {
      status: 'AMBIGUOUS',
      candidates: ['org:a', 'org:b'],
      reason: '2 records have this name and country',
    },
  },
  {
    name: 'asks for review of a near miss rather than merging it',
    party: incoming('Bytedanse', 'CN'),
    evidence: { ...none, byName: [org('org:bytedance', 'ByteDance Ltd.', 'CN')] },
    expected: {
      status: 'AMBIGUOUS',
      candidates: ['org:bytedance'],
      reason: 'records have a similar name but not the same one',
    },
  },
  {
    name: 'creates a new record when no candidate scores as a match',
    party: incoming('Holdings Ltd', 'CN'),
    evidence: { ...none, byName: [org('org:tencent', 'Tencent Holdings Ltd.', 'CN')] },
    expected: { status: 'NEW' },
  },
  {
    name: 'refuses an identifier that another entity of the same import gave to the record it wrote',
    party: twin('b'),
    evidence: {
      ...none,
      byIdentifier: [holder('org:ftm-a', ['OPENSANCTIONS:a', LEI_KEY])],
      importing: importing('b'),
    },
    expected: { status: 'DUPLICATE', id: 'org:ftm-a', key: LEI_KEY },
  },
  {
    name: 'refuses an identifier held by a record another entity of the same import was merged into',
    party: twin('b'),
    evidence: {
      ...none,
      byIdentifier: [holder('org:kama', ['OPENSANCTIONS:a', LEI_KEY])],
      importing: importing('b'),
    },
    expected: { status: 'DUPLICATE', id: 'org:kama', key: LEI_KEY },
  },
  {
    name: 'merges again into the record it was merged into before (its reference key is there: a rerun)',
    party: twin('b'),
    evidence: {
      ...none,
      byIdentifier: [holder('org:kama', ['OPENSANCTIONS:b', LEI_KEY])],
      importing: importing('b'),
    },
    expected: { status: 'MATCHED', id: 'org:kama', by: 'identifier' },
  },
  {
    name: 'merges into a record holding the identifier that no entity of this import touched',
    party: twin('b'),
    evidence: {
      ...none,
      byIdentifier: [holder('org:kama', [LEI_KEY], ['src:other'])],
      importing: importing('b'),
    },
    expected: { status: 'MATCHED', id: 'org:kama', by: 'identifier' },
  },
  {
    name: "without reference keys (BODS), tells another entity's merge from its own by the merges kept",
    party: { ...twin('b'), identifiers: [{ scheme: 'LEI', value: '5299000KAMAROBOT0195' }] },
    evidence: {
      ...none,
      byIdentifier: [holder('org:kama', [LEI_KEY])],
      importing: importing('b', { refKey: undefined, mergedFrom: () => 'a' }),
    },
    expected: { status: 'DUPLICATE', id: 'org:kama', key: LEI_KEY },
  },
];

describe('Entity resolution: identifier first, then name and country, never a silent guess', () => {
  it.each(cases)('$name', ({ party, evidence, expected }) => {
    expect(resolveParty(party, evidence)).toEqual(expected);
  });
});
