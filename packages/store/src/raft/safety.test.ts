import { describe, expect, it } from 'vitest';
import { SimNetwork } from './test-network.ts';

// The chaos simulation itself runs in chaos-seeds-*.test.ts; these show its checks are live.
describe('the simulation\'s safety checks', () => {
  it('the checker catches two leaders in one term', () => {
    const net = new SimNetwork(['1', '2', '3'], { seed: 5 });
    const leader = net.electLeader();
    const other = [...net.nodes.values()].find((sim) => sim !== leader)!;
    const realStatus = other.node.status.bind(other.node);
    other.node.status = () => ({ ...realStatus(), role: 'StateLeader' });
    expect(() => net.observe()).toThrow(/election safety/);
  });

  it('the checker catches two different entries applied at one index', () => {
    const net = new SimNetwork(['1', '2', '3'], { seed: 6 });
    const leader = net.electLeader();
    net.propose(leader.id, 'x');
    net.stabilize();
    const [index] = leader.applied.at(-1)!.split('/');
    expect(() => net.checkApplied(`${index}/99/forged`)).toThrow(/state machine safety/);
  });
});
