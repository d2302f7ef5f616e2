// The vocabulary of the pure Raft core (modelled on etcd-io/raft). Nothing here does I/O:
// the core takes messages and ticks in and hands out a Ready batch to persist, send and apply.

/** A member ID: the decimal string of etcd's uint64 member ID ("0" means none). */
export type NodeId = string;
export const NO_NODE: NodeId = '0';

export type EntryType = 'EntryNormal' | 'EntryConfChange';

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** What must be on stable storage before any message is sent for the same Ready. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  metadata: SnapshotMetadata;
  /** The application's state image at metadata.index (empty when only the metadata matters). */
  data: Uint8Array;
}

export type MessageType =
  | 'MsgHup' | 'MsgBeat' | 'MsgProp' | 'MsgApp' | 'MsgAppResp' | 'MsgVote' | 'MsgVoteResp'
  | 'MsgSnap' | 'MsgHeartbeat' | 'MsgHeartbeatResp' | 'MsgUnreachable' | 'MsgSnapStatus'
  | 'MsgCheckQuorum' | 'MsgTransferLeader' | 'MsgTimeoutNow' | 'MsgReadIndex'
  | 'MsgReadIndexResp' | 'MsgPreVote' | 'MsgPreVoteResp';

export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  snapshot?: Snapshot;
  reject: boolean;
  rejectHint: number;
  context?: Uint8Array;
}

export type RaftRole = 'StateFollower' | 'StateCandidate' | 'StateLeader' | 'StatePreCandidate';

export interface SoftState {
  lead: NodeId;
  role: RaftRole;
}

/** A linearizable read point: reads for requestCtx may be served once applied ≥ index. */
export interface ReadState {
  index: number;
  requestCtx: Uint8Array;
}

/**
 * One hand-off from the core to the application. Process it in this order:
 * 1. persist hardState, snapshot and entries (fsync) — 2. send messages —
 * 3. apply snapshot and committedEntries — 4. call advance().
 */
export interface Ready {
  softState?: SoftState;
  hardState?: HardState;
  readStates: ReadState[];
  entries: Entry[];
  snapshot?: Snapshot;
  committedEntries: Entry[];
  messages: Message[];
}

export type ConfChangeType =
  | 'ConfChangeAddNode' | 'ConfChangeRemoveNode' | 'ConfChangeUpdateNode' | 'ConfChangeAddLearnerNode';

export interface ConfChange {
  id: string;
  type: ConfChangeType;
  nodeId: NodeId;
  context: Uint8Array;
}
