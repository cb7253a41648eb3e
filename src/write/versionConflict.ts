/**
 * A write carried the version of a record it had read (`expectedVersion`) and the record is now at another:
 * someone else changed it in between. The GraphQL boundary answers CONFLICT with these fields, so the
 * client can re-read and decide, instead of silently overwriting the other edit.
 */
export class VersionConflict extends Error {
  constructor(
    readonly recordId: string,
    readonly expected: number,
    /** 0: the record does not exist (never written, or retracted). */
    readonly found: number,
  ) {
    super(
      expected === 0
        ? `Record "${recordId}" was created by another write (now at version ${found}) after this write found ` +
            'it absent; re-read it and apply the change again.'
        : `Record "${recordId}" is at version ${found}, not the expected ${expected}: it changed since it was ` +
            'read; re-read it and apply the change again.',
    );
    this.name = 'VersionConflict';
  }
}
