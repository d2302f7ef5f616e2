import { describe, expect, it } from 'vitest';
import { SimNetwork } from './test-network.ts';

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i + 1));
}

/** Lets heartbeats spread commit indexes, then delivers everything. */
function settle(net: SimNetwork, ticks = 3): void {
  for (let i = 0; i < ticks; i++) {
    net.stabilize();
    net.tick();
  }
  net.stabilize();
}

describe.each([3, 5])('a %i-node cluster', (size) => {
  it('elects exactly one leader, whom every node follows', () => {
    const net = new SimNetwork(ids(size), { seed: size });
    const leader = net.electLeader();
    settle(net);
    expect(net.leaders().map((sim) => sim.id)).toEqual([leader.id]);
    const term = leader.node.status().term;
    for (const sim of net.nodes.values()) {
      expect(sim.node.status()).toMatchObject({ lead: leader.id, term });
    }
  });

  it('commits proposals from the leader and from followers on every node', () => {
    const net = new SimNetwork(ids(size), { seed: 10 + size });
    const leader = net.electLeader();
    const follower = [...net.nodes.values()].find((sim) => sim !== leader)!;
    const expected: string[] = [];
    for (let i = 0; i < 10; i++) {
      const at = i % 2 === 0 ? leader : follower; // followers forward MsgProp
      expect(net.propose(at.id, `v${i}`)).toBe(true);
      expected.push(`v${i}`);
      net.stabilize();
    }
    settle(net);
    for (const sim of net.nodes.values()) expect(sim.appliedData()).toEqual(expected);
  });
});

describe('leader failure', () => {
  it('elects a new leader with a higher term when the leader is cut off', () => {
    const net = new SimNetwork(ids(3), { seed: 21 });
    const old = net.electLeader();
    const oldTerm = old.node.status().term;
    net.isolate(old.id);
    const others = [...net.nodes.values()].filter((sim) => sim !== old);
    let next = undefined;
    for (let t = 0; t < 100 && !next; t++) {
      net.tick();
      net.stabilize();
      next = net.leaders().find((sim) => sim !== old);
    }
    expect(next).toBeDefined();
    expect(others).toContain(next);
    expect(next!.node.status().term).toBeGreaterThan(oldTerm);
    // Check-quorum: within two election timeouts (the first check may still count replies
    // from before the cut) the isolated leader notices it lost its quorum and steps down.
    net.tick(undefined, 20);
    expect(old.node.status().role).not.toBe('StateLeader');
  });

  it('overwrites the old leader\'s uncommitted entries when it rejoins (log matching)', () => {
    const net = new SimNetwork(ids(3), { seed: 22 });
    const old = net.electLeader();
    net.propose(old.id, 'committed');
    settle(net);
    net.isolate(old.id);
    // Appended to the old leader's log only; can never commit.
    net.propose(old.id, 'lost-1');
    net.propose(old.id, 'lost-2');
    net.queue = []; // they went nowhere
    const lostIndex = old.storage.lastIndex();
    const lostTerm = old.storage.term(lostIndex);

    const others = [...net.nodes.values()].filter((sim) => sim !== old);
    let next = undefined;
    for (let t = 0; t < 100 && !next; t++) {
      net.tick(others.map((sim) => sim.id));
      net.stabilize();
      next = net.leaders().find((sim) => sim !== old);
    }
    expect(next).toBeDefined();
    net.propose(next!.id, 'won-1');
    net.propose(next!.id, 'won-2');
    net.propose(next!.id, 'won-3');
    net.stabilize();

    net.heal();
    settle(net, 5);
    expect(net.leaders()).toEqual([next]);
    expect(old.storage.term(lostIndex)).not.toBe(lostTerm);
    expect(old.storage.term(lostIndex)).toBe(next!.storage.term(lostIndex));
    for (const sim of net.nodes.values()) {
      expect(sim.appliedData()).toEqual(['committed', 'won-1', 'won-2', 'won-3']);
    }
    // Log matching: the logs are now identical, entry for entry.
    expect(old.storage.entries(2, old.storage.lastIndex() + 1)).toEqual(next!.storage.entries(2, next!.storage.lastIndex() + 1));
  });
});

describe('snapshots', () => {
  it('brings a follower behind the compacted log up to date with MsgSnap', () => {
    const net = new SimNetwork(ids(3), { seed: 31 });
    const leader = net.electLeader();
    const lagging = [...net.nodes.values()].find((sim) => sim !== leader)!;
    net.isolate(lagging.id);
    const expected: string[] = [];
    for (let i = 0; i < 30; i++) {
      net.propose(leader.id, `e${i}`);
      expected.push(`e${i}`);
      net.stabilize();
    }
    settle(net);
    leader.compact();
    const compactedTo = leader.storage.firstIndex() - 1;
    expect(compactedTo).toBeGreaterThan(30);

    net.heal();
    settle(net, 10);
    expect(net.sent.some((m) => m.type === 'MsgSnap' && m.to === lagging.id)).toBe(true);
    expect(lagging.storage.snapshot().metadata.index).toBe(compactedTo);
    expect(lagging.appliedData()).toEqual(expected);

    // And it keeps replicating normally afterwards.
    net.propose(leader.id, 'after');
    settle(net);
    expect(lagging.appliedData()).toEqual([...expected, 'after']);
    expect(leader.node.status().progress?.[lagging.id].state).toBe('Replicate');
  });

  it('restarted nodes recover their state from storage and keep up', () => {
    const net = new SimNetwork(ids(3), { seed: 32 });
    const leader = net.electLeader();
    for (let i = 0; i < 5; i++) net.propose(leader.id, `r${i}`);
    settle(net);
    for (const sim of net.nodes.values()) sim.compact();
    net.propose(leader.id, 'r5');
    settle(net);
    for (const sim of net.nodes.values()) sim.restart();
    net.electLeader();
    net.propose(net.leaders()[0].id, 'r6');
    settle(net);
    for (const sim of net.nodes.values()) {
      expect(sim.appliedData()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    }
  });
});

describe('ReadIndex and leadership transfer', () => {
  it('serves a follower\'s read at the leader\'s commit index after a heartbeat round', () => {
    const net = new SimNetwork(ids(3), { seed: 41 });
    const leader = net.electLeader();
    net.propose(leader.id, 'w');
    settle(net);
    const follower = [...net.nodes.values()].find((sim) => sim !== leader)!;
    follower.node.readIndex(encode('req-1'));
    net.flush();
    net.stabilize();
    expect(follower.readStates.map((rs) => [rs.index, decode(rs.requestCtx)]))
      .toEqual([[leader.node.status().commit, 'req-1']]);
  });

  it('does not confirm a read when the leader cannot reach a quorum', () => {
    const net = new SimNetwork(ids(3), { seed: 42 });
    const leader = net.electLeader();
    settle(net);
    for (const sim of net.nodes.values()) if (sim !== leader) net.isolate(sim.id);
    leader.node.readIndex(encode('req-2'));
    net.flush();
    net.stabilize();
    expect(leader.readStates).toEqual([]);
  });

  it('holds a new leader\'s reads until an entry of its own term commits', () => {
    const net = new SimNetwork(ids(3), { seed: 44 });
    const first = net.electLeader();
    settle(net);
    // Elect a new leader, but stop before its no-op entry is acknowledged by anyone.
    const next = [...net.nodes.values()].find((sim) => sim !== first)!;
    first.node.transferLeader(next.id);
    net.flush();
    while (next.node.status().role !== 'StateLeader') net.deliver(1);
    net.queue = net.queue.filter((m) => m.type !== 'MsgAppResp');
    next.node.readIndex(encode('early'));
    net.flush();
    expect(next.readStates).toEqual([]);
    settle(net);
    expect(next.readStates.map((rs) => decode(rs.requestCtx))).toEqual(['early']);
    expect(next.readStates[0].index).toBe(next.node.status().commit);
  });

  it('refuses proposals while a transfer is under way, then hands over to a lagging target', () => {
    const net = new SimNetwork(ids(3), { seed: 45 });
    const leader = net.electLeader();
    const target = [...net.nodes.values()].find((sim) => sim !== leader)!;
    net.isolate(target.id);
    net.propose(leader.id, 'while-away');
    net.stabilize();
    net.heal();
    leader.node.transferLeader(target.id);
    expect(() => leader.node.propose(encode('during'))).toThrow(/transfer/);
    net.flush();
    settle(net);
    expect(net.leaders()).toEqual([target]);
    expect(target.appliedData()).toEqual(['while-away']);
  });

  it('hands leadership to the requested voter', () => {
    const net = new SimNetwork(ids(3), { seed: 43 });
    const leader = net.electLeader();
    settle(net);
    const target = [...net.nodes.values()].find((sim) => sim !== leader)!;
    const term = leader.node.status().term;
    leader.node.transferLeader(target.id);
    net.flush();
    net.stabilize();
    expect(net.leaders()).toEqual([target]);
    expect(target.node.status().term).toBe(term + 1);
  });
});

describe('membership changes', () => {
  it('adds a fresh node, which catches up and then counts toward the quorum', () => {
    const net = new SimNetwork(ids(3), { seed: 51 });
    const leader = net.electLeader();
    net.propose(leader.id, 'before');
    settle(net);
    net.addNode('4');
    leader.node.proposeConfChange({ id: '1', type: 'ConfChangeAddNode', nodeId: '4', context: new Uint8Array() });
    net.flush();
    settle(net, 5);
    const joined = net.get('4');
    expect(leader.confState.voters).toEqual(['1', '2', '3', '4']);
    expect(joined.confState.voters).toEqual(['1', '2', '3', '4']);
    expect(joined.appliedData()).toEqual(['before']);

    // With four voters the quorum is three: two nodes cut off means no progress.
    const others = ['1', '2', '3', '4'].filter((id) => id !== leader.id);
    net.isolate(others[0]);
    net.isolate(others[1]);
    net.propose(leader.id, 'stuck');
    settle(net);
    expect(leader.appliedData()).toEqual(['before']);
    net.heal();
    settle(net, 5);
    expect(joined.appliedData()).toEqual(['before', 'stuck']);
  });

  it('adds a learner that replicates without voting, then promotes it', () => {
    const net = new SimNetwork(ids(3), { seed: 53 });
    const leader = net.electLeader();
    net.addNode('4');
    leader.node.proposeConfChange({ id: '1', type: 'ConfChangeAddLearnerNode', nodeId: '4', context: new Uint8Array() });
    net.flush();
    settle(net, 5);
    const learner = net.get('4');
    expect(leader.confState).toEqual({ voters: ['1', '2', '3'], learners: ['4'] });
    net.propose(leader.id, 'seen-by-learner');
    settle(net);
    expect(learner.appliedData()).toEqual(['seen-by-learner']);
    // A learner never campaigns, however long it waits.
    net.isolate(learner.id);
    net.tick([learner.id], 100);
    expect(learner.node.status().role).toBe('StateFollower');
    net.heal();

    leader.node.proposeConfChange({ id: '2', type: 'ConfChangeAddNode', nodeId: '4', context: new Uint8Array() });
    net.flush();
    settle(net, 5);
    expect(learner.confState).toEqual({ voters: ['1', '2', '3', '4'], learners: [] });
    expect(leader.node.status().progress?.['4'].isLearner).toBe(false);
  });

  it('removes a voter, shrinking the quorum, and refuses a second concurrent change', () => {
    const net = new SimNetwork(ids(3), { seed: 52 });
    const leader = net.electLeader();
    settle(net);
    const removed = [...net.nodes.values()].find((sim) => sim !== leader)!;
    const cc = { id: '2', type: 'ConfChangeRemoveNode' as const, nodeId: removed.id, context: new Uint8Array() };
    leader.node.proposeConfChange(cc);
    expect(() => leader.node.proposeConfChange(cc)).toThrow(/pending/);
    net.flush();
    settle(net);
    expect(leader.confState.voters).not.toContain(removed.id);
    expect(leader.confState.voters).toHaveLength(2);

    net.nodes.delete(removed.id);
    const remaining = [...net.nodes.values()].find((sim) => sim !== leader)!;
    net.propose(leader.id, 'two-voters');
    settle(net);
    expect(remaining.appliedData()).toEqual(['two-voters']);
  });
});
