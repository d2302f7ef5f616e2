// One store member: the Raft node and its Ready loop, the WAL and snapshots, and the state
// machine (MVCC + leases + alarms) the committed log is applied to.
//
// The Ready loop is the whole durability story (etcd's raftNode): for each Ready the core hands
// out, (1) append hard state and entries to the WAL and fsync, (2) send messages, (3) apply the
// committed entries, (4) advance. A client's write is acknowledged only after step 3 for its
// entry, so it is on disk first. Proposals that arrive while an fsync is in flight pile up in
// the core and leave together in the next Ready: one append + one fsync for many writes
// (group commit).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { RawNode } from '../raft/rawnode.ts';
import { MemoryStorage } from '../raft/storage.ts';
import type { Entry, Ready, Snapshot } from '../raft/types.ts';
import { Wal } from '../wal/wal.ts';
import { encodeSnapshotFile, Snapshotter } from '../snap/snapshotter.ts';
import { Backend } from '../mvcc/backend.ts';
import { KvStore } from '../mvcc/kv-store.ts';
import { Lessor } from '../lease/lessor.ts';
import { WatchHub } from '../watch/watch-hub.ts';
import { decodeMessage, encodeMessage } from '../proto.ts';
import { AlarmStore } from './alarms.ts';
import { addsData, Applier } from './applier.ts';
import { type StoreConfig, DEFAULT_QUOTA_BYTES, parseRetentionMs } from './config.ts';
import { type CompactionPlanner, PeriodicPlanner, RevisionPlanner } from './compactor.ts';
import { Errors, EtcdError, toEtcdError } from './errors.ts';
import { IdGenerator } from './ids.ts';
import { initialMembers, loadMembers, saveMembers, type Member } from './membership.ts';
import type { InternalRequest } from './requests.ts';
import { ReadBarrier } from './read-barrier.ts';
import { CONSISTENT_INDEX_KEY, restoreState } from './recovery.ts';

export const SERVER_VERSION = '3.5.17';
/** How long a client waits for its proposal to be applied (etcd: 5 s + 2 election timeouts). */
const REQUEST_TIMEOUT_MS = 7000;

export interface Clock {
  now(): number;
}

interface Waiter {
  resolve(v: { response: Record<string, unknown>; revision: number }): void;
  reject(e: Error): void;
}

export interface ServerLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export class EtcdServer {
  readonly kv: KvStore;
  readonly lessor: Lessor;
  readonly hub: WatchHub;
  readonly alarms: AlarmStore;
  readonly memberId: string;
  readonly clusterId: string;
  members: Member[];

  private readonly applier: Applier;
  private readonly node: RawNode;
  private readonly waiters = new Map<string, Waiter>();
  private readonly reqIds: IdGenerator;
  private readonly reads: ReadBarrier;
  private appliedIndex: number;
  /** log index the backend already reflects at start-up: replayed entries up to it are skipped */
  private readonly consistentIndex: number;
  private snapshotIndex: number;
  private term = 0;
  private leader = '0';
  private readyRunning = false;
  private snapshotting = false;
  private stopped = false;
  private fatal: Error | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly revoking = new Set<string>();
  private markReady!: () => void;
  /** Resolves once this member has a leader and has applied that leader's first entry. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  private constructor(
    readonly cfg: StoreConfig,
    private readonly clock: Clock,
    private readonly log: ServerLog,
    private readonly wal: Wal,
    private readonly snapshotter: Snapshotter,
    private readonly storage: MemoryStorage,
    readonly backend: Backend,
    state: { kv: KvStore; lessor: Lessor; alarms: AlarmStore; members: Member[]; memberId: string; clusterId: string; consistentIndex: number; snapshotIndex: number },
  ) {
    this.kv = state.kv;
    this.lessor = state.lessor;
    this.alarms = state.alarms;
    this.members = state.members;
    this.memberId = state.memberId;
    this.clusterId = state.clusterId;
    this.appliedIndex = state.consistentIndex;
    this.consistentIndex = state.consistentIndex;
    this.snapshotIndex = state.snapshotIndex;
    this.hub = new WatchHub(this.kv);
    this.applier = new Applier(this.kv, this.lessor, this.hub, this.alarms);
    this.reqIds = new IdGenerator(this.memberId, clock.now());
    this.node = new RawNode({
      id: this.memberId,
      storage,
      electionTick: Math.max(2, Math.round(cfg.electionTimeoutMs / cfg.heartbeatIntervalMs)),
      heartbeatTick: 1,
      // Raft re-delivers everything after the snapshot; the applier skips what the backend has.
      applied: state.snapshotIndex,
      rand: Math.random,
    });
    this.reads = new ReadBarrier(this.node, () => this.appliedIndex, () => this.kick());
  }

  /** Opens (or creates) the member's data dir, replays the WAL and starts the Ready loop. */
  static async start(cfg: StoreConfig, log: ServerLog, clock: Clock = { now: () => Date.now() }): Promise<EtcdServer> {
    const memberDir = path.join(cfg.dataDir, 'member');
    const walDir = path.join(memberDir, 'wal');
    const snapDir = path.join(memberDir, 'snap');
    await mkdir(snapDir, { recursive: true });
    const snapshotter = new Snapshotter(snapDir);
    const restored = await restoreState(cfg, { walDir, dbDir: path.join(memberDir, 'db'), snapshotter, log });
    const { wal, storage, backend, consistentIndex, snapshotIndex, isNew } = restored;

    const kv = await KvStore.open(backend);
    const lessor = new Lessor(backend, () => clock.now(), minLeaseTtlSeconds(cfg));
    await lessor.restore();
    for (const [key, leaseId] of kv.leasedKeys()) lessor.attach(leaseId, key);
    const alarms = new AlarmStore(backend);
    await alarms.restore();

    let members = await loadMembers(backend);
    const memberId = restored.memberId;
    if (!members) {
      members = initialMembers(cfg);
      saveMembers(backend, members);
    }
    const clusterId = restored.clusterId;
    const server = new EtcdServer(cfg, clock, log, wal, snapshotter, storage, backend, {
      kv, lessor, alarms, members, memberId, clusterId, consistentIndex, snapshotIndex,
    });
    if (isNew) server.node.bootstrap(members.map((m) => m.ID));
    server.startLoops();
    log.info(`member ${BigInt(memberId).toString(16)} of cluster ${BigInt(clusterId).toString(16)} ready at revision ${kv.currentRev} (applied index ${consistentIndex})`);
    return server;
  }

  // ---- client-facing operations -------------------------------------------------------------

  /** Replicates one request and resolves with its result once applied on this member. */
  async propose(body: Omit<InternalRequest, 'ID'>): Promise<{ response: Record<string, unknown>; revision: number }> {
    this.assertRunning();
    const id = this.reqIds.next().toString();
    const data = encodeMessage('k8tsstore.InternalRequest', { ...body, ID: id });
    if (data.length > this.cfg.maxRequestBytes) throw Errors.requestTooLarge();
    if (this.overQuota(body, data.length)) {
      // As etcd: raise the NOSPACE alarm (replicated, so every member refuses writes) and only
      // then answer, so the client that hit the quota sees the alarm.
      if (!this.alarms.has('NOSPACE')) {
        await this.propose({ alarm: { action: 'ACTIVATE', memberID: this.memberId, alarm: 'NOSPACE' } }).catch(() => undefined);
      }
      throw Errors.noSpace();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(Errors.timeout());
      }, REQUEST_TIMEOUT_MS);
      this.waiters.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      try {
        this.node.propose(data);
      } catch {
        this.waiters.delete(id);
        clearTimeout(timer);
        reject(Errors.noLeader());
        return;
      }
      this.kick();
    });
  }

  /** Resolves once this member has applied everything committed before the call. */
  linearizableRead(): Promise<void> {
    this.assertRunning();
    return this.reads.wait();
  }

  newLeaseId(): string {
    return (this.reqIds.next() & ((1n << 63n) - 1n)).toString();
  }

  header(revision = this.kv.currentRev) {
    return { cluster_id: this.clusterId, member_id: this.memberId, revision, raft_term: this.term };
  }

  get isLeader(): boolean {
    return this.leader === this.memberId;
  }

  status() {
    const s = this.node.status();
    return {
      leader: this.leader,
      raftIndex: this.storage.lastIndex(),
      raftTerm: s.term,
      raftAppliedIndex: this.appliedIndex,
      dbSize: this.backend.sizeBytes,
    };
  }

  /** A consistent image of the whole state, in the snapshot file format etcdctl saves. */
  async snapshotFile(): Promise<Buffer> {
    const pit = await this.backend.pointInTime();
    const meta = { index: this.appliedIndex, term: this.term, confState: { voters: this.members.map((m) => m.ID), learners: [] } };
    return encodeSnapshotFile(meta, await pit.exportImage());
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const w of this.waiters.values()) w.reject(Errors.stopped());
    this.waiters.clear();
    this.reads.failAll(Errors.stopped());
    while (this.readyRunning || this.snapshotting) await new Promise((r) => setTimeout(r, 5));
    await this.wal.close();
    await this.backend.close();
  }

  // ---- the Ready loop -----------------------------------------------------------------------

  private startLoops(): void {
    const tick = setInterval(() => {
      this.node.tick();
      this.kick();
    }, this.cfg.heartbeatIntervalMs);
    const leases = setInterval(() => this.revokeExpiredLeases(), 500);
    this.timers.push(tick, leases);
    const planner = compactionPlanner(this.cfg);
    if (planner) {
      this.timers.push(
        setInterval(() => {
          const rev = this.isLeader ? planner.next(this.clock.now(), this.kv.currentRev, this.kv.compactRev) : undefined;
          if (rev === undefined) return;
          this.propose({ compaction: { revision: rev, physical: false } }).then(
            () => this.log.info(`auto-compacted to revision ${rev}`),
            (err: Error) => this.log.warn(`auto-compaction to revision ${rev} failed: ${err.message}`),
          );
        }, planner.intervalMs),
      );
    }
    if (this.members.length === 1) this.node.campaign();
    this.kick();
  }

  /** Runs the Ready loop soon, unless it is already running (it then picks the work up). */
  private kick(): void {
    if (this.readyRunning || this.stopped) return;
    this.readyRunning = true;
    setImmediate(() => {
      this.runReady()
        .catch((err: Error) => this.die(err))
        .finally(() => {
          this.readyRunning = false;
          if (!this.stopped && this.node.hasReady()) this.kick();
        });
    });
  }

  private async runReady(): Promise<void> {
    while (!this.stopped && this.node.hasReady()) {
      const rd = this.node.ready();
      this.observeSoftState(rd);
      // 1. persist (fsync) before anything is sent or applied
      if (rd.snapshot) await this.persistSnapshot(rd.snapshot);
      await this.wal.save(rd.hardState, rd.entries);
      if (rd.hardState) this.storage.setHardState(rd.hardState);
      this.storage.append(rd.entries);
      // 2. send: a single-member group has no one to send to (peers arrive with Raft replication)
      if (rd.messages.length > 0) this.log.warn(`dropping ${rd.messages.length} raft message(s): no peer transport`);
      // 3. apply
      for (const entry of rd.committedEntries) await this.applyEntry(entry);
      if (rd.committedEntries.length > 0) {
        this.backend.put(CONSISTENT_INDEX_KEY, Buffer.from(String(this.appliedIndex)));
        this.backend.flush();
      }
      this.reads.onReadStates(rd.readStates);
      // 4. advance
      this.node.advance(rd);
      this.reads.onApplied();
      if (this.appliedIndex - this.snapshotIndex >= this.cfg.snapshotCount) await this.triggerSnapshot();
    }
  }

  private observeSoftState(rd: Ready): void {
    if (rd.hardState) this.term = rd.hardState.term;
    if (!rd.softState) return;
    const wasLeader = this.isLeader;
    this.leader = rd.softState.lead;
    if (this.isLeader && !wasLeader) this.lessor.promote();
    if (!this.isLeader && wasLeader) this.lessor.demote();
  }

  private async applyEntry(entry: Entry): Promise<void> {
    // A leader's empty entry of the current term, once applied, means everything committed
    // before it is applied too: from then on reads here are up to date (etcd's ReadyNotify).
    if (entry.type === 'EntryNormal' && entry.data.length === 0 && entry.term === this.term) this.markReady();
    if (entry.index <= this.consistentIndex) return; // already in the backend before the restart
    this.appliedIndex = entry.index;
    if (entry.type !== 'EntryNormal' || entry.data.length === 0) return; // leader's empty entry
    const req = decodeMessage<InternalRequest>('k8tsstore.InternalRequest', entry.data);
    const waiter = this.waiters.get(String(req.ID));
    this.waiters.delete(String(req.ID));
    try {
      const response = await this.applier.apply(req);
      waiter?.resolve({ response, revision: this.kv.currentRev });
    } catch (err) {
      // Refusals (EtcdError, thrown before anything changed) go back to the client; anything
      // else means the state machine may be half-applied, and continuing would diverge.
      if (!(err instanceof EtcdError)) throw err;
      waiter?.reject(toEtcdError(err));
    }
  }

  /**
   * A snapshot from the core: today only the bootstrap one (index 1, the initial membership,
   * no data), saved with the backend's image so a restart finds the membership on disk.
   */
  private async persistSnapshot(snapshot: Snapshot): Promise<void> {
    const image = snapshot.data.length > 0 ? Buffer.from(snapshot.data) : await (await this.backend.pointInTime()).exportImage();
    await this.snapshotter.save(snapshot.metadata, image);
    await this.wal.saveSnapshot({ index: snapshot.metadata.index, term: snapshot.metadata.term });
    this.storage.applySnapshot(snapshot);
    this.snapshotIndex = snapshot.metadata.index;
    this.appliedIndex = Math.max(this.appliedIndex, snapshot.metadata.index);
  }

  /** Writes a snapshot (every --snapshot-count entries) and lets old WAL and snapshot files go. */
  private async triggerSnapshot(): Promise<void> {
    if (this.snapshotting) return;
    this.snapshotting = true;
    const index = this.appliedIndex;
    const term = this.storage.term(index);
    const pit = await this.backend.pointInTime();
    const confState = { voters: this.members.map((m) => m.ID), learners: [] as string[] };
    void (async () => {
      const image = await pit.exportImage();
      await this.snapshotter.save({ index, term, confState }, image);
      await this.wal.saveSnapshot({ index, term });
      this.snapshotIndex = index;
      // Keep some entries behind the snapshot so a slow follower can catch up from the log.
      // The raft log's snapshot record only needs the metadata: the image is on disk.
      this.storage.createSnapshot(index, confState, new Uint8Array());
      const compactTo = index - Math.min(index - 1, 5000);
      if (compactTo > this.storage.firstIndex()) this.storage.compact(compactTo);
      const purgedWals = await this.wal.purge(index, this.cfg.maxWals);
      const purgedSnaps = await this.snapshotter.purge(this.cfg.maxSnapshots);
      this.log.info(`saved snapshot at index ${index}; purged ${purgedWals.length} WAL and ${purgedSnaps.length} snapshot file(s)`);
    })()
      .catch((err: Error) => this.die(err))
      .finally(() => {
        this.snapshotting = false;
      });
  }

  // ---- leases, quota ------------------------------------------------------------------------

  private revokeExpiredLeases(): void {
    for (const id of this.lessor.expired()) {
      if (this.revoking.has(id)) continue;
      this.revoking.add(id);
      this.propose({ lease_revoke: { ID: id } })
        .catch(() => undefined)
        .finally(() => this.revoking.delete(id));
    }
  }

  private overQuota(body: Omit<InternalRequest, 'ID'>, bytes: number): boolean {
    const quota = this.cfg.quotaBackendBytes === 0 ? DEFAULT_QUOTA_BYTES : this.cfg.quotaBackendBytes;
    if (quota < 0 || !addsData(body)) return false;
    return this.backend.sizeBytes + bytes > quota;
  }

  private assertRunning(): void {
    if (this.fatal || this.stopped) throw Errors.stopped();
  }

  /** A failure the member cannot continue safely from (disk error, broken invariant). */
  private die(err: Error): void {
    this.fatal = err;
    this.log.warn(`fatal: ${err.stack ?? err.message}`);
    process.exitCode = 1;
    void this.stop().finally(() => process.exit(1));
  }
}

function compactionPlanner(cfg: StoreConfig): CompactionPlanner | undefined {
  if (cfg.autoCompactionRetention === '0' || cfg.autoCompactionRetention === '') return undefined;
  if (cfg.autoCompactionMode === 'revision') return new RevisionPlanner(Number(cfg.autoCompactionRetention));
  return new PeriodicPlanner(parseRetentionMs(cfg.autoCompactionRetention));
}

/** etcd: leases shorter than 1.5 election timeouts would expire during a leader change. */
function minLeaseTtlSeconds(cfg: StoreConfig): number {
  return Math.ceil((1.5 * cfg.electionTimeoutMs) / 1000);
}

