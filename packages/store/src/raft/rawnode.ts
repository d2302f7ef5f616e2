// RawNode: the API an application (the store's server) drives Raft through.
//
// The application owns all I/O and time. It calls tick() on a timer, step() with messages
// from peers, propose()/readIndex() for client requests, and then, whenever hasReady():
//
//   const rd = node.ready();
//   1. persist  — rd.snapshot, rd.entries and rd.hardState to durable storage (fsync), and
//                 mirror them into the Storage the node reads from:
//                 storage.applySnapshot(rd.snapshot), storage.append(rd.entries),
//                 storage.setHardState(rd.hardState) — in that order.
//   2. send     — rd.messages to their `to` peers. Only now: a vote or an acknowledgement
//                 must never leave before the state it promises is durable.
//   3. apply    — rd.snapshot (if any) then rd.committedEntries to the state machine, in
//                 order. For an EntryConfChange, decode it and call applyConfChange().
//                 Serve rd.readStates once the state machine has applied up to their index.
//   4. node.advance(rd) — the node now treats those entries as stable and applied.
//
// Exactly one Ready is outstanding at a time: ready() throws until advance(), and
// hasReady() says false meanwhile. Requests made while a Ready is being processed
// (propose() between ready() and advance()) simply accumulate and all come out in the
// next Ready: one fsync then covers the whole batch (group commit).
//
// Commit follows etcd-raft v3.4: the leader counts its own log toward the quorum as soon
// as it appends. Step 1 runs before step 3, so this is safe, and in a single-voter group a
// proposal shows up in the very next Ready both in `entries` (persist) and in
// `committedEntries` (apply after persisting).
//
// Starting, restarting, membership, snapshots:
// - A brand-new group: construct over empty storage and call bootstrap(voters) once (every
//   founding member with the same list). The first Ready carries a snapshot at index 1,
//   term 1 with empty data holding the initial ConfState; persist it like any snapshot.
//   A sole voter may call campaign() right away and leads in that same first Ready.
// - A node joining an existing group does NOT bootstrap: it starts over empty storage and
//   learns everything (membership included) from the leader, by snapshot and log.
// - Restart: fill the Storage from disk (snapshot, entries, hard state) and construct.
//   `applied` (default: the snapshot's index) says how far the state machine already got;
//   committed entries after it are delivered again. The membership comes from the
//   snapshot's ConfState, and conf changes after the snapshot are re-applied only if
//   they are re-delivered — so pass `applied` no greater than the snapshot index, or take
//   a snapshot whenever you apply a conf change.
// - Conf changes: proposeConfChange() encodes the ConfChange (options.encodeConfChange,
//   JSON by default) into an EntryConfChange entry. When it comes out committed, decode it
//   and call applyConfChange(); persist the returned ConfState with your next snapshot.
//   One change at a time: a second proposal before the first is applied is dropped.
// - Snapshots and compaction: storage.createSnapshot(i, confState, data) at an applied
//   index, then storage.compact(j) with j ≤ i. Never compact past the latest snapshot: a
//   follower needing the compacted entries is sent storage.snapshot().
// - Transport duties: call reportUnreachable(id) when a message to `id` cannot be sent,
//   and reportSnapshot(id, 'finish' | 'failure') once a MsgSnap is sent or fails.
import { RaftError } from './errors.ts';
import { applyConfChange } from './membership.ts';
import { message } from './message.ts';
import { Raft } from './raft.ts';
import type { Storage } from './storage.ts';
import type { ConfChange, ConfState, HardState, Message, MessageType, NodeId, Ready, SoftState } from './types.ts';
import type { ProgressState } from './progress.ts';

export interface RawNodeOptions {
  id: NodeId;
  storage: Storage;
  electionTick?: number;
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  maxSizePerMsg?: number;
  maxInflightMsgs?: number;
  /** Last index the application has applied; committedEntries resume after it. */
  applied?: number;
  /** Uniform [0, 1) source for randomized election timeouts (see prng.ts for a seeded one). */
  rand: () => number;
  /** How proposeConfChange() encodes a ConfChange into entry data (default: JSON). */
  encodeConfChange?: (cc: ConfChange) => Uint8Array;
}

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  isLearner: boolean;
}

export interface RaftStatus {
  id: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lead: NodeId;
  role: SoftState['role'];
  /** Per-member replication progress; only on the leader. */
  progress?: Record<NodeId, ProgressStatus>;
}

/** Message types only the node itself generates; stepping them in from a peer is a bug. */
const LOCAL_ONLY: ReadonlySet<MessageType> = new Set(['MsgHup', 'MsgBeat', 'MsgUnreachable', 'MsgSnapStatus', 'MsgCheckQuorum']);
/** Responses, which are meaningless from a node that is not a member. */
const RESPONSES: ReadonlySet<MessageType> = new Set(['MsgAppResp', 'MsgVoteResp', 'MsgHeartbeatResp', 'MsgPreVoteResp']);

export class RawNode {
  private readonly raft: Raft;
  private readonly encodeConfChange: (cc: ConfChange) => Uint8Array;
  /** What the application last saw, so a Ready only carries what changed. */
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private readyOutstanding = false;

  constructor(options: RawNodeOptions) {
    this.raft = new Raft({
      id: options.id,
      storage: options.storage,
      electionTick: options.electionTick ?? 10,
      heartbeatTick: options.heartbeatTick ?? 1,
      applied: options.applied ?? 0,
      maxSizePerMsg: options.maxSizePerMsg ?? 1024 * 1024,
      maxInflightMsgs: options.maxInflightMsgs ?? 256,
      checkQuorum: options.checkQuorum ?? true,
      preVote: options.preVote ?? true,
      rand: options.rand,
    });
    this.encodeConfChange = options.encodeConfChange ?? encodeConfChangeJson;
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
  }

  /**
   * Creates a brand-new group with `voters` (this node among them). Call it once, right
   * after constructing over empty storage; every founding member calls it with the same
   * list. The membership arrives in the next Ready as a snapshot (index 1, term 1, empty
   * data) to persist and "apply" (an empty state machine) like any other snapshot.
   */
  bootstrap(voters: NodeId[]): void {
    this.raft.bootstrap(voters);
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (a sole voter becomes leader at once, visible in the next Ready). */
  campaign(): void {
    this.raft.step(message({ type: 'MsgHup', from: this.raft.id }));
  }

  /** Throws RaftError('PROPOSAL_DROPPED') when no leader is known or the leader refuses it. */
  propose(data: Uint8Array): void {
    this.raft.step(message({
      type: 'MsgProp', from: this.raft.id, entries: [{ term: 0, index: 0, type: 'EntryNormal', data }],
    }));
  }

  /** Proposes one membership change; apply it with applyConfChange() once committed. */
  proposeConfChange(cc: ConfChange): void {
    this.raft.step(message({
      type: 'MsgProp', from: this.raft.id,
      entries: [{ term: 0, index: 0, type: 'EntryConfChange', data: this.encodeConfChange(cc) }],
    }));
  }

  /**
   * Feeds a message from a peer. A forwarded proposal this node cannot accept is dropped
   * quietly: the node that proposed it times out its client.
   */
  step(msg: Message): void {
    if (LOCAL_ONLY.has(msg.type)) throw new RaftError('STEP_LOCAL_MSG', `${msg.type} cannot come from a peer`);
    if (RESPONSES.has(msg.type) && !this.raft.tracker.progress.has(msg.from)) return;
    try {
      this.raft.step(msg);
    } catch (err) {
      if (err instanceof RaftError && err.code === 'PROPOSAL_DROPPED') return;
      throw err;
    }
  }

  /**
   * Asks for a linearizable read point. A ReadState with the same `ctx` comes out in a later
   * Ready (the next one on a single voter). `ctx` must be unique per request. Throws
   * RaftError('PROPOSAL_DROPPED') when no leader is known.
   */
  readIndex(ctx: Uint8Array): void {
    this.raft.step(message({ type: 'MsgReadIndex', from: this.raft.id, entries: [{ term: 0, index: 0, type: 'EntryNormal', data: ctx }] }));
  }

  /** Asks the leader to hand leadership to `to` (a voter). */
  transferLeader(to: NodeId): void {
    this.raft.step(message({ type: 'MsgTransferLeader', from: to }));
  }

  /** Applies a committed conf change to the membership; returns the new ConfState. */
  applyConfChange(cc: ConfChange): ConfState {
    return applyConfChange(this.raft, cc);
  }

  /** Tells the leader that a message to `id` could not be delivered. */
  reportUnreachable(id: NodeId): void {
    this.raft.step(message({ type: 'MsgUnreachable', from: id }));
  }

  /**
   * Tells the leader how sending a MsgSnap to `id` ended. Required: until reported (or the
   * follower acknowledges it), the leader sends that follower nothing else.
   */
  reportSnapshot(id: NodeId, status: 'finish' | 'failure'): void {
    this.raft.step(message({ type: 'MsgSnapStatus', from: id, reject: status === 'failure' }));
  }

  hasReady(): boolean {
    if (this.readyOutstanding) return false;
    const r = this.raft;
    return !softStateEqual(r.softState(), this.prevSoftState)
      || !hardStateEqual(r.hardState(), this.prevHardState)
      || r.log.pendingSnapshot() !== undefined
      || r.log.unstableEntries().length > 0
      || r.log.hasNextCommittedEntries()
      || r.msgs.length > 0
      || r.readStates.length > 0;
  }

  ready(): Ready {
    if (this.readyOutstanding) throw new RaftError('READY_NOT_ADVANCED', 'call advance() for the previous Ready first');
    const r = this.raft;
    const rd: Ready = {
      readStates: r.readStates,
      entries: [...r.log.unstableEntries()],
      committedEntries: r.log.nextCommittedEntries(),
      messages: r.msgs,
    };
    const softState = r.softState();
    if (!softStateEqual(softState, this.prevSoftState)) {
      rd.softState = softState;
      this.prevSoftState = softState;
    }
    const hardState = r.hardState();
    if (!hardStateEqual(hardState, this.prevHardState)) rd.hardState = hardState;
    const snapshot = r.log.pendingSnapshot();
    if (snapshot) rd.snapshot = snapshot;
    r.msgs = [];
    r.readStates = [];
    this.readyOutstanding = true;
    return rd;
  }

  /** Acknowledges that `rd` was persisted, sent and applied (see the top of this file). */
  advance(rd: Ready): void {
    const r = this.raft;
    if (rd.hardState) this.prevHardState = rd.hardState;
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastCommitted) r.log.appliedTo(lastCommitted.index);
    else if (rd.snapshot) r.log.appliedTo(rd.snapshot.metadata.index);
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry) r.log.stableTo(lastEntry.index, lastEntry.term);
    if (rd.snapshot) r.log.stableSnapTo(rd.snapshot.metadata.index);
    this.readyOutstanding = false;
  }

  status(): RaftStatus {
    const r = this.raft;
    const status: RaftStatus = {
      id: r.id, term: r.term, vote: r.vote, commit: r.log.committed, applied: r.log.applied, lead: r.lead, role: r.role,
    };
    if (r.role === 'StateLeader') {
      status.progress = {};
      for (const [id, pr] of r.tracker.progress) {
        status.progress[id] = { match: pr.match, next: pr.next, state: pr.state, isLearner: pr.isLearner };
      }
    }
    return status;
  }
}

function softStateEqual(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}

function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** The default ConfChange encoding: JSON, with `context` as an array of byte values. */
export function encodeConfChangeJson(cc: ConfChange): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...cc, context: [...cc.context] }));
}

export function decodeConfChangeJson(data: Uint8Array): ConfChange {
  const parsed = JSON.parse(new TextDecoder().decode(data)) as Omit<ConfChange, 'context'> & { context: number[] };
  return { ...parsed, context: Uint8Array.from(parsed.context) };
}
