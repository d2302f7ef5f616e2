// The nemesis: for a while, one fault after another on a running cluster, each undone before
// the next, chosen by a seeded PRNG (each kind once per round of three) so a failing run can be described exactly:
//   kill      — kill -9 of up to a minority of members, restarted from their data dirs;
//   pause     — SIGSTOP of up to a minority (frozen with sockets open), then SIGCONT;
//   partition — a minority cut off from the rest at the peer proxies, then healed.
// The leader is the preferred victim half the time: its loss is what forces elections.
import type { Cluster } from '../cluster-harness.ts';
import type { Member } from '../harness.ts';
import { sleep } from './kv-history.ts';
import type { PeerProxies } from './peer-proxy.ts';

export type FaultKind = 'kill' | 'pause' | 'partition';

export interface FaultRecord {
  kind: FaultKind;
  members: string[];
  /** Milliseconds on the caller's clock. */
  at: number;
  healedAt?: number;
}

export interface NemesisOptions {
  durationMs: number;
  /** How long a fault lasts, in ms: [min, max). */
  faultMs: [number, number];
  /** Quiet time between faults, in ms: [min, max). */
  quietMs: [number, number];
  now: () => number;
  rng: () => number;
}

export class Nemesis {
  readonly faults: FaultRecord[] = [];

  constructor(private readonly cluster: Cluster, private readonly proxies: PeerProxies, private readonly options: NemesisOptions) {}

  async run(): Promise<void> {
    const { now, rng, durationMs } = this.options;
    const end = now() + durationMs;
    let round: FaultKind[] = [];
    while (now() < end) {
      await sleep(between(rng, this.options.quietMs));
      // Each round of three faults has one of each kind, in random order.
      if (round.length === 0) round = shuffle(rng, ['kill', 'pause', 'partition']);
      const kind = round.pop()!;
      const victims = await this.pickVictims();
      const record: FaultRecord = { kind, members: victims.map((m) => m.identity.name), at: now() };
      this.faults.push(record);
      await this.inject(kind, victims);
      await sleep(between(rng, this.options.faultMs));
      await this.heal(kind, victims);
      record.healedAt = now();
    }
  }

  /** One to a minority of members; the current leader among them half the time. */
  private async pickVictims(): Promise<Member[]> {
    const { rng } = this.options;
    const members = [...this.cluster.members];
    const minority = Math.floor((members.length - 1) / 2);
    const count = 1 + Math.floor(rng() * minority);
    const victims: Member[] = [];
    if (rng() < 0.5) {
      const leader = await this.currentLeader();
      if (leader) victims.push(leader);
    }
    while (victims.length < count) {
      const candidate = members[Math.floor(rng() * members.length)];
      if (!victims.includes(candidate)) victims.push(candidate);
    }
    return victims;
  }

  private async currentLeader(): Promise<Member | undefined> {
    const statuses = await this.cluster.statuses();
    return statuses.find((s) => s.status.leader === s.status.header.member_id)?.member;
  }

  private async inject(kind: FaultKind, victims: Member[]): Promise<void> {
    if (kind === 'kill') await Promise.all(victims.map((m) => m.kill9()));
    else if (kind === 'pause') for (const m of victims) m.pause();
    else this.proxies.partition(victims.map((m) => m.identity.name));
  }

  private async heal(kind: FaultKind, victims: Member[]): Promise<void> {
    if (kind === 'kill') await Promise.all(victims.map((m) => m.start()));
    else if (kind === 'pause') for (const m of victims) m.resume();
    else this.proxies.heal();
  }
}

function shuffle<T>(rng: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function between(rng: () => number, [min, max]: [number, number]): number {
  return min + rng() * (max - min);
}
