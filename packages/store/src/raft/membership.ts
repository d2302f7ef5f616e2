// Membership changes, one member at a time ("single-step" conf changes, §4.1 of the Raft
// thesis). Adding or removing a single voter keeps every majority of the old voters and
// every majority of the new voters overlapping, so two leaders can never be elected by
// disjoint quorums while nodes switch over at different moments. That is also why the
// leader accepts a new conf change only after the previous one was applied (leader.ts).
import { bcastAppend } from './leader.ts';
import type { Raft } from './raft.ts';
import type { ConfChange, ConfState } from './types.ts';
import { NO_NODE } from './types.ts';

/**
 * Applies a committed conf change to `r`'s membership and returns the new ConfState. The
 * application calls this (through RawNode) when it applies the EntryConfChange.
 */
export function applyConfChange(r: Raft, cc: ConfChange): ConfState {
  // A change naming no node changes nothing (etcd allows it, e.g. to force a log entry).
  if (cc.nodeId === NO_NODE) return r.tracker.confState();
  // A new member's log is unknown: probe it from the end of ours.
  const next = r.log.lastIndex() + 1;
  switch (cc.type) {
    case 'ConfChangeAddNode':
      r.tracker.setMember(cc.nodeId, false, next); // also promotes a learner
      break;
    case 'ConfChangeAddLearnerNode':
      r.tracker.setMember(cc.nodeId, true, next); // also demotes a voter
      break;
    case 'ConfChangeRemoveNode':
      r.tracker.removeMember(cc.nodeId);
      break;
    case 'ConfChangeUpdateNode':
      break; // only the application's address book changes
  }
  const confState = r.tracker.confState();
  if (r.role !== 'StateLeader') return confState;
  if (!r.promotable()) {
    // We removed or demoted ourselves: stop leading so a remaining voter can take over.
    r.becomeFollower(r.term, NO_NODE);
    return confState;
  }
  // A smaller quorum may commit more (then everyone hears of it); new members need entries.
  if (r.maybeCommit()) bcastAppend(r);
  else bcastAppend(r, false);
  if (r.leadTransferee !== NO_NODE && !r.tracker.progress.has(r.leadTransferee)) r.abortLeaderTransfer();
  return confState;
}
