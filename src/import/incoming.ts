import type { Identifier } from '../model/identifier';
import type { Share } from '../model/common';
import type { z } from 'zod';
import type { ControlBasis } from '../model/ownership';
import type { Row } from './rowStream';

/**
 * What every format's reader turns its lines into: parties and relationships in our terms, not yet given
 * ids. `localId` is the entity's id in its own data set (an FtM id, a BODS recordId, an LEI, a CSV id); the
 * importer derives our id from it, or finds the record it already names.
 */

/** Where a relationship points: an entity of the same import (by its local id), or a record we hold. */
export type Ref = { localId: string; key?: string } | { id: string } | { key: string };

export interface IncomingParty {
  kind: 'party';
  line: number;
  localId: string;
  /** Our id, when the data gives one (CSV templates); otherwise derived from localId or resolved. */
  id?: string;
  label: 'Organization' | 'Person';
  name: string;
  aliases?: string[];
  identifiers: Identifier[];
  /** The other fields of an OrganizationRecord or PersonRecord (type, headquarters, nationality …). */
  fields: Record<string, unknown>;
  /** Sources the row cites besides the imported data set (CSV templates' sources and source_url). */
  sources?: string[];
}

export interface IncomingOwnership {
  kind: 'ownership';
  line: number;
  localId: string;
  id?: string;
  owner: Ref;
  owned: Ref;
  share: Share | null;
  /** Given only where it differs from `share` (BODS: a votingRights interest beside the shareholding). */
  votingShare?: Share;
  startDate?: string | null;
  endDate?: string | null;
  note?: string;
  confidence?: 'CONFIRMED' | 'REPORTED' | 'ESTIMATED' | 'DISPUTED';
  sources?: string[];
}

/** Control without (or beside) equity: a BODS interest such as votingRights or appointmentOfBoard. */
export interface IncomingControl {
  kind: 'control';
  line: number;
  localId: string;
  id?: string;
  controller: Ref;
  controlled: Ref;
  basis: z.infer<typeof ControlBasis>;
  startDate?: string | null;
  endDate?: string | null;
  /** What the source says of the control (the interest's details), kept as the record's description. */
  description?: string;
  confidence?: 'CONFIRMED' | 'REPORTED' | 'ESTIMATED' | 'DISPUTED';
  sources?: string[];
}

export interface IncomingDesignation {
  kind: 'designation';
  line: number;
  localId: string;
  id?: string;
  entity: Ref;
  /** Our policy ids: a Sanction on the SDN list designates under the list and under the 50 Percent Rule. */
  policies: string[];
  listName?: string;
  startDate?: string | null;
  endDate?: string | null;
  note?: string;
  sources?: string[];
}

/** A line (or a field of it) that cannot be imported, said precisely enough to fix it. */
export interface Rejection {
  kind: 'rejected';
  line: number;
  field?: string;
  message: string;
}

/** A line that carries nothing for our graph (an Address, a Note), counted but not an error. */
export interface Skipped {
  kind: 'skipped';
  line: number;
  reason: string;
}

export type Incoming =
  IncomingParty | IncomingOwnership | IncomingControl | IncomingDesignation | Rejection | Skipped;
export type IncomingRelationship = IncomingOwnership | IncomingControl | IncomingDesignation;

/** A reader of one format: one line (or CSV row) in, what it carries out. */
export interface FormatReader {
  /** Rows are text lines, or CSV records keyed by header. */
  rows: 'lines' | 'csv';
  /** The prefix of the ids derived for this format's records: org:ftm-…, own:ftm-… */
  idPrefix: string;
  /**
   * The identifier key every reference to a party of this format carries, when there is one (FtM:
   * OPENSANCTIONS:id, GLEIF: LEI:lei): a party merged into a record of another id is then found again by it.
   */
  refKeyOf?: (localId: string) => string;
  /**
   * The file's rows, when this format does not read plain lines or CSV records (BODS: a JSON array, however
   * it is laid out over lines). A row may carry the index of the item it holds, which `read` is given.
   */
  rowsOf?: (file: string) => AsyncIterable<Row & { index?: number }>;
  /**
   * Whether `rowsOf` can stop before the file's end (a JSON array's syntax error), so that the importer reads
   * the file through before its first write (readWhole.ts); taken as yes when a format with `rowsOf` omits it.
   */
  rowsMayStop?: (file: string) => Promise<boolean>;
  read(row: string | Record<string, string>, line: number, at?: { index?: number }): Incoming[];
  /**
   * What the reader learns from a row of pass 1 that a resumed import does not read again (all of pass 1
   * when it resumes in pass 2), so that it reads the rest as an uninterrupted import would. BODS 0.2/0.3:
   * the statements later ones replace, which pass 2 skips.
   */
  scan?(row: string | Record<string, string>, line: number): void;
}

/** An id-safe slug of a foreign id: our ids allow letters, digits, ".", "_" and "-". */
export function slugOf(localId: string): string {
  const slug = localId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return slug.length > 0 ? slug.slice(0, 120) : 'x';
}
