// Test helper: one seeded chaos schedule over a simulated 3- or 5-node cluster, shared by
// the CI simulation (chaos-*.test.ts) and the soak script (soak/raft-sim-soak.ts).
//
// A seed fixes everything — cluster size, settings, the schedule — so any failure replays
// exactly: `node --import tsx packages/store/soak/raft-sim-soak.ts --seed N`.
import { seededRandom } from './prng.ts';
import { SimNetwork } from './test-network.ts';

export interface ChaosSummary {
  size: number;
  proposals: number;
  /** Entries every node ended up applying. */
  applied: number;
}

/**
 * Random ticks of single nodes or all; partial, shuffled, delayed and duplicated delivery with
 * losses; proposals anywhere; partitions; crashes (down for a while, or restarted at once)
 * with restart from persisted state; compactions; leadership transfers — under a random mix
 * of settings. SimNetwork checks election safety, log matching, leader completeness and state
 * machine safety after every Ready and throws on the first violation. At the end the network
 * is repaired and crashed nodes restarted; the cluster must then converge on one log.
 */
export function chaosRun(seed: number, steps = 300): ChaosSummary {
  const rng = seededRandom(seed * 7919 + 17);
  const size = rng() < 0.5 ? 3 : 5;
  const ids = Array.from({ length: size }, (_, i) => String(i + 1));
  const net = new SimNetwork(ids, {
    seed,
    electionTick: 3 + Math.floor(rng() * 5),
    dropRate: [0, 0.1, 0.3][seed % 3],
    duplicateRate: [0, 0.05, 0.2][Math.floor(rng() * 3)],
    delayRate: [0, 0.1, 0.3][Math.floor(rng() * 3)],
    reorder: true,
    preVote: rng() < 0.5,
    checkQuorum: rng() < 0.5,
    maxInflightMsgs: 1 + Math.floor(rng() * 4),
    maxSizePerMsg: rng() < 0.5 ? 60 : 1 << 20, // 60 bytes: about two entries per MsgApp
  });
  const pick = () => ids[Math.floor(rng() * size)];
  // Faults mostly hit a minority, so the cluster makes progress between them (and commits
  // enough to make the checks bite); now and then they take out a majority as well.
  const minority = (size - 1) / 2;
  const isolated = new Set<string>();
  const mayHitAnother = (hit: number) => hit < minority || rng() < 0.1;
  let proposals = 0;

  for (let step = 0; step < steps; step++) {
    const dice = rng();
    if (dice < 0.15) net.tick([pick()]);
    else if (dice < 0.22) net.tick();
    else if (dice < 0.7) net.deliver(1 + Math.floor(rng() * net.queue.length));
    else if (dice < 0.84) {
      const at = pick();
      if (!net.isDown(at)) net.propose(at, `s${seed}-${proposals++}`);
    } else if (dice < 0.87) {
      if (mayHitAnother(isolated.size)) {
        const id = pick();
        isolated.add(id);
        net.isolate(id);
      }
    } else if (dice < 0.9) {
      isolated.clear();
      net.heal();
    } else if (dice < 0.91) {
      if (mayHitAnother(ids.filter((id) => net.isDown(id)).length)) net.crash(pick());
    } else if (dice < 0.925) net.restart(pick());
    else if (dice < 0.96) net.get(pick()).compact();
    else {
      net.leaders()[0]?.node.transferLeader(pick());
      net.flush();
    }
  }

  // Repair the network. Uncommitted proposals may still be lost to a late election (that
  // is Raft working as designed), so retry until one survives, then demand agreement.
  net.heal();
  for (const id of ids) if (net.isDown(id)) net.restart(id);
  net.options.dropRate = 0;
  net.options.duplicateRate = 0;
  net.options.delayRate = 0;
  net.options.reorder = false;
  let converged = false;
  for (let attempt = 0; attempt < 10 && !converged; attempt++) {
    const leader = net.electLeader();
    net.propose(leader.id, `final-${attempt}`);
    for (let t = 0; t < 30; t++) {
      net.stabilize();
      net.tick();
    }
    net.stabilize();
    converged = [...net.nodes.values()].every((sim) => sim.appliedData().at(-1)?.startsWith('final-'));
  }
  if (!converged) throw new Error('the repaired cluster did not commit a final proposal within 10 elections');
  const reference = net.get(ids[0]).appliedData();
  for (const sim of net.nodes.values()) {
    const data = sim.appliedData();
    if (data.length !== reference.length || data.some((d, i) => d !== reference[i])) {
      throw new Error(`node ${sim.id} applied ${data.length} entries that differ from node ${ids[0]}'s ${reference.length}`);
    }
  }
  return { size, proposals, applied: reference.length };
}

/** Runs seeds [from, to] and rethrows the first failure with its seed, for reproduction. */
export function chaosRunSeeds(from: number, to: number): void {
  for (let seed = from; seed <= to; seed++) {
    try {
      chaosRun(seed);
    } catch (err) {
      throw new Error(`seed ${seed}: ${(err as Error).message} (replay: node --import tsx packages/store/soak/raft-sim-soak.ts --seed ${seed})`);
    }
  }
}
