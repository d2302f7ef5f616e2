// The leader: accepts proposals, replicates its log to every follower at the pace each one
// can take (see progress.ts), commits by quorum, serves ReadIndex, and hands leadership
// over on request.
import { RaftError, RaftStorageError } from './errors.ts';
import { message } from './message.ts';
import type { Progress } from './progress.ts';
import type { Raft } from './raft.ts';
import type { Entry, Message, NodeId, Snapshot } from './types.ts';
import { NO_NODE } from './types.ts';

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgBeat':
      bcastHeartbeat(r);
      return;
    case 'MsgCheckQuorum':
      checkQuorum(r);
      return;
    case 'MsgProp':
      propose(r, m);
      return;
    case 'MsgReadIndex':
      readIndex(r, m);
      return;
  }
  // Everything else concerns one follower; ignore nodes that are not (or no longer) members.
  const pr = r.tracker.progress.get(m.from);
  if (!pr) return;
  switch (m.type) {
    case 'MsgAppResp':
      handleAppendResponse(r, m, pr);
      return;
    case 'MsgHeartbeatResp':
      handleHeartbeatResponse(r, m, pr);
      return;
    case 'MsgSnapStatus':
      // The application reports how sending our MsgSnap went.
      if (pr.state !== 'Snapshot') return;
      if (m.reject) pr.pendingSnapshot = 0; // failed: the follower may have nothing new
      pr.becomeProbe();
      // Either way, wait (for the MsgAppResp, or for a heartbeat round) before probing.
      pr.probeSent = true;
      return;
    case 'MsgUnreachable':
      // The transport lost a message: stop streaming optimistically, probe instead.
      if (pr.state === 'Replicate') pr.becomeProbe();
      return;
    case 'MsgTransferLeader':
      transferLeadership(r, m.from, pr);
      return;
  }
}

/** Steps down unless a quorum was heard from during the last election timeout. */
function checkQuorum(r: Raft): void {
  if (!r.tracker.quorumActive()) r.becomeFollower(r.term, NO_NODE);
  for (const [id, pr] of r.tracker.progress) {
    if (id !== r.id) pr.recentActive = false;
  }
}

function propose(r: Raft, m: Message): void {
  if (m.entries.length === 0) throw new Error('raft: empty proposal');
  if (!r.tracker.progress.has(r.id)) throw new RaftError('PROPOSAL_DROPPED', 'leader was removed from the group');
  if (r.leadTransferee !== NO_NODE) throw new RaftError('PROPOSAL_DROPPED', 'leadership transfer in progress');
  const confChanges = m.entries.filter((e) => e.type === 'EntryConfChange').length;
  if (confChanges > 0) {
    // Single-step changes are only safe one at a time: the next may be proposed once the
    // previous one was applied (and so changed the membership we count quorums over).
    if (confChanges > 1 || r.pendingConfIndex > r.log.applied) {
      throw new RaftError('PROPOSAL_DROPPED', 'another conf change is pending');
    }
    const position = m.entries.findIndex((e) => e.type === 'EntryConfChange');
    r.pendingConfIndex = r.log.lastIndex() + 1 + position;
  }
  r.appendEntries(m.entries);
  bcastAppend(r);
}

// ---- Replication -----------------------------------------------------------------------

/** Sends every follower what it is missing (with sendIfEmpty, at least the commit index). */
export function bcastAppend(r: Raft, sendIfEmpty = true): void {
  for (const id of r.tracker.progress.keys()) {
    if (id !== r.id) maybeSendAppend(r, id, sendIfEmpty);
  }
}

function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/**
 * Sends `to` the entries after its `next`, or a snapshot if we no longer have them.
 * Returns whether a message was sent (false when paused or, unless sendIfEmpty, idle).
 */
function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.tracker.progress.get(to)!;
  if (pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.log.term(prevIndex);
  const entries = prevTerm === undefined ? undefined : entriesFrom(r, pr.next);
  if (prevTerm === undefined || entries === undefined) return sendSnapshot(r, to, pr);
  if (entries.length === 0 && !sendIfEmpty) return false;

  r.send(message({ type: 'MsgApp', to, index: prevIndex, logTerm: prevTerm, entries, commit: r.log.committed }));
  if (entries.length > 0) {
    const last = entries[entries.length - 1].index;
    if (pr.state === 'Replicate') {
      pr.optimisticUpdate(last);
      pr.inflights.add(last);
    } else if (pr.state === 'Probe') {
      pr.probeSent = true;
    }
  }
  return true;
}

/** Entries from `next` on, or undefined if some were compacted away. */
function entriesFrom(r: Raft, next: number): Entry[] | undefined {
  try {
    return r.log.entries(next, r.maxSizePerMsg);
  } catch (err) {
    if (err instanceof RaftStorageError && err.code === 'COMPACTED') return undefined;
    throw err;
  }
}

function sendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  // Do not push a (possibly large) snapshot at a node we have not heard from lately.
  if (!pr.recentActive) return false;
  let snapshot: Snapshot;
  try {
    snapshot = r.log.snapshot();
  } catch (err) {
    // The application is still producing it; try again on a later round.
    if (err instanceof RaftStorageError && err.code === 'UNAVAILABLE') return false;
    throw err;
  }
  // A snapshot older than the compacted prefix would not bridge the gap: the application
  // compacted past its latest snapshot. Wait for it to create a newer one.
  if (snapshot.metadata.index < r.log.firstIndex() - 1) return false;
  r.send(message({ type: 'MsgSnap', to, snapshot }));
  pr.becomeSnapshot(snapshot.metadata.index);
  return true;
}

function handleAppendResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  if (m.reject) {
    // The follower's log does not contain (m.index, term). Its hint says where to retry:
    // with its term at the hint, we can also skip our own entries newer than that term.
    const retryAfter = m.logTerm > 0 ? r.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
    if (pr.maybeDecrTo(m.index, retryAfter)) {
      if (pr.state === 'Replicate') pr.becomeProbe();
      sendAppend(r, m.from);
    }
    return;
  }

  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) return;
  if (pr.state === 'Probe') {
    pr.becomeReplicate(); // found the match point: start streaming
  } else if (pr.state === 'Snapshot' && pr.match >= pr.pendingSnapshot) {
    pr.becomeProbe(); // the snapshot landed: continue right after it
    pr.becomeReplicate();
  } else if (pr.state === 'Replicate') {
    pr.inflights.freeLE(m.index);
  }

  if (r.maybeCommit()) {
    releasePendingReads(r);
    bcastAppend(r); // tell everyone the new commit index
  } else if (wasPaused) {
    sendAppend(r, m.from);
  }
  // Fill the follower's window with whatever else we have.
  while (maybeSendAppend(r, m.from, false));

  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

// ---- Heartbeats ------------------------------------------------------------------------

function bcastHeartbeat(r: Raft, context = r.readOnly.lastPendingContext()): void {
  for (const [id, pr] of r.tracker.progress) {
    if (id === r.id) continue;
    // Never tell a follower to commit past what it is known to hold.
    const commit = Math.min(pr.match, r.log.committed);
    r.send(message({ type: 'MsgHeartbeat', to: id, commit, context }));
  }
}

function handleHeartbeatResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.probeSent = false;
  // The follower is alive: make room in a full window so replication can resume.
  if (pr.state === 'Replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < r.log.lastIndex()) sendAppend(r, m.from);

  if (m.context === undefined || m.context.length === 0) return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (!acks || !r.tracker.hasQuorum(acks)) return;
  for (const read of r.readOnly.release(m.context)) respondToRead(r, read.request, read.index);
}

// ---- ReadIndex -------------------------------------------------------------------------

function readIndex(r: Raft, m: Message): void {
  if (r.tracker.isSingleVoter()) {
    // No one else could have been elected: our commit index is current.
    respondToRead(r, m, r.log.committed);
    return;
  }
  // Until an entry of our term commits, we do not know the true commit index (older-term
  // entries in our log may be committed without our knowing). Hold the read until then.
  if (r.log.term(r.log.committed) !== r.term) {
    r.pendingReadIndex.push(m);
    return;
  }
  startRead(r, m);
}

function startRead(r: Raft, m: Message): void {
  r.readOnly.addRequest(r.log.committed, m);
  r.readOnly.recvAck(r.id, m.entries[0].data);
  bcastHeartbeat(r, m.entries[0].data);
}

function releasePendingReads(r: Raft): void {
  if (r.pendingReadIndex.length === 0 || r.log.term(r.log.committed) !== r.term) return;
  const reads = r.pendingReadIndex;
  r.pendingReadIndex = [];
  for (const m of reads) startRead(r, m);
}

/** A read request's answer: a ReadState for our own, a MsgReadIndexResp for a follower's. */
function respondToRead(r: Raft, request: Message, index: number): void {
  if (request.from === NO_NODE || request.from === r.id) {
    r.readStates.push({ index, requestCtx: request.entries[0].data });
  } else {
    r.send(message({ type: 'MsgReadIndexResp', to: request.from, index, entries: request.entries }));
  }
}

// ---- Leadership transfer ---------------------------------------------------------------

/**
 * Hands leadership to `transferee`: first bring its log up to date, then tell it to
 * campaign at once (MsgTimeoutNow). Proposals are refused meanwhile so its log stays current.
 */
function transferLeadership(r: Raft, transferee: NodeId, pr: Progress): void {
  if (pr.isLearner) return; // a learner cannot lead
  if (r.leadTransferee !== NO_NODE) {
    if (r.leadTransferee === transferee) return; // already under way
    r.abortLeaderTransfer();
  }
  if (transferee === r.id) return; // we already lead
  // The transfer must finish within an election timeout, or tickHeartbeat aborts it.
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.log.lastIndex()) sendTimeoutNow(r, transferee);
  else sendAppend(r, transferee);
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send(message({ type: 'MsgTimeoutNow', to }));
}
