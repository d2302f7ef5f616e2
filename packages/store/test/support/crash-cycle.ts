// The crash cycle shared by test/crash.test.ts and soak/crash-soak.ts: concurrent writers
// against one real `k8ts store` process, kill -9 at a seeded random moment, restart on the same
// data dir, then check that nothing acknowledged was lost and that the revision history is
// exactly the writes that happened, one transaction per revision.
//
// How the checks work. Writer w owns the keys under `crash/w<w>/` and issues one request at a
// time (puts of new keys, overwrites, deletes, multi-op txns), so its own view of those keys is
// exact as long as every request it sent was answered. A request that fails (the member died
// under it) leaves that view uncertain, so the writer stops for the rest of the cycle; each
// cycle has at most one such "in-doubt" request per writer. Every request writes values that
// name the request, so its effect is recognisable in the history.
//
// After the restart the whole history since the last verified revision is read back with a
// watch (from revision 1 every `fullHistoryEvery` cycles) and every revision must be
// - the revision an acknowledged request was answered with, holding exactly its events, or
// - the complete effect of one in-doubt request (all of a txn or none of it), at most once,
// with no revision skipped, none after the current one, and earlier history unchanged. The
// model of the key space is then advanced by replaying those requests in revision order, and
// a range over the key space must match it exactly (value, mod/create revision, version).
// A few older acknowledged puts are also read back at their own revision.
import { seededRandom } from '../../src/raft/prng.ts';
import { EtcdClient, prefixEnd, str, type KeyValue, type RequestOp, type WatchEvent } from '../../src/client/etcd-client.ts';
import type { Member } from '../harness.ts';

export const KEY_PREFIX = 'crash/';
/** etcd's "\0" range end: every key from `key` on. */
const ALL_KEYS = { key: Buffer.from([0]), range_end: Buffer.from([0]) };
const CALL_DEADLINE_MS = 10_000;
const WATCH_DEADLINE_MS = 60_000;
const READY_ATTEMPTS = 100;

export interface CrashCycleOptions {
  /** Seeds every random choice (op mix, kill delay); the same seed replays the same schedule. */
  seed: number;
  /** Concurrent writers. Default 8. */
  writers?: number;
  /** The kill comes after a delay drawn from [min, max) ms once the writers start. */
  killDelayMs?: [number, number];
  /** Read the history back from revision 1 every N cycles (1 = always). Default 1. */
  fullHistoryEvery?: number;
  /** Older acknowledged puts read back at their revision per cycle. Default 20. */
  historicSamples?: number;
}

export interface CycleResult {
  cycle: number;
  killDelayMs: number;
  acknowledged: number;
  /** Requests that failed when the member died. */
  inDoubt: number;
  /** In-doubt requests that turned out to be applied (and durable). */
  inDoubtApplied: number;
  /** Revision after the restart. */
  revision: number;
  fullHistory: boolean;
  /** How long the restart after the kill took, and the checks after it. */
  restartMs: number;
  verifyMs: number;
  violations: string[];
}

type Effect = { type: 'PUT'; key: string; value: string } | { type: 'DELETE'; key: string };

interface Op {
  id: string;
  writer: number;
  kind: 'put' | 'overwrite' | 'delete' | 'txn';
  effects: Effect[];
  /** The events one revision must hold if this op was applied, sorted and joined. */
  digest: string;
}

interface AckedOp extends Op {
  revision: number;
}

interface KeyState {
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

export class CrashCycleRunner {
  /** Every key the writers own, as the verified history says it must be. */
  private readonly model = new Map<string, KeyState>();
  /** Digest of every verified revision (base+1 .. lastVerified). */
  private readonly history = new Map<number, string>();
  /** Acknowledged puts of earlier cycles, for reads at a past revision. */
  private readonly pastPuts: { key: string; value: string; revision: number }[] = [];
  private readonly nextKey: number[];
  private readonly writers: number;
  private readonly killDelay: [number, number];
  private readonly fullHistoryEvery: number;
  private readonly historicSamples: number;
  private lastVerified: number;
  private cycle = 0;
  private opCounter = 0;
  private trafficCounter = 0;
  private verifyCounter = 0;
  /** What the writers did since the last verification. */
  private acked: AckedOp[] = [];
  private inDoubt: Op[] = [];
  private pendingViolations: string[] = [];

  readonly totals = { cycles: 0, acknowledged: 0, inDoubt: 0, inDoubtApplied: 0, violations: 0 };

  private constructor(
    private readonly member: Member,
    private readonly options: CrashCycleOptions,
    /** The revision before the first write. */
    readonly baseRevision: number,
  ) {
    this.writers = options.writers ?? 8;
    this.killDelay = options.killDelayMs ?? [20, 700];
    this.fullHistoryEvery = options.fullHistoryEvery ?? 1;
    this.historicSamples = options.historicSamples ?? 20;
    this.nextKey = new Array<number>(this.writers).fill(0);
    this.lastVerified = baseRevision;
  }

  /** For a started member whose key space holds nothing under crash/ yet. */
  static async create(member: Member, options: CrashCycleOptions): Promise<CrashCycleRunner> {
    const client = new EtcdClient(member.endpoint);
    try {
      const response = await readyRange(client, { key: KEY_PREFIX, range_end: prefixEnd(KEY_PREFIX) });
      if (response.kvs.length > 0) throw new Error(`the member already holds keys under ${KEY_PREFIX}`);
      return new CrashCycleRunner(member, options, Number(response.header.revision));
    } finally {
      client.close();
    }
  }

  /** The newest revision checked so far. */
  get verifiedRevision(): number {
    return this.lastVerified;
  }

  /** One cycle: traffic, kill -9 mid-traffic, restart, verification. The member is running after it. */
  async runCycle(): Promise<CycleResult> {
    const cycle = ++this.cycle;
    const random = seededRandom(mix(this.options.seed, cycle));
    const killDelayMs = Math.floor(this.killDelay[0] + random() * (this.killDelay[1] - this.killDelay[0]));
    await this.traffic({ killAfterMs: killDelayMs });
    const restartStart = Date.now();
    try {
      await this.member.restart();
    } catch (error) {
      const { acked, inDoubt, violations } = this.takePending();
      violations.push(`cycle ${cycle}: the member did not come back after kill -9: ${(error as Error).message}`);
      return this.finish({
        cycle, killDelayMs, acknowledged: acked.length, inDoubt: inDoubt.length, inDoubtApplied: 0, revision: -1,
        fullHistory: false, restartMs: Date.now() - restartStart, verifyMs: 0, violations,
      });
    }
    const restartMs = Date.now() - restartStart;
    return { ...(await this.verifyPending(killDelayMs)), restartMs };
  }

  /**
   * Runs the writers against the member: until kill -9 after `killAfterMs`, or for
   * `opsPerWriter` requests each (all answered, unless the member fails). What they did is kept
   * until verifyPending().
   */
  async traffic(plan: { killAfterMs: number } | { opsPerWriter: number }): Promise<void> {
    const client = new EtcdClient(this.member.endpoint);
    const trafficNo = ++this.trafficCounter;
    try {
      await readyRange(client, { key: KEY_PREFIX, limit: 1 });
      const stop = { now: false };
      const limit = 'opsPerWriter' in plan ? plan.opsPerWriter : Infinity;
      const runs = Array.from({ length: this.writers }, (_, w) =>
        this.runWriter(client, w, seededRandom(mix(this.options.seed, trafficNo * 1000 + w + 1)), stop, limit));
      if ('killAfterMs' in plan) {
        await sleep(plan.killAfterMs);
        stop.now = true;
        await this.member.kill9();
      }
      await Promise.all(runs);
    } finally {
      client.close();
    }
  }

  /**
   * Checks the member (already restarted, or never stopped) against everything written since the
   * last check, and moves the model forward.
   */
  async verifyPending(killDelayMs = 0): Promise<CycleResult> {
    const cycle = this.cycle;
    const { acked, inDoubt, violations } = this.takePending();
    const random = seededRandom(mix(this.options.seed, 0x5eed0000 + ++this.verifyCounter));
    const fullHistory = this.verifyCounter % this.fullHistoryEvery === 0;
    const verifier = new EtcdClient(this.member.endpoint);
    const verifyStart = Date.now();
    try {
      const { revision, inDoubtApplied } = await this.verify(verifier, `check ${this.verifyCounter} (cycle ${cycle})`, acked, inDoubt, fullHistory, random, violations);
      return this.finish({
        cycle, killDelayMs, acknowledged: acked.length, inDoubt: inDoubt.length, inDoubtApplied, revision, fullHistory,
        restartMs: 0, verifyMs: Date.now() - verifyStart, violations,
      });
    } finally {
      verifier.close();
    }
  }

  private takePending(): { acked: AckedOp[]; inDoubt: Op[]; violations: string[] } {
    const taken = { acked: this.acked, inDoubt: this.inDoubt, violations: this.pendingViolations };
    this.acked = [];
    this.inDoubt = [];
    this.pendingViolations = [];
    return taken;
  }

  /** Reads the whole history back from the first revision and checks it against what was verified. */
  async checkFullHistory(): Promise<string[]> {
    const client = new EtcdClient(this.member.endpoint);
    const violations: string[] = [];
    try {
      const current = Number((await readyRange(client, { key: KEY_PREFIX, limit: 1 })).header.revision);
      if (current !== this.lastVerified) violations.push(`revision is ${current}, expected ${this.lastVerified} (no writes since the last check)`);
      const byRevision = await readHistory(client, this.baseRevision + 1, current, violations);
      this.compareWithVerified(byRevision, this.baseRevision + 1, Math.min(current, this.lastVerified), violations);
    } finally {
      client.close();
    }
    this.totals.violations += violations.length;
    return violations;
  }

  private finish(result: CycleResult): CycleResult {
    this.totals.cycles++;
    this.totals.acknowledged += result.acknowledged;
    this.totals.inDoubt += result.inDoubt;
    this.totals.inDoubtApplied += result.inDoubtApplied;
    this.totals.violations += result.violations.length;
    return result;
  }

  // ---- writers ----

  private async runWriter(
    client: EtcdClient,
    writer: number,
    random: () => number,
    stop: { now: boolean },
    limit: number,
  ): Promise<void> {
    const violations = this.pendingViolations;
    // This writer's keys and their versions, exact while every request is answered.
    const mine = new Map<string, number>();
    const ownPrefix = `${KEY_PREFIX}w${writer}/`;
    for (const [key, state] of this.model) if (key.startsWith(ownPrefix)) mine.set(key, state.version);
    let lastRevision = 0;

    for (let sent = 0; !stop.now && sent < limit; sent++) {
      const op = this.planOp(writer, random, mine);
      let revision: number;
      try {
        revision = await this.send(client, op, mine);
      } catch (error) {
        if (error instanceof Refused) {
          violations.push(`cycle ${this.cycle}: ${op.id} (${op.kind}) was refused: ${error.message}`);
        } else if (!stop.now) {
          violations.push(`cycle ${this.cycle}: ${op.id} (${op.kind}) failed while the member was meant to be up: ${(error as Error).message}`);
        }
        this.inDoubt.push(op);
        return; // the outcome is unknown: this writer's view is no longer exact
      }
      if (revision <= lastRevision) {
        violations.push(`cycle ${this.cycle}: ${op.id} was answered with revision ${revision}, not after this writer's previous write at ${lastRevision}`);
      }
      lastRevision = revision;
      this.acked.push({ ...op, revision });
      for (const effect of op.effects) {
        if (effect.type === 'PUT') mine.set(effect.key, (mine.get(effect.key) ?? 0) + 1);
        else mine.delete(effect.key);
      }
    }
  }

  private planOp(writer: number, random: () => number, mine: Map<string, number>): Op {
    const id = `op${++this.opCounter}`;
    const newKey = () => `${KEY_PREFIX}w${writer}/k${String(this.nextKey[writer]++).padStart(6, '0')}`;
    const value = (key: string) => `${id}|${key}|${'v'.repeat(Math.floor(random() * 200))}`;
    const existing = [...mine.keys()];
    const pickExisting = (except?: string): string | undefined => {
      const choices = except === undefined ? existing : existing.filter((key) => key !== except);
      return choices.length === 0 ? undefined : choices[Math.floor(random() * choices.length)];
    };
    const roll = random();
    const target = pickExisting();
    let kind: Op['kind'] = 'put';
    let effects: Effect[];
    if (roll < 0.55 || target === undefined) {
      const key = newKey();
      effects = [{ type: 'PUT', key, value: value(key) }];
    } else if (roll < 0.7) {
      kind = 'overwrite';
      effects = [{ type: 'PUT', key: target, value: value(target) }];
    } else if (roll < 0.82) {
      kind = 'delete';
      effects = [{ type: 'DELETE', key: target }];
    } else {
      kind = 'txn';
      const created = newKey();
      effects = [
        { type: 'PUT', key: created, value: value(created) },
        { type: 'PUT', key: target, value: value(target) },
      ];
      const removed = random() < 0.6 ? pickExisting(target) : undefined;
      if (removed !== undefined) effects.push({ type: 'DELETE', key: removed });
    }
    return { id, writer, kind, effects, digest: digestOf(effects) };
  }

  /** Sends op; resolves with the revision it was answered with. Refused = answered, but wrongly. */
  private async send(client: EtcdClient, op: Op, mine: Map<string, number>): Promise<number> {
    return withDeadline(this.sendOnce(client, op, mine), `${op.id} (${op.kind})`);
  }

  private async sendOnce(client: EtcdClient, op: Op, mine: Map<string, number>): Promise<number> {
    switch (op.kind) {
      case 'put':
      case 'overwrite': {
        const [effect] = op.effects as [{ type: 'PUT'; key: string; value: string }];
        const response = await client.put({ key: effect.key, value: effect.value });
        return Number(response.header.revision);
      }
      case 'delete': {
        const response = await client.deleteRange({ key: op.effects[0].key });
        if (response.deleted !== '1') throw new Refused(`deleted ${response.deleted} keys, expected 1 (the key existed)`);
        return Number(response.header.revision);
      }
      case 'txn': {
        const compared = op.effects[1].key;
        const success: RequestOp[] = op.effects.map((effect) =>
          effect.type === 'PUT'
            ? { request_put: { key: effect.key, value: effect.value } }
            : { request_delete_range: { key: effect.key } });
        const response = await client.txn({
          compare: [{ result: 'EQUAL', target: 'VERSION', key: compared, version: mine.get(compared)! }],
          success,
          failure: [{ request_range: { key: compared } }],
        });
        if (!response.succeeded) {
          throw new Refused(`its compare (version of ${compared} = ${mine.get(compared)}) failed`);
        }
        return Number(response.header.revision);
      }
    }
  }

  // ---- verification ----

  private async verify(
    client: EtcdClient,
    where: string,
    acked: AckedOp[],
    inDoubt: Op[],
    fullHistory: boolean,
    random: () => number,
    violations: string[],
  ): Promise<{ revision: number; inDoubtApplied: number }> {
    const current = Number((await readyRange(client, { key: KEY_PREFIX, limit: 1 })).header.revision);
    const lastVerified = this.lastVerified;
    if (current < lastVerified) {
      violations.push(`${where}: revision went back from ${lastVerified} to ${current} across the restart`);
    }
    const from = fullHistory ? this.baseRevision + 1 : lastVerified + 1;
    const byRevision = await readHistory(client, from, current, violations);
    this.compareWithVerified(byRevision, from, Math.min(lastVerified, current), violations);

    // Every new revision is one acknowledged op or one whole in-doubt op.
    const ackedAt = new Map<number, AckedOp>();
    for (const op of acked) {
      const other = ackedAt.get(op.revision);
      if (other) violations.push(`${where}: ${other.id} and ${op.id} were both answered with revision ${op.revision}`);
      ackedAt.set(op.revision, op);
      if (op.revision <= lastVerified) {
        violations.push(`${where}: ${op.id} was answered with revision ${op.revision}, which an earlier cycle already holds`);
      } else if (op.revision > current) {
        violations.push(`${where}: acknowledged ${op.id} (${op.kind} at revision ${op.revision}) is lost: the member restarted at revision ${current}`);
      }
    }
    const unmatched = new Map(inDoubt.map((op) => [op.digest, op]));
    const applied: { revision: number; op: Op }[] = [];
    for (let revision = lastVerified + 1; revision <= current; revision++) {
      const found = byRevision.get(revision);
      if (found === undefined) continue; // reported by readHistory as a gap
      const ackedOp = ackedAt.get(revision);
      if (ackedOp) {
        if (found !== ackedOp.digest) {
          violations.push(`${where}: revision ${revision} should hold exactly acknowledged ${ackedOp.id} (${ackedOp.digest}) but holds ${found}`);
        }
        applied.push({ revision, op: ackedOp });
        continue;
      }
      const op = unmatched.get(found);
      if (op) {
        unmatched.delete(found);
        applied.push({ revision, op });
        continue;
      }
      violations.push(`${where}: revision ${revision} holds events that no single request explains (partial or repeated txn?): ${found}`);
    }
    const inDoubtApplied = inDoubt.length - unmatched.size;

    // A writer's in-doubt request was sent after all its answered ones, so it cannot land before
    // them. (The order among answered ones is checked as the answers arrive.)
    const lastAcked = new Map<number, number>();
    for (const op of acked) lastAcked.set(op.writer, Math.max(lastAcked.get(op.writer) ?? 0, op.revision));
    for (const { revision, op } of applied) {
      const before = lastAcked.get(op.writer) ?? 0;
      if (!('revision' in op) && revision < before) {
        violations.push(`${where}: writer ${op.writer}'s in-doubt ${op.id} landed at revision ${revision}, before its answered write at ${before}`);
      }
    }

    // Advance the model and compare it with the key space.
    for (const { revision, op } of applied) this.applyToModel(op, revision);
    for (let revision = lastVerified + 1; revision <= current; revision++) {
      const found = byRevision.get(revision);
      if (found !== undefined) this.history.set(revision, found);
    }
    this.lastVerified = Math.max(current, lastVerified);
    await this.compareKeySpace(client, where, violations);
    await this.checkPastReads(client, where, random, violations);
    for (const op of acked) {
      for (const effect of op.effects) {
        if (effect.type === 'PUT') this.pastPuts.push({ key: effect.key, value: effect.value, revision: op.revision });
      }
    }
    return { revision: current, inDoubtApplied };
  }

  private compareWithVerified(byRevision: Map<number, string>, from: number, to: number, violations: string[]): void {
    for (let revision = from; revision <= to; revision++) {
      const before = this.history.get(revision);
      const now = byRevision.get(revision);
      if (now !== undefined && before !== now) {
        violations.push(`revision ${revision}, verified earlier as ${before}, now holds ${now}`);
      }
    }
  }

  private applyToModel(op: Op, revision: number): void {
    for (const effect of op.effects) {
      if (effect.type === 'DELETE') {
        this.model.delete(effect.key);
        continue;
      }
      const before = this.model.get(effect.key);
      this.model.set(effect.key, {
        value: effect.value,
        createRevision: before?.createRevision ?? revision,
        modRevision: revision,
        version: (before?.version ?? 0) + 1,
      });
    }
  }

  private async compareKeySpace(client: EtcdClient, where: string, violations: string[]): Promise<void> {
    const response = await client.range({ key: KEY_PREFIX, range_end: prefixEnd(KEY_PREFIX) });
    const seen = new Set<string>();
    for (const kv of response.kvs) {
      const key = str(kv.key);
      seen.add(key);
      const expected = this.model.get(key);
      if (!expected) {
        violations.push(`${where}: key ${key} exists (${describeKv(kv)}) but no verified write left it there`);
        continue;
      }
      const actual = {
        value: str(kv.value),
        createRevision: Number(kv.create_revision),
        modRevision: Number(kv.mod_revision),
        version: Number(kv.version),
      };
      if (actual.value !== expected.value || actual.createRevision !== expected.createRevision ||
        actual.modRevision !== expected.modRevision || actual.version !== expected.version) {
        violations.push(`${where}: key ${key} is ${describeKv(kv)}, expected ${describeState(expected)}`);
      }
    }
    for (const [key, state] of this.model) {
      if (!seen.has(key)) violations.push(`${where}: key ${key} (${describeState(state)}) is missing`);
    }
  }

  private async checkPastReads(client: EtcdClient, where: string, random: () => number, violations: string[]): Promise<void> {
    for (let i = 0; i < this.historicSamples && this.pastPuts.length > 0; i++) {
      const put = this.pastPuts[Math.floor(random() * this.pastPuts.length)];
      const response = await client.range({ key: put.key, revision: put.revision });
      const kv = response.kvs[0];
      if (!kv || str(kv.value) !== put.value || Number(kv.mod_revision) !== put.revision) {
        violations.push(`${where}: ${put.key} read at revision ${put.revision} is ${kv ? describeKv(kv) : 'absent'}, expected the acknowledged value ${put.value.slice(0, 40)}…`);
      }
    }
  }
}

// ---- helpers ----

/** A response that arrived but contradicts what the writer knows: a violation, and in doubt. */
class Refused extends Error {}

/**
 * The events of revisions from..to (a watch over the whole key space), each revision's events
 * as one sorted digest. Gaps, extra revisions and a stalled watch are reported as violations.
 */
async function readHistory(client: EtcdClient, from: number, to: number, violations: string[]): Promise<Map<number, string>> {
  const events = new Map<number, string[]>();
  if (from <= to) {
    const stream = client.watch();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), WATCH_DEADLINE_MS);
      });
      const watcher = await stream.create({ ...ALL_KEYS, start_revision: from });
      let highest = from - 1;
      while (highest < to) {
        const response = await Promise.race([watcher.next(), timeout]);
        if (response === 'timeout') {
          violations.push(`a watch from revision ${from} delivered events only up to revision ${highest} of ${to} within ${WATCH_DEADLINE_MS} ms`);
          break;
        }
        if (response.canceled || response.compact_revision !== '0') {
          violations.push(`the watch from revision ${from} was canceled (compact revision ${response.compact_revision}): ${response.cancel_reason}`);
          break;
        }
        for (const event of response.events) {
          const revision = Number(event.kv.mod_revision);
          highest = Math.max(highest, revision);
          const list = events.get(revision) ?? [];
          list.push(describeEvent(event));
          events.set(revision, list);
        }
      }
    } finally {
      clearTimeout(timer);
      stream.close();
    }
  }
  const byRevision = new Map<number, string>();
  const gaps: number[] = [];
  for (let revision = from; revision <= to; revision++) {
    const list = events.get(revision);
    if (list === undefined) gaps.push(revision);
    else byRevision.set(revision, list.sort().join(' ; '));
  }
  if (gaps.length > 0) {
    violations.push(`the history has no events at ${gaps.length} revision(s) between ${from} and ${to} (e.g. ${gaps.slice(0, 5).join(', ')}): revisions are not contiguous`);
  }
  const beyond = [...events.keys()].filter((revision) => revision > to);
  if (beyond.length > 0) violations.push(`the watch delivered events at revisions ${beyond.slice(0, 5).join(', ')} beyond the current revision ${to}`);
  return byRevision;
}

/** A linearizable range, retried until the member (just started) has a leader and answers. */
async function readyRange(client: EtcdClient, request: Parameters<EtcdClient['range']>[0]) {
  let lastError: unknown;
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    try {
      return await client.range(request);
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`the member did not answer a range after ${READY_ATTEMPTS} attempts: ${(lastError as Error).message}`);
}

/** The client takes no call deadline for KV calls, so bound them here (the call is then in doubt). */
async function withDeadline<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${CALL_DEADLINE_MS} ms`)), CALL_DEADLINE_MS);
  });
  try {
    return await Promise.race([call, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function digestOf(effects: Effect[]): string {
  return effects
    .map((effect) => (effect.type === 'PUT' ? `PUT ${effect.key}=${effect.value}` : `DELETE ${effect.key}`))
    .sort()
    .join(' ; ');
}

function describeEvent(event: WatchEvent): string {
  const key = str(event.kv.key);
  return event.type === 'PUT' ? `PUT ${key}=${str(event.kv.value)}` : `DELETE ${key}`;
}

function describeKv(kv: KeyValue): string {
  return `value ${str(kv.value).slice(0, 40)}… create ${kv.create_revision} mod ${kv.mod_revision} version ${kv.version}`;
}

function describeState(state: KeyState): string {
  return `value ${state.value.slice(0, 40)}… create ${state.createRevision} mod ${state.modRevision} version ${state.version}`;
}

/** A 32-bit seed for a sub-stream (cycle, writer) of the run's seed. */
function mix(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
