// Test helper: the four safety properties of the Raft paper (Figure 3), checked over the
// nodes of a simulated cluster after every Ready. Each check throws the moment its property
// fails, naming the nodes, indexes and terms involved, so a failing seed reads as a diagnosis.
//
//   election safety      — at most one leader per term, ever;
//   log matching         — two logs holding an entry with the same index and term are
//                          identical in every entry up through that index;
//   leader completeness  — an entry committed in term t is in the log of every leader of
//                          every term ≥ t;
//   state machine safety — no two nodes apply different entries at the same index.
//
// Logs are read from each node's Storage: the simulation persists every Ready before it
// observes, so storage is the node's whole log (what survives a crash).
import type { MemoryStorage } from './storage.ts';
import type { Entry, NodeId, RaftRole } from './types.ts';

/** What the checks need to see of one node. */
export interface ObservedNode {
  id: NodeId;
  storage: MemoryStorage;
  status(): { role: RaftRole; term: number; commit: number };
}

/** A committed entry: its term, and the lowest term in which any node knew it committed. */
interface CommittedEntry {
  term: number;
  knownInTerm: number;
}

export class SafetyChecks {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly appliedAt = new Map<number, string>();
  private readonly committed = new Map<number, CommittedEntry>();

  /** Runs the log-level checks over every node (after any Ready). */
  observe(nodes: ObservedNode[]): void {
    this.checkElectionSafety(nodes);
    this.recordCommitted(nodes);
    this.checkLeaderCompleteness(nodes);
    this.checkLogMatching(nodes);
  }

  /** Throws if two nodes ever claim leadership of the same term. */
  checkElectionSafety(nodes: ObservedNode[]): void {
    for (const node of nodes) {
      const { role, term } = node.status();
      if (role !== 'StateLeader') continue;
      const known = this.leaderOfTerm.get(term);
      if (known !== undefined && known !== node.id) {
        throw new Error(`election safety violated: ${known} and ${node.id} lead term ${term}`);
      }
      this.leaderOfTerm.set(term, node.id);
    }
  }

  /** Throws if another node applied a different entry ("index/term/data") at this index. */
  checkApplied(record: string): void {
    const index = Number(record.split('/')[0]);
    const known = this.appliedAt.get(index);
    if (known !== undefined && known !== record) {
      throw new Error(`state machine safety violated at ${index}: ${known} vs ${record}`);
    }
    this.appliedAt.set(index, record);
  }

  /**
   * Notes every entry a node knows to be committed. A node in term t learns its commit index
   * from the leader of term t (or from its own persisted state, written in a term ≤ t), so
   * everything up to it was committed in some term ≤ t.
   */
  private recordCommitted(nodes: ObservedNode[]): void {
    for (const node of nodes) {
      const { term, commit } = node.status();
      const first = node.storage.firstIndex();
      const last = Math.min(commit, node.storage.lastIndex());
      for (let index = first; index <= last; index++) {
        const entryTerm = node.storage.term(index);
        const known = this.committed.get(index);
        if (known === undefined) this.committed.set(index, { term: entryTerm, knownInTerm: term });
        else if (term < known.knownInTerm) known.knownInTerm = term;
        // A different term at a committed index would break leader completeness or
        // state machine safety; the checks below report it with more context.
      }
    }
  }

  /** Throws if a leader's log lacks an entry committed in its term or an earlier one. */
  checkLeaderCompleteness(nodes: ObservedNode[]): void {
    for (const node of nodes) {
      const { role, term } = node.status();
      if (role !== 'StateLeader') continue;
      const compactedUpTo = node.storage.firstIndex() - 1;
      for (const [index, entry] of this.committed) {
        if (entry.knownInTerm > term || index <= compactedUpTo) continue;
        const held = index <= node.storage.lastIndex() ? node.storage.term(index) : undefined;
        if (held !== entry.term) {
          throw new Error(
            `leader completeness violated: entry ${index} (term ${entry.term}) was committed by term ${entry.knownInTerm}, ` +
              `but leader ${node.id} of term ${term} holds ${held === undefined ? 'nothing' : `term ${held}`} there`,
          );
        }
      }
    }
  }

  /**
   * Throws if two logs agree on the term at some index but differ somewhere before it.
   * For each pair: find the highest index both hold with the same term, then compare every
   * entry both still hold up to it.
   */
  checkLogMatching(nodes: ObservedNode[]): void {
    for (let a = 0; a < nodes.length; a++) {
      for (let b = a + 1; b < nodes.length; b++) checkPair(nodes[a], nodes[b]);
    }
  }
}

function checkPair(a: ObservedNode, b: ObservedNode): void {
  const low = Math.max(a.storage.firstIndex(), b.storage.firstIndex());
  let agreed = Math.min(a.storage.lastIndex(), b.storage.lastIndex());
  while (agreed >= low && a.storage.term(agreed) !== b.storage.term(agreed)) agreed--;
  if (agreed < low) return;
  const left = a.storage.entries(low, agreed + 1);
  const right = b.storage.entries(low, agreed + 1);
  for (let k = 0; k < left.length; k++) {
    if (!sameEntry(left[k], right[k])) {
      throw new Error(
        `log matching violated: ${a.id} and ${b.id} agree on entry ${agreed} (term ${a.storage.term(agreed)}) ` +
          `but differ at ${left[k].index}: ${describe(left[k])} vs ${describe(right[k])}`,
      );
    }
  }
}

function sameEntry(x: Entry, y: Entry): boolean {
  if (x.index !== y.index || x.term !== y.term || x.type !== y.type || x.data.length !== y.data.length) return false;
  return x.data.every((byte, i) => byte === y.data[i]);
}

function describe(entry: Entry): string {
  return `term ${entry.term} "${new TextDecoder().decode(entry.data)}"`;
}
