import { idPrefixesOf, REFERENCE_LABELS, type ReferenceField } from './referenceKinds';

/**
 * The CSV templates analysts fill in: one file per kind of record, each column documented once here. The
 * header check, docs/csv-templates.md and the files in templates/ all follow this list (a test holds them
 * to it).
 */

/** The prefix of the ids an import of the templates derives (`org:csv-…`, `own:csv-…`). */
export const CSV_ID_PREFIX = 'csv';

/** In the order a folder is written: parties first, then what refers to them. */
export const CSV_KINDS = ['organizations', 'persons', 'ownerships', 'controls', 'designations'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export interface CsvColumn {
  name: string;
  required: boolean;
  format: string;
  example: string;
  meaning: string;
}

const LIST = 'several values separated by ";"';
const DATE = 'YYYY-MM-DD, YYYY-MM (month only) or YYYY (year only)';
/** A note or description: the records' `Note` (model/common.ts) holds at most 4,000 characters. */
const TEXT = 'text (at most 4,000 characters)';

const SOURCE_COLUMNS: CsvColumn[] = [
  {
    name: 'sources',
    required: false,
    format: `src: ids of sources the database holds, ${LIST}`,
    example: 'src:companies-house-2024',
    meaning: 'Sources of this row besides the import itself (every row also cites the imported data set).',
  },
  {
    name: 'source_url',
    required: false,
    format: 'an absolute http(s) URL',
    example: 'https://find-and-update.company-information.service.gov.uk/company/00445790',
    meaning: 'A web page that states this row; it becomes a Source record (one per URL) the row cites.',
  },
];

const IDENTIFIERS: CsvColumn = {
  name: 'identifiers',
  required: false,
  format: `scheme:value, ${LIST}: LEI:…, REGISTRY:<register>:<number>, TICKER:<MIC>:<symbol>, WIKIDATA:Q…, OPENSANCTIONS:…`,
  example: 'LEI:213800PIPMGMTHU6AK33;REGISTRY:GB-COH:00445790',
  meaning:
    'Identifiers registers give the party; LEI, register numbers, Wikidata and OpenSanctions ids are unique.',
};

const ALIASES: CsvColumn = {
  name: 'aliases',
  required: false,
  format: LIST,
  example: 'Acme;Acme Holdings',
  meaning: 'Other names the party is known by (screening matches them too).',
};

function partyId(prefix: string, example: string): CsvColumn {
  return {
    name: 'id',
    required: false,
    format: `${prefix}:slug (letters, digits, ".", "_", "-"); empty to let the import resolve the row`,
    example,
    meaning:
      'Our id. Given: the row is that record (created, or updated on a rerun). Empty: the row is matched to a ' +
      'record we hold by identifier, then by name and country; an ambiguous match waits in importReview.',
  };
}

function dateColumn(name: string, meaning: string, example: string): CsvColumn {
  return { name, required: false, format: DATE, example, meaning };
}

/** A reference column: the ids it takes, and whose identifiers, as referenceKinds.ts has it. */
function refColumn(name: ReferenceField, meaning: string, example: string): CsvColumn {
  const ids = idPrefixesOf(name)
    .map((p) => `${p}:…`)
    .join(', ');
  const holder =
    REFERENCE_LABELS[name].length === 1 ? ` an ${REFERENCE_LABELS[name][0].toLowerCase()} holds` : '';
  return {
    name,
    required: true,
    format: `an id (${ids}) or an identifier${holder} (LEI:…, REGISTRY:…:…)`,
    example,
    meaning: `${meaning} A row of the same folder, or a record the database holds.`,
  };
}

export const CSV_COLUMNS: Readonly<Record<CsvKind, readonly CsvColumn[]>> = {
  organizations: [
    partyId('org', 'org:acme-holdings'),
    {
      name: 'name',
      required: true,
      format: 'text',
      example: 'Acme Holdings plc',
      meaning: 'The legal name.',
    },
    {
      name: 'type',
      required: false,
      format:
        'COMPANY, INVESTMENT_FUND, GOVERNMENT_BODY, STATE_OWNED_ENTERPRISE, AI_LAB, UNIVERSITY, NONPROFIT, JOINT_VENTURE or OTHER',
      example: 'COMPANY',
      meaning: 'What kind of organization it is (COMPANY when empty).',
    },
    {
      name: 'headquarters',
      required: false,
      format: 'ISO 3166-1 alpha-2 code',
      example: 'GB',
      meaning: 'Where it is run from (the headquarters basis of policies).',
    },
    {
      name: 'incorporation',
      required: false,
      format: 'ISO 3166-1 alpha-2 code',
      example: 'GB',
      meaning: 'Where it is incorporated (the incorporation basis of policies).',
    },
    dateColumn('founded', 'When it was founded or incorporated.', '1998-05'),
    ALIASES,
    IDENTIFIERS,
    {
      name: 'website',
      required: false,
      format: 'an absolute URL',
      example: 'https://acme.example',
      meaning: 'Its website.',
    },
    { name: 'description', required: false, format: TEXT, example: '', meaning: 'A note for readers.' },
    ...SOURCE_COLUMNS,
  ],
  persons: [
    partyId('person', 'person:jane-doe'),
    { name: 'name', required: true, format: 'text', example: 'Jane Doe', meaning: 'The full name.' },
    {
      name: 'nationality',
      required: false,
      format: 'ISO 3166-1 alpha-2 code',
      example: 'GB',
      meaning: 'Nationality (counts as incorporation for policies).',
    },
    {
      name: 'residence',
      required: false,
      format: 'ISO 3166-1 alpha-2 code',
      example: 'US',
      meaning: 'Country of residence (counts as headquarters for policies).',
    },
    ALIASES,
    IDENTIFIERS,
    { name: 'description', required: false, format: TEXT, example: '', meaning: 'A note for readers.' },
    ...SOURCE_COLUMNS,
  ],
  ownerships: [
    {
      name: 'id',
      required: false,
      format: 'own:slug; empty to derive it from owner, owned and start_date',
      example: 'own:acme-widgets-2019',
      meaning: 'Our id of the stake; give it to correct the same stake on a later import.',
    },
    refColumn('owner', 'Who holds the stake (an organization or a person).', 'org:acme-holdings'),
    refColumn('owned', 'The organization held.', 'LEI:5493001KJTIIGC8Y1R12'),
    {
      name: 'share',
      required: false,
      format: 'a percentage 0–100, "%" allowed',
      example: '51',
      meaning: 'The exact share. Leave share, share_min and share_max empty when the size is unknown.',
    },
    {
      name: 'share_min',
      required: false,
      format: 'a percentage; ">25" for more than 25',
      example: '>25',
      meaning: 'The lower end of a share known only as a range (a register band).',
    },
    {
      name: 'share_max',
      required: false,
      format: 'a percentage; "<50" for less than 50',
      example: '50',
      meaning: 'The upper end of a share known only as a range.',
    },
    dateColumn('start_date', 'When the stake began (empty: unknown, taken as always).', '2019-03-01'),
    dateColumn('end_date', 'When it ended (empty: it still holds).', ''),
    {
      name: 'confidence',
      required: false,
      format: 'CONFIRMED, REPORTED, ESTIMATED or DISPUTED',
      example: 'REPORTED',
      meaning: 'How firmly the stake is established.',
    },
    { name: 'note', required: false, format: TEXT, example: '', meaning: 'A note for readers.' },
    ...SOURCE_COLUMNS,
  ],
  controls: [
    {
      name: 'id',
      required: false,
      format: 'ctrl:slug; empty to derive it from controller, controlled, basis and start_date',
      example: 'ctrl:jane-doe-acme-widgets-board',
      meaning: 'Our id of the control; give it to correct the same control on a later import.',
    },
    refColumn('controller', 'Who controls (an organization or a person).', 'person:jane-doe'),
    refColumn('controlled', 'The organization controlled.', 'org:acme-widgets'),
    {
      name: 'basis',
      required: true,
      format:
        'BOARD_CONTROL, VOTING_AGREEMENT, VIE_CONTRACT, GOLDEN_SHARE or OTHER; or a BODS 0.4 interest type ' +
        'of control (appointmentOfBoard, votingRights …)',
      example: 'BOARD_CONTROL',
      meaning:
        'How the control is held: appoints the board, controls votes it does not own, by contract (a ' +
        'variable-interest entity), by a special share or the articles, or other influence.',
    },
    {
      name: 'description',
      required: false,
      format: TEXT,
      example: 'Appoints three of five directors under the 2021 shareholders agreement',
      meaning: 'What the source says of the control.',
    },
    dateColumn('start_date', 'When the control began (empty: unknown, taken as always).', '2021-06'),
    dateColumn('end_date', 'When it ended (empty: it still holds).', ''),
    {
      name: 'confidence',
      required: false,
      format: 'CONFIRMED, REPORTED, ESTIMATED or DISPUTED',
      example: 'REPORTED',
      meaning: 'How firmly the control is established.',
    },
    ...SOURCE_COLUMNS,
  ],
  designations: [
    {
      name: 'id',
      required: false,
      format: 'desig:slug; empty to derive it from entity and policy',
      example: 'desig:acme-widgets-sdn',
      meaning: 'Our id of the listing.',
    },
    {
      name: 'policy',
      required: true,
      format: 'a policy: id the database holds',
      example: 'policy:ofac-sdn-list',
      meaning: 'The list or rule that names the entity.',
    },
    refColumn('entity', 'The organization or person listed.', 'org:acme-widgets'),
    {
      name: 'list_name',
      required: false,
      format: 'text',
      example: 'SDN',
      meaning: 'The list as its publisher names it.',
    },
    dateColumn('start_date', 'When the listing took effect.', '2024-02-23'),
    dateColumn('end_date', 'When it was lifted (empty: in force).', ''),
    { name: 'note', required: false, format: TEXT, example: '', meaning: 'A note for readers.' },
    ...SOURCE_COLUMNS,
  ],
};

/** The kind a file holds, by its name (organizations.csv, persons-2026.csv …), or null. */
export function kindOfFileName(file: string): CsvKind | null {
  const base = file.replace(/^.*[\\/]/, '').toLowerCase();
  return CSV_KINDS.find((kind) => base.startsWith(kind)) ?? null;
}

/**
 * The kind a header describes, when its columns tell: controller/controlled/basis, owner/owned, policy/entity,
 * a person's or an organization's own columns. A header of only id and name does not tell (null).
 */
export function kindOfHeader(columns: readonly string[]): CsvKind | null {
  const has = (name: string) => columns.includes(name);
  if (has('controller') || has('controlled') || has('basis')) return 'controls';
  if (has('owner') || has('owned')) return 'ownerships';
  if (has('policy') || has('entity')) return 'designations';
  if (has('nationality') || has('residence')) return 'persons';
  if (['type', 'headquarters', 'incorporation', 'founded', 'website'].some(has)) return 'organizations';
  return null;
}

/** What is wrong with a header for a kind: columns missing, unknown or repeated; empty when it is right. */
export function headerProblems(kind: CsvKind, columns: readonly string[]): string[] {
  const known = CSV_COLUMNS[kind].map((c) => c.name);
  const problems: string[] = [];
  const missing = CSV_COLUMNS[kind].filter((c) => c.required && !columns.includes(c.name)).map((c) => c.name);
  if (missing.length > 0)
    problems.push(`lacks the required column(s) ${missing.map((m) => `"${m}"`).join(', ')} of ${kind} files`);
  const unknown = columns.filter((c) => !known.includes(c));
  if (unknown.length > 0) {
    problems.push(
      `has column(s) ${unknown.map((u) => `"${u}"`).join(', ')} that ${kind} files do not have ` +
        `(the columns are: ${known.join(', ')})`,
    );
  }
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0)
    problems.push(`repeats the column(s) ${[...new Set(repeated)].map((r) => `"${r}"`).join(', ')}`);
  return problems;
}
