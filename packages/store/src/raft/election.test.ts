import { describe, expect, it } from 'vitest';
import { SimNetwork, type SimNode } from './test-network.ts';

const IDS = ['1', '2', '3'];

function followerOf(net: SimNetwork, leader: SimNode): SimNode {
  return [...net.nodes.values()].find((sim) => sim !== leader)!;
}

/** Cuts `node` off and lets only it tick for a while, as a partitioned node would. */
function strand(net: SimNetwork, node: SimNode, ticks: number): void {
  net.isolate(node.id);
  for (let i = 0; i < ticks; i++) {
    net.tick();
    net.stabilize();
  }
}

describe('pre-vote', () => {
  it('keeps a partitioned node from raising its term, so its return disrupts nothing', () => {
    const net = new SimNetwork(IDS, { seed: 61, preVote: true, checkQuorum: true });
    const leader = net.electLeader();
    const term = leader.node.status().term;
    const stranded = followerOf(net, leader);
    strand(net, stranded, 60);
    expect(stranded.node.status().term).toBe(term); // pre-votes failed; no term bump
    net.heal();
    net.electLeader();
    expect(net.leaders()).toEqual([leader]);
    expect(leader.node.status().term).toBe(term);
  });

  it('without it, the returning node forces a new election at a higher term', () => {
    const net = new SimNetwork(IDS, { seed: 62, preVote: false, checkQuorum: false });
    const leader = net.electLeader();
    const term = leader.node.status().term;
    const stranded = followerOf(net, leader);
    strand(net, stranded, 60);
    expect(stranded.node.status().term).toBeGreaterThan(term + 1);
    net.heal();
    const next = net.electLeader();
    expect(next.node.status().term).toBeGreaterThan(stranded.node.status().term - 1);
    expect(next.node.status().term).toBeGreaterThan(term);
  });
});

describe('check-quorum', () => {
  it('followers that hear from their leader ignore vote requests (leader lease)', () => {
    const net = new SimNetwork(IDS, { seed: 63, preVote: false, checkQuorum: true });
    const leader = net.electLeader();
    const term = leader.node.status().term;
    const stranded = followerOf(net, leader);
    strand(net, stranded, 30);
    expect(stranded.node.status().role).toBe('StateCandidate');
    net.heal();
    // Deliver only the stranded node's next round of vote requests.
    net.queue = [];
    while (!net.queue.some((m) => m.type === 'MsgVote')) net.tick([stranded.id]);
    net.queue = net.queue.filter((m) => m.type === 'MsgVote');
    net.deliver();
    net.queue = net.queue.filter((m) => m.from !== leader.id); // no other traffic
    expect(net.queue.filter((m) => m.type === 'MsgVoteResp')).toEqual([]);
    expect(leader.node.status()).toMatchObject({ role: 'StateLeader', term });
  });

  it('a leader that loses its quorum steps down on its own', () => {
    const net = new SimNetwork(IDS, { seed: 64, checkQuorum: true });
    const leader = net.electLeader();
    for (const sim of net.nodes.values()) if (sim !== leader) net.isolate(sim.id);
    net.tick([leader.id], 25);
    expect(leader.node.status().role).toBe('StateFollower');
  });
});

describe('log replication', () => {
  it('skips a long divergent run in a few round trips using rejection hints', () => {
    const net = new SimNetwork(IDS, { seed: 65 });
    const old = net.electLeader();
    net.isolate(old.id);
    for (let i = 0; i < 50; i++) net.propose(old.id, `stale-${i}`);
    net.queue = [];
    const others = [...net.nodes.values()].filter((sim) => sim !== old);
    let next: SimNode | undefined;
    while (!next) {
      net.tick(others.map((sim) => sim.id));
      net.stabilize();
      next = net.leaders().find((sim) => sim !== old);
    }
    for (let i = 0; i < 50; i++) net.propose(next.id, `fresh-${i}`);
    net.stabilize();
    // Hand over to the third node: a leader elected after the fresh entries starts probing
    // the old leader at its own last index, deep inside the divergent run.
    const third = others.find((sim) => sim !== next)!;
    next.node.transferLeader(third.id);
    net.flush();
    net.stabilize();
    expect(net.leaders()[0]).toBe(third);

    net.heal();
    const sentBefore = net.sent.length;
    for (let t = 0; t < 5; t++) {
      net.tick();
      net.stabilize();
    }
    const rejections = net.sent.slice(sentBefore).filter((m) => m.type === 'MsgAppResp' && m.reject && m.from === old.id);
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.length).toBeLessThanOrEqual(3);
    expect(old.appliedData().filter((d) => d.startsWith('fresh-'))).toHaveLength(50);
    expect(old.appliedData().some((d) => d.startsWith('stale-'))).toBe(false);
  });
});
