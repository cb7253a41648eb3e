/**
 * Record time (issue 12): when this database learnt a fact, kept apart from when it was true in the world
 * (startDate/endDate). Current records carry the version they are at, when that version was recorded and by
 * which change set; a superseded or retracted version is copied to a `:RecordVersion` node (not a `:Record`,
 * so no current query matches it) with the time it stopped being the database's answer.
 */

/** Properties the write layer sets on every record; never part of the data-set format. */
export const RECORD_TIME_PROPERTIES = ['version', 'recordedAt', 'changeSetId'] as const;

/** Label of a past version of a record: its stored properties as they were, plus when and why it ended. */
export const RECORD_VERSION_LABEL = 'RecordVersion';

/**
 * Property of a `:RecordVersion` naming what it is a version of: the record's label (`Policy`) or relationship
 * type (`OWNS`). Not `kind`, which several records (policies, channels, allegations) hold as their own field.
 */
export const VERSION_OF = 'versionOf';

/** Label of a write's audit entry: who, when, why, which records, which sources. */
export const CHANGE_SET_LABEL = 'ChangeSet';

/**
 * The one filter for "as known at `$param`", on a current record or on a `:RecordVersion` alike: recorded at
 * or before that instant, and not superseded by then. Record times are ISO-8601 UTC strings of one fixed
 * length (`Date.toISOString()`), so they compare correctly as text. Records written before record time
 * existed have none and count as known from the beginning.
 */
export function knownAt(variable: string, param = '$knownAsOf'): string {
  return (
    `(coalesce(${variable}.recordedAt, '') <= ${param} AND ` +
    `(${variable}.supersededAt IS NULL OR ${variable}.supersededAt > ${param}))`
  );
}

/** An instant as record times are written: `2026-03-01T00:00:00.000Z`. */
export function recordTime(instant: Date): string {
  return instant.toISOString();
}
