// Followers and (pre-)candidates: accept the leader's log, forward requests to it, and
// count votes while campaigning.
import { RaftError } from './errors.ts';
import { message } from './message.ts';
import type { Raft } from './raft.ts';
import type { Message, Snapshot } from './types.ts';
import { NO_NODE } from './types.ts';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgProp':
    case 'MsgReadIndex':
      if (r.lead === NO_NODE) throw new RaftError('PROPOSAL_DROPPED', `no leader at term ${r.term}`);
      r.send({ ...m, to: r.lead });
      return;
    case 'MsgTransferLeader':
      if (r.lead !== NO_NODE) r.send({ ...m, to: r.lead });
      return;
    case 'MsgApp':
    case 'MsgHeartbeat':
    case 'MsgSnap':
      // Word from the leader: it is alive, so restart the election clock.
      r.electionElapsed = 0;
      r.lead = m.from;
      handleLeaderMessage(r, m);
      return;
    case 'MsgTimeoutNow':
      // The leader is handing over to us. No pre-vote: we know the group is healthy.
      r.hup('Transfer');
      return;
    case 'MsgReadIndexResp':
      if (m.entries.length === 1) r.readStates.push({ index: m.index, requestCtx: m.entries[0].data });
      return;
  }
}

export function stepCandidate(r: Raft, m: Message): void {
  const voteResponse = r.role === 'StatePreCandidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
  switch (m.type) {
    case 'MsgProp':
    case 'MsgReadIndex':
      throw new RaftError('PROPOSAL_DROPPED', `no leader at term ${r.term} (campaigning)`);
    case 'MsgApp':
    case 'MsgHeartbeat':
    case 'MsgSnap':
      // Someone won this term (step() already moved us to a newer term if it was one).
      r.becomeFollower(m.term, m.from);
      handleLeaderMessage(r, m);
      return;
  }
  if (m.type !== voteResponse) return;
  const result = r.poll(m.from, !m.reject);
  if (result === 'won') {
    if (r.role === 'StatePreCandidate') r.campaign('Election');
    else r.becomeLeader();
  } else if (result === 'lost') {
    // A pre-candidate returns to its old term; a candidate stays in its new one.
    r.becomeFollower(r.term, NO_NODE);
  }
}

function handleLeaderMessage(r: Raft, m: Message): void {
  if (m.type === 'MsgApp') handleAppendEntries(r, m);
  else if (m.type === 'MsgHeartbeat') handleHeartbeat(r, m);
  else handleSnapshot(r, m);
}

function handleAppendEntries(r: Raft, m: Message): void {
  if (m.index < r.log.committed) {
    // Everything up to our commit index matches the leader already.
    r.send(message({ type: 'MsgAppResp', to: m.from, index: r.log.committed }));
    return;
  }
  const lastNew = r.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew !== undefined) {
    r.send(message({ type: 'MsgAppResp', to: m.from, index: lastNew }));
    return;
  }
  // Our log lacks (m.index, m.logTerm). Hint at the last entry that could still match:
  // the latest one at or below m.index whose term is not newer than m.logTerm.
  const hint = r.log.findConflictByTerm(Math.min(m.index, r.log.lastIndex()), m.logTerm);
  r.send(message({
    type: 'MsgAppResp', to: m.from, index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term,
  }));
}

function handleHeartbeat(r: Raft, m: Message): void {
  // The leader caps the commit it sends here at what we hold (see bcastHeartbeat).
  r.log.commitTo(m.commit);
  r.send(message({ type: 'MsgHeartbeatResp', to: m.from, context: m.context }));
}

function handleSnapshot(r: Raft, m: Message): void {
  const installed = m.snapshot !== undefined && restore(r, m.snapshot);
  // Either way, tell the leader how far our log now goes (or is known committed).
  const index = installed ? r.log.lastIndex() : r.log.committed;
  r.send(message({ type: 'MsgAppResp', to: m.from, index }));
}

/**
 * Installs a snapshot from the leader. Returns false when it brings nothing new (we
 * already committed past it, or already hold its last entry — then we just commit).
 */
function restore(r: Raft, snapshot: Snapshot): boolean {
  const { index, term, confState } = snapshot.metadata;
  if (index <= r.log.committed) return false;
  if (r.log.matchTerm(index, term)) {
    r.log.commitTo(index);
    return false;
  }
  r.log.restore(snapshot);
  // The snapshot's membership may predate our own addition (a joining node first gets
  // the bootstrap snapshot): the conf change adding us follows in the log.
  r.setMembers(confState);
  return true;
}
