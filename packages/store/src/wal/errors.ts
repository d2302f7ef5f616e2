// Errors the WAL raises. Each carries a stable `code` so callers and tests can branch on it
// without parsing messages; messages are written for the operator who has to act on them.

/** What an operator can do when a member's log cannot be trusted. */
export const WAL_RECOVERY_ADVICE =
  'restore the member from a snapshot with `k8ts store snapshot restore`, or remove it from the cluster and re-add it';

/**
 * The log on disk is damaged or incomplete in a way that cannot be repaired without losing
 * acknowledged writes. Opening refuses rather than silently dropping entries.
 */
export class WalCorruptError extends Error {
  readonly code = 'WAL_CORRUPT';

  constructor(
    /** Path of the segment file at fault (or the WAL directory when no single file is). */
    readonly file: string,
    /** Byte offset in that file where the problem starts (0 when it concerns the whole file). */
    readonly offset: number,
    /** What is wrong, in a few words, without the advice. */
    readonly problem: string,
  ) {
    super(`WAL corrupt: ${file} at byte ${offset}: ${problem}; ${WAL_RECOVERY_ADVICE}`);
    this.name = 'WalCorruptError';
  }
}

export type WalErrorCode =
  /** create() on a directory that already holds segments. */
  | 'WAL_EXISTS'
  /** open() on a directory without segments. */
  | 'WAL_NOT_FOUND'
  /** save() was handed entries that do not continue the log. */
  | 'WAL_ENTRY_GAP'
  /** An earlier write or fsync failed; the WAL refuses further writes (see Wal.save). */
  | 'WAL_FAILED'
  /** The WAL was closed. */
  | 'WAL_CLOSED';

/** A misuse of the WAL or a refusal to continue after an I/O failure. */
export class WalError extends Error {
  constructor(
    readonly code: WalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WalError';
  }
}
