// Coded errors of the Raft core. Callers branch on `code`, never on message text.

export type RaftStorageErrorCode =
  /** The requested index is older than the storage's first index: it was compacted away. */
  | 'COMPACTED'
  /** The requested index is beyond what the storage holds (or the snapshot is not ready). */
  | 'UNAVAILABLE'
  /** A snapshot was offered that is not newer than the one already held. */
  | 'SNAP_OUT_OF_DATE';

export class RaftStorageError extends Error {
  constructor(readonly code: RaftStorageErrorCode, message: string) {
    super(message);
    this.name = 'RaftStorageError';
  }
}

export type RaftErrorCode =
  /** A proposal (or read request) could not be accepted: no known leader, or a transfer is under way. */
  | 'PROPOSAL_DROPPED'
  /** A message type that only the local node may generate (MsgHup, MsgBeat, …) came from the network. */
  | 'STEP_LOCAL_MSG'
  /** bootstrap() was called on a node whose storage already holds state. */
  | 'ALREADY_BOOTSTRAPPED'
  /** ready() was called again before advance() acknowledged the previous Ready. */
  | 'READY_NOT_ADVANCED';

export class RaftError extends Error {
  constructor(readonly code: RaftErrorCode, message: string) {
    super(message);
    this.name = 'RaftError';
  }
}
