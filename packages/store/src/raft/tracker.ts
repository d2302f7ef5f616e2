// Membership and the majority arithmetic built on it: who votes, who only learns, what a
// quorum has replicated, and how an election is going.
import { Progress } from './progress.ts';
import type { ConfState, NodeId } from './types.ts';

export type VoteResult = 'won' | 'lost' | 'pending';

/** Orders decimal uint64 strings numerically, so ConfStates list members deterministically. */
export function compareNodeIds(a: NodeId, b: NodeId): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export class ProgressTracker {
  /** Progress of every member, voters and learners alike (the leader included). */
  readonly progress = new Map<NodeId, Progress>();
  /** Votes received in the current (pre-)election: true = granted. */
  private readonly votes = new Map<NodeId, boolean>();

  constructor(readonly maxInflight: number) {}

  voters(): NodeId[] {
    return [...this.progress].filter(([, pr]) => !pr.isLearner).map(([id]) => id).sort(compareNodeIds);
  }

  learners(): NodeId[] {
    return [...this.progress].filter(([, pr]) => pr.isLearner).map(([id]) => id).sort(compareNodeIds);
  }

  confState(): ConfState {
    return { voters: this.voters(), learners: this.learners() };
  }

  isVoter(id: NodeId): boolean {
    const pr = this.progress.get(id);
    return pr !== undefined && !pr.isLearner;
  }

  /** A group whose only voter is the leader decides everything on its own. */
  isSingleVoter(): boolean {
    return this.voters().length === 1;
  }

  /** Smallest number of voters that forms a majority. */
  quorum(): number {
    return Math.floor(this.voters().length / 2) + 1;
  }

  /** Adds (or re-flags) a member; a new member's log is unknown, so we probe from `next`. */
  setMember(id: NodeId, isLearner: boolean, next: number): void {
    const existing = this.progress.get(id);
    if (existing) {
      existing.isLearner = isLearner;
      return;
    }
    const pr = new Progress({ match: 0, next, maxInflight: this.maxInflight, isLearner });
    // A newcomer counts as active, so check-quorum does not depose the leader before the
    // new member had a chance to answer.
    pr.recentActive = true;
    this.progress.set(id, pr);
  }

  /**
   * Forgets what we knew about followers' logs (at a change of term or role): assume
   * nothing matches and probe from the end of our log. Our own log matches itself.
   */
  resetProgress(lastIndex: number, self: NodeId): void {
    for (const [id, old] of this.progress) {
      this.progress.set(id, new Progress({
        match: id === self ? lastIndex : 0,
        next: lastIndex + 1,
        maxInflight: this.maxInflight,
        isLearner: old.isLearner,
      }));
    }
  }

  removeMember(id: NodeId): void {
    this.progress.delete(id);
    this.votes.delete(id);
  }

  /**
   * The highest index replicated on a majority of voters: sort voters' match indexes from
   * highest to lowest; the quorum-th one is on at least a quorum of them.
   */
  committedIndex(): number {
    const matches = this.voters().map((id) => this.progress.get(id)!.match).sort((a, b) => b - a);
    if (matches.length === 0) return 0;
    return matches[this.quorum() - 1];
  }

  /** Whether a majority of voters has been heard from since the last check. */
  quorumActive(): boolean {
    const active = this.voters().filter((id) => this.progress.get(id)!.recentActive).length;
    return active >= this.quorum();
  }

  /** Whether the given set of responders contains a majority of voters. */
  hasQuorum(responders: Set<NodeId>): boolean {
    return this.voters().filter((id) => responders.has(id)).length >= this.quorum();
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records the first vote from each voter (later duplicates cannot change it). */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters()) {
      const vote = this.votes.get(id);
      if (vote === true) granted++;
      if (vote === false) rejected++;
    }
    const quorum = this.quorum();
    const result: VoteResult = granted >= quorum ? 'won' : rejected > this.voters().length - quorum ? 'lost' : 'pending';
    return { granted, rejected, result };
  }
}
