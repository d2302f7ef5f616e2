import { describe, expect, it } from 'vitest';
import { RaftError } from './errors.ts';
import { seededRandom } from './prng.ts';
import { RawNode } from './rawnode.ts';
import { MemoryStorage } from './storage.ts';
import type { Ready } from './types.ts';

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** The application's side of one Ready, minus sending (a sole voter has no peers). */
function persist(storage: MemoryStorage, rd: Ready): void {
  if (rd.snapshot) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState) storage.setHardState(rd.hardState);
}

function process(node: RawNode, storage: MemoryStorage): Ready {
  const rd = node.ready();
  persist(storage, rd);
  node.advance(rd);
  return rd;
}

function errorCode(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof RaftError) return err.code;
    throw err;
  }
  return undefined;
}

/** A bootstrapped sole voter that has campaigned and processed its first Ready. */
function soleLeader(): { node: RawNode; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const node = new RawNode({ id: '1', storage, rand: seededRandom(1) });
  node.bootstrap(['1']);
  node.campaign();
  process(node, storage);
  return { node, storage };
}

describe('RawNode with a single voter', () => {
  it('becomes leader in the first Ready after campaign(), with no ticks', () => {
    const storage = new MemoryStorage();
    const node = new RawNode({ id: '1', storage, rand: seededRandom(1) });
    node.bootstrap(['1']);
    node.campaign();
    expect(node.hasReady()).toBe(true);
    const rd = node.ready();
    expect(rd.softState).toEqual({ lead: '1', role: 'StateLeader' });
    expect(rd.snapshot?.metadata).toEqual({ index: 1, term: 1, confState: { voters: ['1'], learners: [] } });
    // The leader's no-op entry of term 2: to persist, and already committed.
    expect(rd.entries.map((e) => [e.index, e.term, e.type])).toEqual([[2, 2, 'EntryNormal']]);
    expect(rd.committedEntries.map((e) => e.index)).toEqual([2]);
    expect(rd.hardState).toEqual({ term: 2, vote: '1', commit: 2 });
    expect(rd.messages).toEqual([]);
    persist(storage, rd);
    node.advance(rd);
    expect(node.hasReady()).toBe(false);
    expect(node.status()).toMatchObject({ role: 'StateLeader', term: 2, commit: 2, applied: 2, lead: '1' });
  });

  it.each([
    { preVote: false, checkQuorum: false },
    { preVote: true, checkQuorum: false },
    { preVote: false, checkQuorum: true },
  ])('also leads at once with %o', (flags) => {
    const storage = new MemoryStorage();
    const node = new RawNode({ id: '1', storage, rand: seededRandom(1), ...flags });
    node.bootstrap(['1']);
    node.campaign();
    const rd = process(node, storage);
    expect(rd.softState?.role).toBe('StateLeader');
    expect(rd.committedEntries.map((e) => e.index)).toEqual([2]);
  });

  it('puts proposals in the next Ready both to persist and to apply', () => {
    const { node, storage } = soleLeader();
    for (let i = 0; i < 5; i++) node.propose(encode(`p${i}`));
    const rd = node.ready();
    expect(rd.entries.map((e) => decode(e.data))).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(rd.committedEntries.map((e) => e.index)).toEqual([3, 4, 5, 6, 7]);
    expect(rd.hardState).toEqual({ term: 2, vote: '1', commit: 7 });
    expect(rd.softState).toBeUndefined(); // unchanged
    persist(storage, rd);
    node.advance(rd);
    expect(node.status()).toMatchObject({ commit: 7, applied: 7 });
    expect(storage.lastIndex()).toBe(7);
  });

  it('batches proposals made between ready() and advance() into the next Ready', () => {
    const { node, storage } = soleLeader();
    node.propose(encode('a'));
    const first = node.ready();
    node.propose(encode('b'));
    node.propose(encode('c'));
    expect(node.hasReady()).toBe(false);
    expect(errorCode(() => node.ready())).toBe('READY_NOT_ADVANCED');
    persist(storage, first);
    node.advance(first);
    expect(first.entries.map((e) => decode(e.data))).toEqual(['a']);
    const second = process(node, storage);
    expect(second.entries.map((e) => decode(e.data))).toEqual(['b', 'c']);
    expect(second.committedEntries.map((e) => decode(e.data))).toEqual(['b', 'c']);
    expect(node.hasReady()).toBe(false);
  });

  it('answers readIndex in the next Ready with the commit index', () => {
    const { node, storage } = soleLeader();
    node.propose(encode('x'));
    node.readIndex(encode('read-1'));
    const rd = process(node, storage);
    expect(rd.readStates).toHaveLength(1);
    expect(rd.readStates[0].index).toBe(3);
    expect(decode(rd.readStates[0].requestCtx)).toBe('read-1');
  });

  it('stays leader through many ticks (check-quorum counts itself)', () => {
    const { node, storage } = soleLeader();
    for (let i = 0; i < 100; i++) {
      node.tick();
      while (node.hasReady()) process(node, storage);
    }
    expect(node.status()).toMatchObject({ role: 'StateLeader', term: 2 });
  });

  it('elects itself by ticking when nobody calls campaign()', () => {
    const storage = new MemoryStorage();
    const node = new RawNode({ id: '1', storage, rand: seededRandom(7) });
    node.bootstrap(['1']);
    for (let i = 0; i < 20 && node.status().role !== 'StateLeader'; i++) node.tick();
    expect(node.status().role).toBe('StateLeader');
  });

  it('restarts from storage with term, vote and commit, re-delivering unapplied entries', () => {
    const { node, storage } = soleLeader();
    node.propose(encode('a'));
    node.propose(encode('b'));
    process(node, storage);

    const restarted = new RawNode({ id: '1', storage, rand: seededRandom(2) });
    expect(restarted.status()).toMatchObject({ term: 2, vote: '1', commit: 4, applied: 1, role: 'StateFollower' });
    const rd = restarted.ready();
    expect(rd.hardState).toBeUndefined(); // nothing new to persist
    expect(rd.entries).toEqual([]);
    expect(rd.committedEntries.map((e) => e.index)).toEqual([2, 3, 4]);
    restarted.advance(rd);

    // With `applied`, entries the app already applied are not handed out again.
    const resumed = new RawNode({ id: '1', storage, applied: 3, rand: seededRandom(3) });
    expect(resumed.ready().committedEntries.map((e) => decode(e.data))).toEqual(['b']);
  });

  it('restarts after compaction and campaigns into a higher term', () => {
    const { node, storage } = soleLeader();
    for (let i = 0; i < 4; i++) node.propose(encode(`v${i}`));
    process(node, storage);
    storage.createSnapshot(5, { voters: ['1'], learners: [] }, encode('state@5'));
    storage.compact(5);

    const restarted = new RawNode({ id: '1', storage, rand: seededRandom(4) });
    expect(restarted.status()).toMatchObject({ term: 2, commit: 6, applied: 5 });
    restarted.campaign();
    const rd = process(restarted, storage);
    expect(rd.softState?.role).toBe('StateLeader');
    expect(rd.hardState).toEqual({ term: 3, vote: '1', commit: 7 });
    expect(rd.committedEntries.map((e) => e.index)).toEqual([6, 7]);
  });

  it('refuses to bootstrap twice', () => {
    const { storage } = soleLeader();
    const again = new RawNode({ id: '1', storage, rand: seededRandom(5) });
    expect(errorCode(() => again.bootstrap(['1']))).toBe('ALREADY_BOOTSTRAPPED');
  });
});

describe('RawNode without a leader', () => {
  it('throws PROPOSAL_DROPPED for propose() and readIndex()', () => {
    const node = new RawNode({ id: '1', storage: new MemoryStorage(), rand: seededRandom(6) });
    node.bootstrap(['1', '2', '3']);
    expect(errorCode(() => node.propose(encode('x')))).toBe('PROPOSAL_DROPPED');
    expect(errorCode(() => node.readIndex(encode('r')))).toBe('PROPOSAL_DROPPED');
    // Campaigning in a 3-voter group needs votes: still no leader, still dropped.
    node.campaign();
    expect(node.status().role).toBe('StatePreCandidate');
    expect(errorCode(() => node.propose(encode('x')))).toBe('PROPOSAL_DROPPED');
  });

  it('rejects local-only message types from peers', () => {
    const node = new RawNode({ id: '1', storage: new MemoryStorage(), rand: seededRandom(6) });
    expect(errorCode(() => node.step({
      type: 'MsgHup', to: '1', from: '2', term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0,
    }))).toBe('STEP_LOCAL_MSG');
  });
});
