// The Raft state machine: one node's view of the group, driven only by tick() and step().
//
// Everything the node wants to happen in the world — messages to send, entries to persist,
// entries to apply — is left in `msgs` and the log for RawNode to hand out as a Ready.
// This file holds the state, the role transitions, elections, and what every role does
// with a message; leader.ts and follower.ts hold the role-specific handlers, and
// membership.ts applies conf changes.
import { RaftError } from './errors.ts';
import { bcastAppend, stepLeader } from './leader.ts';
import { stepCandidate, stepFollower } from './follower.ts';
import { RaftLog } from './log.ts';
import { message } from './message.ts';
import { ReadOnly } from './read-only.ts';
import type { Storage } from './storage.ts';
import { ProgressTracker } from './tracker.ts';
import type {
  ConfState, Entry, HardState, Message, MessageType, NodeId, RaftRole, ReadState, Snapshot, SoftState,
} from './types.ts';
import { NO_NODE } from './types.ts';

export interface RaftConfig {
  id: NodeId;
  storage: Storage;
  /** Ticks without hearing from a leader before a follower campaigns (randomized up to 2×). */
  electionTick: number;
  /** Ticks between the leader's heartbeats; must be well below electionTick. */
  heartbeatTick: number;
  /** The last index the application has already applied (0: up to the snapshot). */
  applied: number;
  /** Soft cap on the bytes of entries per MsgApp (and of committed entries per Ready). */
  maxSizePerMsg: number;
  /** How many MsgApps may be in flight to one follower in Replicate state. */
  maxInflightMsgs: number;
  /** Leader steps down if it has not heard from a quorum within an election timeout. */
  checkQuorum: boolean;
  /** Run a pre-election round before bumping the term (§9.6 of the Raft thesis). */
  preVote: boolean;
  /** Uniform [0, 1) source for the randomized election timeout. */
  rand: () => number;
}

/**
 * PreElection: the pre-vote round; Election: a normal election; Transfer: an election
 * started by MsgTimeoutNow, which voters must honour even while they still trust a leader.
 */
export type CampaignKind = 'PreElection' | 'Election' | 'Transfer';

/** Marks the vote requests of a leadership transfer (the bytes etcd uses). */
const CAMPAIGN_TRANSFER = new TextEncoder().encode('CampaignTransfer');

function isTransferCampaign(context: Uint8Array | undefined): boolean {
  return context !== undefined && context.length === CAMPAIGN_TRANSFER.length && context.every((b, i) => b === CAMPAIGN_TRANSFER[i]);
}

export class Raft {
  readonly id: NodeId;
  term = 0;
  /** Whom we voted for in `term` (NO_NODE: nobody yet). */
  vote: NodeId = NO_NODE;
  /** The leader of `term` as far as we know. */
  lead: NodeId = NO_NODE;
  role: RaftRole = 'StateFollower';
  readonly log: RaftLog;
  tracker: ProgressTracker;

  /** Outbox, emptied into each Ready. */
  msgs: Message[] = [];
  /** Confirmed read points, emptied into each Ready. */
  readStates: ReadState[] = [];

  // Leader-only state.
  /** A follower we are handing leadership to; proposals are refused meanwhile. */
  leadTransferee: NodeId = NO_NODE;
  /** Index of the latest conf change proposed; another may be proposed once it is applied. */
  pendingConfIndex = 0;
  readonly readOnly = new ReadOnly();
  /** Reads that arrived before any entry of our term committed; started once one has. */
  pendingReadIndex: Message[] = [];

  // Timers, counted in ticks.
  electionElapsed = 0;
  private heartbeatElapsed = 0;
  readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private randomizedElectionTimeout = 0;

  readonly maxSizePerMsg: number;
  private readonly checkQuorum: boolean;
  private readonly preVote: boolean;
  private readonly rand: () => number;

  constructor(config: RaftConfig) {
    if (config.id === NO_NODE) throw new Error('raft: id must not be 0');
    if (config.heartbeatTick <= 0 || config.electionTick <= config.heartbeatTick) {
      throw new Error('raft: need 0 < heartbeatTick < electionTick');
    }
    this.id = config.id;
    this.electionTimeout = config.electionTick;
    this.heartbeatTimeout = config.heartbeatTick;
    this.maxSizePerMsg = config.maxSizePerMsg;
    this.checkQuorum = config.checkQuorum;
    this.preVote = config.preVote;
    this.rand = config.rand;
    this.log = new RaftLog(config.storage, config.maxSizePerMsg);
    this.tracker = new ProgressTracker(config.maxInflightMsgs);

    const { hardState, confState } = config.storage.initialState();
    this.setMembers(confState);
    if (hardState.term !== 0 || hardState.commit !== 0) this.loadHardState(hardState);
    if (config.applied > 0) this.log.appliedTo(config.applied);
    this.becomeFollower(this.term, NO_NODE);
  }

  private loadHardState(hardState: HardState): void {
    if (hardState.commit < this.log.committed || hardState.commit > this.log.lastIndex()) {
      throw new Error(`raft: saved commit ${hardState.commit} outside [${this.log.committed}, ${this.log.lastIndex()}]`);
    }
    this.log.committed = hardState.commit;
    this.term = hardState.term;
    this.vote = hardState.vote;
  }

  /**
   * Starts a brand-new group with `voters` as its members. The membership is recorded as a
   * snapshot at index 1, term 1 with no application data, which the next Ready hands to
   * the application to persist like any snapshot. (etcd writes one ConfChange entry per
   * member instead; a snapshot needs no knowledge of how the app encodes ConfChanges.)
   */
  bootstrap(voters: NodeId[]): void {
    if (this.log.lastIndex() !== 0 || this.term !== 0) {
      throw new RaftError('ALREADY_BOOTSTRAPPED', 'raft: bootstrap needs empty storage');
    }
    if (voters.length === 0) throw new Error('raft: bootstrap needs at least one voter');
    const snapshot: Snapshot = {
      metadata: { index: 1, term: 1, confState: { voters: [...voters], learners: [] } },
      data: new Uint8Array(),
    };
    this.log.restore(snapshot);
    this.setMembers(snapshot.metadata.confState);
    this.becomeFollower(1, NO_NODE);
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  /** Voters may campaign; learners and removed nodes may not. */
  promotable(): boolean {
    return this.tracker.isVoter(this.id);
  }

  // ---- Sending -------------------------------------------------------------------------

  /**
   * Queues a message. Vote traffic carries an explicit term (a pre-vote names the term the
   * candidate would move to); forwarded proposals and reads keep term 0 so the leader
   * treats them like its own local requests; everything else carries our term.
   */
  send(m: Message): void {
    const out = { ...m, from: m.from === NO_NODE ? this.id : m.from };
    if (isVoteMessage(out.type)) {
      if (out.term === 0) throw new Error(`raft: ${out.type} needs a term`);
    } else if (out.type !== 'MsgProp' && out.type !== 'MsgReadIndex') {
      out.term = this.term;
    }
    this.msgs.push(out);
  }

  // ---- Role transitions ----------------------------------------------------------------

  /** Clears per-term state when moving to `term` (and per-role state in any case). */
  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTimeout + Math.floor(this.rand() * this.electionTimeout);
    this.leadTransferee = NO_NODE;
    this.tracker.resetVotes();
    this.tracker.resetProgress(this.log.lastIndex(), this.id);
    this.pendingConfIndex = 0;
    this.readOnly.reset();
    this.pendingReadIndex = [];
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'StateFollower';
  }

  /** The pre-vote round changes neither term nor vote: a failed one leaves no trace. */
  private becomePreCandidate(): void {
    if (this.role === 'StateLeader') throw new Error('raft: leader cannot become pre-candidate');
    this.tracker.resetVotes();
    this.lead = NO_NODE;
    this.role = 'StatePreCandidate';
  }

  private becomeCandidate(): void {
    if (this.role === 'StateLeader') throw new Error('raft: leader cannot become candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'StateCandidate';
  }

  /** Takes office and broadcasts the first MsgApp (which also asserts leadership). */
  becomeLeader(): void {
    if (this.role === 'StateFollower') throw new Error('raft: follower cannot become leader without an election');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'StateLeader';
    const self = this.tracker.progress.get(this.id)!;
    self.becomeReplicate();
    self.recentActive = true;
    // There may be an unapplied conf change in our log; allow a new one only past it.
    this.pendingConfIndex = this.log.lastIndex();
    // An entry of our own term: committing it commits everything before it (and tells us
    // which of our entries are committed, which ReadIndex relies on).
    this.appendEntries([{ term: 0, index: 0, type: 'EntryNormal', data: new Uint8Array() }]);
    bcastAppend(this);
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NO_NODE;
  }

  // ---- Leader's log --------------------------------------------------------------------

  /**
   * Appends entries to the leader's log, stamped with the current term. Following etcd-raft
   * v3.4, the leader counts its own log toward the quorum at once (it persists before it
   * sends), so in a single-voter group the entries commit immediately.
   */
  appendEntries(entries: Entry[]): void {
    const first = this.log.lastIndex() + 1;
    const last = this.log.append(entries.map((e, i) => ({ ...e, term: this.term, index: first + i })));
    this.tracker.progress.get(this.id)?.maybeUpdate(last);
    this.maybeCommit();
  }

  /** Advances the commit index to what a quorum has; true if it moved. */
  maybeCommit(): boolean {
    return this.log.maybeCommit(this.tracker.committedIndex(), this.term);
  }

  // ---- Ticks ---------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'StateLeader') this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(message({ type: 'MsgHup', from: this.id }));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(message({ type: 'MsgCheckQuorum', from: this.id }));
      // A transfer that did not finish within an election timeout has failed.
      if (this.role === 'StateLeader') this.abortLeaderTransfer();
    }
    if (this.role !== 'StateLeader') return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.step(message({ type: 'MsgBeat', from: this.id }));
    }
  }

  // ---- Step: what every role does first ------------------------------------------------

  /** Feeds one message in. Throws RaftError('PROPOSAL_DROPPED') for refused proposals. */
  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        // Leader stickiness: while we hear from a live leader, ignore disruptive candidates
        // (e.g. a node rejoining from a partition) — unless a transfer sent them.
        const inLease = this.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.electionTimeout;
        if (inLease && !isTransferCampaign(m.context)) return;
      }
      if (m.type === 'MsgPreVote' || (m.type === 'MsgPreVoteResp' && !m.reject)) {
        // Pre-votes (and grants of them) speak of a term nobody has started yet.
      } else {
        const fromLeader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap';
        this.becomeFollower(m.term, fromLeader ? m.from : NO_NODE);
      }
    } else if (m.term !== 0 && m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
        // A deposed leader that missed the election (its pre-votes or our lease kept it from
        // learning the new term): answering with our term makes it step down.
        this.send(message({ type: 'MsgAppResp', to: m.from }));
      } else if (m.type === 'MsgPreVote') {
        // Reject explicitly, so a pre-candidate stuck in an old term learns the new one.
        this.send(message({ type: 'MsgPreVoteResp', to: m.from, term: this.term, reject: true }));
      }
      return;
    }

    switch (m.type) {
      case 'MsgHup':
        this.hup(this.preVote ? 'PreElection' : 'Election');
        return;
      case 'MsgVote':
      case 'MsgPreVote':
        this.handleVoteRequest(m);
        return;
    }
    if (this.role === 'StateLeader') stepLeader(this, m);
    else if (this.role === 'StateFollower') stepFollower(this, m);
    else stepCandidate(this, m);
  }

  private handleVoteRequest(m: Message): void {
    // We may grant: a repeat of the vote we already gave, a first vote in a term where we
    // know no leader, or any pre-vote for a future term (pre-votes bind nothing).
    const canVote = this.vote === m.from
      || (this.vote === NO_NODE && this.lead === NO_NODE)
      || (m.type === 'MsgPreVote' && m.term > this.term);
    const respType: MessageType = m.type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.send(message({ type: respType, to: m.from, term: m.term }));
      if (m.type === 'MsgVote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(message({ type: respType, to: m.from, term: this.term, reject: true }));
    }
  }

  // ---- Elections -----------------------------------------------------------------------

  hup(kind: CampaignKind): void {
    if (this.role === 'StateLeader' || !this.promotable()) return;
    // A committed conf change not yet applied might remove us or change the quorum.
    if (this.hasUnappliedConfChange()) return;
    this.campaign(kind);
  }

  private hasUnappliedConfChange(): boolean {
    const lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    if (lo > this.log.committed) return false;
    return this.log.slice(lo, this.log.committed + 1, Infinity).some((e) => e.type === 'EntryConfChange');
  }

  campaign(kind: CampaignKind): void {
    let voteType: MessageType;
    let term: number;
    if (kind === 'PreElection') {
      this.becomePreCandidate();
      voteType = 'MsgPreVote';
      term = this.term + 1; // the term we would run in
    } else {
      this.becomeCandidate();
      voteType = 'MsgVote';
      term = this.term;
    }
    // Our own vote may already be a quorum (a single-voter group): no messages needed.
    if (this.poll(this.id, true) === 'won') {
      if (kind === 'PreElection') this.campaign('Election');
      else this.becomeLeader();
      return;
    }
    for (const id of this.tracker.voters()) {
      if (id === this.id) continue;
      this.send(message({
        type: voteType, to: id, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm(),
        context: kind === 'Transfer' ? CAMPAIGN_TRANSFER : undefined,
      }));
    }
  }

  /** Records a vote (ours or a response) and returns the election's outcome so far. */
  poll(voter: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    this.tracker.recordVote(voter, granted);
    return this.tracker.tallyVotes().result;
  }

  // ---- Membership ----------------------------------------------------------------------

  /** Replaces the membership with `confState`, with every member's log unknown. */
  setMembers(confState: ConfState): void {
    this.tracker = new ProgressTracker(this.tracker.maxInflight);
    const next = this.log.lastIndex() + 1;
    for (const id of confState.voters) this.tracker.setMember(id, false, next);
    for (const id of confState.learners) this.tracker.setMember(id, true, next);
  }
}

function isVoteMessage(type: MessageType): boolean {
  return type === 'MsgVote' || type === 'MsgVoteResp' || type === 'MsgPreVote' || type === 'MsgPreVoteResp';
}
