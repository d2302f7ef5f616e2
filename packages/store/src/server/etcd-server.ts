// One store member: the Raft node and its Ready loop, the WAL and snapshots, the peer transport,
// and the state machine (MVCC + leases + alarms + members) the committed log is applied to.
//
// The Ready loop is the whole durability story (etcd's raftNode): for each Ready the core hands
// out, (1) append hard state and entries to the WAL and fsync, (2) send messages to the peers,
// (3) apply the snapshot and committed entries, (4) advance. Nothing is sent before it is
// durable, so a vote or an acknowledgement never promises what a crash could take back; a
// client's write is answered only after step 3 for its entry. Proposals and peer messages that
// arrive while an fsync is in flight pile up in the core and leave together in the next Ready:
// one append + one fsync for many writes (group commit).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { RaftError } from '../raft/errors.ts';
import { RawNode } from '../raft/rawnode.ts';
import { MemoryStorage } from '../raft/storage.ts';
import type { ConfChange, Entry, Message, Ready, Snapshot } from '../raft/types.ts';
import { NO_NODE } from '../raft/types.ts';
import type { Wal } from '../wal/wal.ts';
import { encodeSnapshotFile, Snapshotter } from '../snap/snapshotter.ts';
import type { Backend } from '../mvcc/backend.ts';
import type { KvStore } from '../mvcc/kv-store.ts';
import type { Lessor } from '../lease/lessor.ts';
import type { WatchHub } from '../watch/watch-hub.ts';
import { PeerServer } from '../peer/peer-server.ts';
import { hexId } from '../peer/protocol.ts';
import { Transport } from '../peer/transport.ts';
import { decodeMessage, encodeMessage } from '../proto.ts';
import type { AlarmStore } from './alarms.ts';
import { addsData } from './applier.ts';
import { type StoreConfig, DEFAULT_QUOTA_BYTES, requestTimeoutMs, validateTimings } from './config.ts';
import { Errors, EtcdError, toEtcdError } from './errors.ts';
import { decodeConfChange, encodeConfChange, memberContext, memberFromContext } from './conf-change.ts';
import { computeMemberId, IdGenerator } from './ids.ts';
import { startLeaderDuties } from './leader-duties.ts';
import { LeaseGateway } from './lease-gateway.ts';
import { initialMembers, validPeerUrls, type Member, type MemberList } from './membership.ts';
import { PendingProposals, type ProposalResult } from './pending-proposals.ts';
import { proposalTimeoutError } from './proposal-timeout.ts';
import type { InternalRequest } from './requests.ts';
import { ReadBarrier } from './read-barrier.ts';
import { refuseAddingVoter, refuseRemovingVoter } from './reconfiguration.ts';
import { restoreState } from './recovery.ts';
import { SnapshotKeeper } from './snapshot-keeper.ts';
import { StateMachine } from './state-machine.ts';
import { LeaderWaiters } from './leader-waiters.ts';

export const SERVER_VERSION = '3.5.17';
/** Committed entries this member may lag behind in applying before it refuses new proposals (etcd's limit). */
const MAX_APPLY_BACKLOG = 5000;
/** How long a fresh member waits for its peers' streams before fast-forwarding its election clock (etcd: 5 s). */
const TICK_ADVANCE_WAIT_MS = 5000;

export interface Clock {
  now(): number;
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
  readonly memberList: MemberList;
  readonly leases: LeaseGateway;
  readonly memberId: string;
  readonly clusterId: string;
  readonly backend: Backend;

  private readonly state: StateMachine;
  private readonly snapshots: SnapshotKeeper;
  private readonly node: RawNode;
  private readonly proposals = new PendingProposals();
  private readonly reqIds: IdGenerator;
  private readonly reads: ReadBarrier;
  private readonly transport: Transport;
  private readonly peers: PeerServer;
  private appliedIndex: number;
  /** log index the backend already reflects at start-up: replayed entries up to it are skipped */
  private readonly consistentIndex: number;
  private term = 0;
  private leader = NO_NODE;
  /** Clock ms when this member last saw a new leader (for telling timeouts apart). */
  private leaderElectedAt = 0;
  /** Requests waiting for a leader: released after a Ready pass once both views know one. */
  private readonly leaderWaiters = new LeaderWaiters(() => this.hasLeader && this.node.status().lead !== NO_NODE);
  private readyRunning = false;
  private stopped = false;
  private retiring = false;
  private fatal: Error | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private markReady!: () => void;
  /** Resolves once this member has published itself through Raft: it has a leader and is current. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  private constructor(
    readonly cfg: StoreConfig,
    private readonly clock: Clock,
    private readonly log: ServerLog,
    private readonly wal: Wal,
    snapshotter: Snapshotter,
    snapDir: string,
    private readonly storage: MemoryStorage,
    state: StateMachine,
    ids: { memberId: string; clusterId: string; consistentIndex: number; snapshotIndex: number },
  ) {
    this.state = state;
    ({ kv: this.kv, lessor: this.lessor, alarms: this.alarms, members: this.memberList, hub: this.hub, backend: this.backend } = state);
    this.memberId = ids.memberId;
    this.clusterId = ids.clusterId;
    this.appliedIndex = ids.consistentIndex;
    this.consistentIndex = ids.consistentIndex;
    // Readies carry the hard state only when it changes: start from the one on disk.
    this.term = storage.initialState().hardState.term;
    this.snapshots = new SnapshotKeeper({
      cfg, log, wal, snapshotter, snapDir, storage, backend: this.backend,
      voters: () => this.memberList.ids(),
      fail: (err) => this.die(err),
    }, ids.snapshotIndex);
    this.reqIds = new IdGenerator(this.memberId, clock.now());
    this.node = new RawNode({
      id: this.memberId,
      storage,
      electionTick: this.electionTicks,
      heartbeatTick: 1,
      // Raft re-delivers everything after the snapshot; the applier skips what the backend has.
      applied: ids.snapshotIndex,
      rand: Math.random,
      encodeConfChange,
    });
    this.reads = new ReadBarrier({
      node: this.node,
      appliedIndex: () => this.appliedIndex,
      kick: () => this.kick(),
      nextContext: () => {
        const ctx = Buffer.alloc(8);
        ctx.writeBigUInt64BE(this.reqIds.next());
        return ctx;
      },
      timeoutMs: requestTimeoutMs(cfg),
    });
    this.transport = new Transport({
      localId: this.memberId,
      clusterId: this.clusterId,
      serverVersion: SERVER_VERSION,
      log,
      rand: Math.random,
      now: () => clock.now(),
      snapshotFile: (meta) => this.snapshots.fileFor(meta),
      onUnreachable: (id) => this.stepLocal(() => this.node.reportUnreachable(id)),
      onSnapshotStatus: (id, delivered) => this.stepLocal(() => this.node.reportSnapshot(id, delivered ? 'finish' : 'failure')),
      onRemoved: () => this.retire(),
    });
    this.leases = new LeaseGateway({
      lessor: this.lessor,
      self: this.memberId,
      leader: () => this.leader,
      waitForLeader: (deadline) => this.waitForLeader(deadline),
      post: (id, p, body, timeoutMs) => this.transport.post(id, p, body, timeoutMs),
      now: () => clock.now(),
      timeoutMs: requestTimeoutMs(cfg),
    });
    this.peers = new PeerServer(
      {
        localId: this.memberId,
        clusterId: this.clusterId,
        serverVersion: SERVER_VERSION,
        isMember: (id) => this.memberList.get(id) !== undefined,
        isRemoved: (id) => this.memberList.isRemoved(id),
        onMessage: (m) => this.onPeerMessage(m),
        onSnapshot: async (m) => this.onPeerMessage(m),
        renewLease: (body) => this.leases.handleRenew(body),
        leaseTimeToLive: (body) => this.leases.handleTimeToLive(body),
        members: () => this.members.map((m) => ({ id: hexId(m.ID), name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs })),
      },
      log,
    );
  }

  /** Opens (or creates) the member's data dir, replays the WAL, starts serving peers and the Ready loop. */
  static async start(cfg: StoreConfig, log: ServerLog, clock: Clock = { now: () => Date.now() }): Promise<EtcdServer> {
    validateTimings(cfg);
    const memberDir = path.join(cfg.dataDir, 'member');
    const walDir = path.join(memberDir, 'wal');
    const snapDir = path.join(memberDir, 'snap');
    await mkdir(snapDir, { recursive: true });
    const snapshotter = new Snapshotter(snapDir);
    const restored = await restoreState(cfg, { walDir, dbDir: path.join(memberDir, 'db'), snapshotter, log });
    const { wal, storage, backend, consistentIndex, snapshotIndex, memberId, clusterId } = restored;
    const state = await StateMachine.open(backend, () => restored.members ?? initialMembers(cfg), () => clock.now(), minLeaseTtlSeconds(cfg));
    if (state.members.isRemoved(memberId)) {
      await wal.close();
      await backend.close();
      throw new Error('the member has been permanently removed from the cluster; the data-dir used by this member must be removed');
    }
    const server = new EtcdServer(cfg, clock, log, wal, snapshotter, snapDir, storage, state, { memberId, clusterId, consistentIndex, snapshotIndex });
    // A joining member starts with an empty log: the leader sends it everything, membership included.
    if (restored.start === 'bootstrap') server.node.bootstrap(state.members.ids());
    try {
      await server.peers.listen(cfg.listenPeerUrls);
    } catch (err) {
      await server.stop();
      throw err;
    }
    server.transport.setPeers(state.members.list());
    server.startLoops();
    void server.publish();
    log.info(`member ${hexId(memberId)} of cluster ${hexId(clusterId)} started at revision ${state.kv.currentRev} (applied index ${consistentIndex}); ` +
      `serving peers on ${cfg.listenPeerUrls.join(', ')}`);
    return server;
  }

  // ---- client-facing operations -------------------------------------------------------------

  get members(): Member[] {
    return this.memberList.list();
  }

  get isLeader(): boolean {
    return this.leader === this.memberId;
  }

  get hasLeader(): boolean {
    return this.leader !== NO_NODE;
  }

  get leaderId(): string {
    return this.leader;
  }

  /** Replicates one request and resolves with its result once applied on this member. */
  async propose(body: Omit<InternalRequest, 'ID'>): Promise<ProposalResult> {
    this.assertRunning();
    // Applying fell far behind committing (a slow disk, a huge backlog): shed load, as etcd does.
    if (this.node.status().commit > this.appliedIndex + MAX_APPLY_BACKLOG) throw Errors.tooManyRequests();
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
    const start = this.clock.now();
    const timeoutMs = requestTimeoutMs(this.cfg);
    const applied = this.proposals.wait(id, timeoutMs, () => proposalTimeoutError({
      start,
      leaderElectedAt: this.leaderElectedAt,
      electionTimeoutMs: this.cfg.electionTimeoutMs,
      leader: this.leader,
      self: this.memberId,
      members: this.memberList.ids(),
      activeSince: (member) => this.transport.activeSince(member),
    }));
    // Observed at once: the wait may time out while submit() is still waiting for a leader, and
    // an unobserved rejection would end the process.
    applied.catch(() => undefined);
    const refused = await this.submit(() => this.node.propose(data), start + timeoutMs);
    if (refused) this.proposals.reject(id, refused);
    return applied;
  }

  /**
   * Hands a proposal to Raft, which forwards it to the leader. With no leader, waits for one
   * (as etcd's proposals do) until `deadline`. Returns the error if Raft would not take it.
   */
  private async submit(propose: () => void, deadline: number): Promise<EtcdError | undefined> {
    for (;;) {
      if (this.stopped) return Errors.stopped();
      try {
        propose();
        this.kick();
        return undefined;
      } catch (err) {
        if (!(err instanceof RaftError && err.code === 'PROPOSAL_DROPPED')) throw err;
      }
      // Refused although there is a leader: a leadership transfer is under way.
      if (this.node.status().lead !== NO_NODE) return Errors.proposalDropped();
      if (!(await this.waitForLeader(deadline))) return Errors.deadlineExceeded();
    }
  }

  /** Resolves once this member has applied everything committed before the call (ReadIndex). */
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

  status() {
    const s = this.node.status();
    return {
      leader: this.leader,
      raftIndex: s.commit,
      raftTerm: s.term,
      raftAppliedIndex: this.appliedIndex,
      dbSize: this.backend.sizeBytes,
    };
  }

  /** A consistent image of the whole state, in the snapshot file format etcdctl saves. */
  async snapshotFile(): Promise<Buffer> {
    const pit = await this.backend.pointInTime();
    const meta = { index: this.appliedIndex, term: this.term, confState: { voters: this.memberList.ids(), learners: [] } };
    return encodeSnapshotFile(meta, await pit.exportImage());
  }

  /**
   * Hands leadership to `target` (etcdctl move-leader); only the leader can. Resolves once the
   * target leads, or fails after the request timeout.
   */
  async moveLeader(target: string): Promise<void> {
    if (!this.isLeader) throw Errors.notLeader();
    const member = this.memberList.get(target);
    if (!member || member.isLearner) throw Errors.badLeaderTransferee();
    if (target === this.memberId) return;
    this.log.info(`leadership transfer starting: ${hexId(this.memberId)} to ${hexId(target)}`);
    const started = this.clock.now();
    this.node.transferLeader(target);
    this.kick();
    const deadline = started + requestTimeoutMs(this.cfg);
    while (this.leader !== target) {
      if (this.clock.now() >= deadline || this.stopped) throw Errors.leaderTransferTimeout();
      await new Promise((resolve) => setTimeout(resolve, this.cfg.heartbeatIntervalMs));
    }
    this.log.info(`leadership transfer finished: ${hexId(this.memberId)} to ${hexId(target)} in ${this.clock.now() - started} ms`);
  }

  // ---- membership changes (etcdctl member add/remove/update) --------------------------------

  /** Adds a voting member with these peer URLs; resolves with it once the change is applied here. */
  async addMember(peerURLs: string[]): Promise<Member> {
    const urls = validPeerUrls(peerURLs);
    if (!urls) throw Errors.memberBadUrls();
    if (this.memberList.peerUrlsTaken(urls)) throw Errors.peerUrlExist();
    const refusal = refuseAddingVoter(this.members, this.connectivity());
    if (refusal) throw refusal;
    // etcd's ID for a member added at runtime: its peer URLs and the time, no cluster token.
    const member: Member = { ID: computeMemberId(urls, String(Math.floor(this.clock.now() / 1000))), name: '', peerURLs: urls, clientURLs: [], isLearner: false };
    await this.changeMembership({ type: 'ConfChangeAddNode', nodeId: member.ID, context: memberContext(member) });
    return member;
  }

  async removeMember(id: string): Promise<void> {
    if (!this.memberList.get(id)) throw Errors.memberNotFound();
    const refusal = refuseRemovingVoter(this.members, id, this.connectivity());
    if (refusal) throw refusal;
    await this.changeMembership({ type: 'ConfChangeRemoveNode', nodeId: id, context: new Uint8Array() });
  }

  async updateMember(id: string, peerURLs: string[]): Promise<void> {
    const urls = validPeerUrls(peerURLs);
    if (!urls) throw Errors.memberBadUrls();
    const member = this.memberList.get(id);
    if (!member) throw Errors.memberNotFound();
    await this.changeMembership({ type: 'ConfChangeUpdateNode', nodeId: id, context: memberContext({ ...member, peerURLs: urls }) });
  }

  private connectivity() {
    return { self: this.memberId, now: this.clock.now(), activeSince: (id: string) => this.transport.activeSince(id) };
  }

  /** Proposes one conf change and waits for it to be applied here, like any proposal. */
  private async changeMembership(change: Omit<ConfChange, 'id'>): Promise<void> {
    this.assertRunning();
    const cc: ConfChange = { ...change, id: this.reqIds.next().toString() };
    const start = this.clock.now();
    const timeoutMs = requestTimeoutMs(this.cfg);
    const applied = this.proposals.wait(cc.id, timeoutMs, () => Errors.timeout());
    const refused = await this.submit(() => this.node.proposeConfChange(cc), start + timeoutMs);
    if (refused) this.proposals.reject(cc.id, refused);
    await applied;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.proposals.failAll(Errors.stopped());
    this.reads.failAll(Errors.stopped());
    this.leaderWaiters.release();
    this.transport.close();
    this.peers.close();
    while (this.readyRunning || this.snapshots.busy) await new Promise((r) => setTimeout(r, 5));
    await this.wal.close();
    await this.backend.close();
  }

  // ---- the Ready loop -----------------------------------------------------------------------

  private get electionTicks(): number {
    return Math.max(2, Math.round(this.cfg.electionTimeoutMs / this.cfg.heartbeatIntervalMs));
  }

  private startLoops(): void {
    const tick = setInterval(() => {
      this.node.tick();
      this.kick();
    }, this.cfg.heartbeatIntervalMs);
    this.timers.push(tick, ...startLeaderDuties({
      cfg: this.cfg, kv: this.kv, lessor: this.lessor, log: this.log,
      isLeader: () => this.isLeader,
      now: () => this.clock.now(),
      propose: (body) => this.propose(body),
    }));
    if (this.memberList.list().length === 1) this.node.campaign();
    else this.advanceTicksOnBoot();
    this.kick();
  }

  /**
   * etcd's initial election tick advance: once this member reaches its peers, bring its
   * election clock close to firing, so a fresh cluster elects a leader in about one
   * heartbeat rather than a whole election timeout. A member that hears from a leader first
   * resets the clock anyway.
   */
  private advanceTicksOnBoot(): void {
    const started = this.clock.now();
    const poll = setInterval(() => {
      const others = this.memberList.ids().filter((id) => id !== this.memberId);
      const active = others.filter((id) => this.transport.activeSince(id) > 0).length;
      if (active > 1 || (others.length === 1 && active === 1)) {
        for (let i = 0; i < this.electionTicks - 2; i++) this.node.tick();
        this.kick();
      } else if (this.clock.now() - started < TICK_ADVANCE_WAIT_MS && !this.stopped) {
        return;
      }
      clearInterval(poll);
    }, 50);
    this.timers.push(poll);
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
      if (rd.snapshot) await this.snapshots.persist(rd.snapshot);
      await this.wal.save(rd.hardState, rd.entries);
      if (rd.hardState) this.storage.setHardState(rd.hardState);
      this.storage.append(rd.entries);
      // 2. send
      this.transport.send(rd.messages);
      // 3. apply
      if (rd.snapshot) await this.applySnapshot(rd.snapshot);
      for (const entry of rd.committedEntries) await this.applyEntry(entry);
      if (rd.committedEntries.length > 0) this.state.markApplied(this.appliedIndex);
      this.reads.onReadStates(rd.readStates);
      // 4. advance
      this.node.advance(rd);
      this.reads.onApplied();
      await this.snapshots.maybeTake(this.appliedIndex);
    }
    this.leaderWaiters.wake();
  }

  private observeSoftState(rd: Ready): void {
    if (rd.hardState) this.term = rd.hardState.term;
    if (!rd.softState) return;
    const previous = this.leader;
    const wasLeader = this.isLeader;
    this.leader = rd.softState.lead;
    if (this.leader !== previous) {
      if (this.leader === NO_NODE) {
        this.log.warn(`lost leader ${hexId(previous)} at term ${this.term}`);
      } else {
        this.leaderElectedAt = this.clock.now();
        this.log.info(`${previous === NO_NODE ? 'elected' : 'changed'} leader ${hexId(this.leader)} at term ${this.term}`);
        this.reads.onLeaderChanged();
      }
    }
    if (this.isLeader && !wasLeader) this.lessor.promote();
    if (!this.isLeader && wasLeader) this.lessor.demote();
  }

  private async applyEntry(entry: Entry): Promise<void> {
    const inBackend = entry.index <= this.consistentIndex; // applied before the restart
    if (!inBackend) this.appliedIndex = entry.index;
    if (entry.type === 'EntryConfChange') return this.applyConfChange(entry, inBackend);
    if (inBackend || entry.data.length === 0) return; // the leader's empty entry carries nothing
    const req = decodeMessage<InternalRequest>('k8tsstore.InternalRequest', entry.data);
    const id = String(req.ID);
    try {
      const response = await this.state.apply(req);
      this.proposals.resolve(id, { response, revision: this.kv.currentRev });
    } catch (err) {
      // Refusals (EtcdError, thrown before anything changed) go back to the client; anything
      // else means the state machine may be half-applied, and continuing would diverge.
      if (!(err instanceof EtcdError)) throw err;
      this.proposals.reject(id, toEtcdError(err));
    }
  }

  /**
   * A membership change. The member list is checked and changed like any state, but Raft's own
   * membership lives only in memory, so a change the backend already holds (replayed after a
   * restart) is still applied to Raft — exactly as it was decided the first time.
   */
  private async applyConfChange(entry: Entry, inBackend: boolean): Promise<void> {
    const cc = decodeConfChange(entry.data);
    // Replayed: repeat the decision recorded then (nobody waits for the answer now).
    const refusal = inBackend ? (this.memberList.wasRefused(entry.index) ? Errors.memberNotFound() : undefined) : this.checkConfChange(cc);
    if (refusal) {
      // Refused changes still go through Raft, as a change of nobody (etcd does the same).
      this.node.applyConfChange({ ...cc, nodeId: NO_NODE });
      if (!inBackend) this.memberList.recordRefusal(entry.index);
      this.proposals.reject(cc.id, refusal);
      return;
    }
    this.node.applyConfChange(cc);
    if (!inBackend) {
      if (cc.type === 'ConfChangeAddNode') this.memberList.add(memberFromContext(cc.context));
      if (cc.type === 'ConfChangeRemoveNode') this.memberList.remove(cc.nodeId);
      if (cc.type === 'ConfChangeUpdateNode') this.memberList.updatePeerUrls(cc.nodeId, memberFromContext(cc.context).peerURLs);
      this.log.info(`applied ${cc.type} of member ${hexId(cc.nodeId)} at index ${entry.index}`);
    }
    this.transport.setPeers(this.members);
    this.proposals.resolve(cc.id, { response: {}, revision: this.kv.currentRev });
    if (cc.type === 'ConfChangeRemoveNode' && cc.nodeId === this.memberId) this.retire();
  }

  /** Why a conf change cannot be applied to the members as they are now (etcd's ValidateConfigurationChange). */
  private checkConfChange(cc: ConfChange): EtcdError | undefined {
    if (this.memberList.isRemoved(cc.nodeId)) return Errors.memberNotFound();
    const exists = this.memberList.get(cc.nodeId) !== undefined;
    if (cc.type === 'ConfChangeAddNode') {
      if (exists) return Errors.memberExist();
      if (this.memberList.peerUrlsTaken(memberFromContext(cc.context).peerURLs)) return Errors.peerUrlExist();
    } else if (!exists) {
      return Errors.memberNotFound();
    } else if (cc.type === 'ConfChangeUpdateNode') {
      const urls = memberFromContext(cc.context).peerURLs;
      const others = this.members.filter((m) => m.ID !== cc.nodeId);
      if (others.some((m) => m.peerURLs.some((u) => urls.includes(u)))) return Errors.peerUrlExist();
    }
    return undefined;
  }

  /** This member was removed from the cluster: it stops for good, as etcd's does. */
  private retire(): void {
    if (this.retiring) return;
    this.retiring = true;
    this.log.warn('the member has been permanently removed from the cluster; the data-dir used by this member must be removed');
    setTimeout(() => void this.stop().finally(() => process.exit(0)), 10 * this.cfg.heartbeatIntervalMs);
  }

  /**
   * A snapshot from the core, already durable: the bootstrap one holds no state, one the leader
   * sent replaces this member's state (it fell too far behind for the log to catch it up).
   */
  private async applySnapshot(snapshot: Snapshot): Promise<void> {
    const { index } = snapshot.metadata;
    if (snapshot.data.length > 0) {
      this.log.info(`installing snapshot at index ${index} from the leader (was at applied index ${this.appliedIndex})`);
      await this.state.install(Buffer.from(snapshot.data), index);
      this.transport.setPeers(this.members);
      this.log.info(`installed snapshot at index ${index}: revision ${this.kv.currentRev}`);
    }
    this.appliedIndex = Math.max(this.appliedIndex, index);
  }

  // ---- peers --------------------------------------------------------------------------------

  private onPeerMessage(m: Message): void {
    if (this.stopped) return;
    this.stepLocal(() => this.node.step(m));
  }

  /**
   * Feeds the core from outside the Ready loop (peer traffic, transport reports). A message the
   * core refuses by rule is logged; any other failure means this member's log contradicts the
   * leader's (e.g. a data dir that lost entries it had acknowledged), and going on could break
   * the cluster's safety, so the member stops — where etcd panics.
   */
  private stepLocal(step: () => void): void {
    if (this.stopped) return;
    try {
      step();
    } catch (err) {
      if (err instanceof RaftError) {
        this.log.warn(`raft refused a message: ${err.message}`);
        return;
      }
      this.die(new Error(`${(err as Error).message}: was the raft log corrupted, truncated, or lost?`, { cause: err }));
      return;
    }
    this.kick();
  }

  /** Resolves true once a leader is known, false if none appears by `deadline` (clock ms). */
  private waitForLeader(deadline: number): Promise<boolean> {
    return this.leaderWaiters.wait(deadline - this.clock.now());
  }


  /**
   * etcd's publish: replicate this member's name and client URLs, so every member lists them.
   * Once applied here, this member has a leader and is current: it is ready for clients.
   */
  private async publish(): Promise<void> {
    const attributes = { member_ID: this.memberId, name: this.cfg.name, client_urls: this.cfg.advertiseClientUrls };
    while (!this.stopped && !this.fatal) {
      try {
        await this.propose({ member_attributes: attributes });
        this.log.info(`published ${JSON.stringify({ Name: this.cfg.name, ClientURLs: this.cfg.advertiseClientUrls })} to cluster ${hexId(this.clusterId)}`);
        this.markReady();
        return;
      } catch (err) {
        if (this.stopped) return;
        this.log.warn(`failed to publish local member to cluster through raft: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, this.cfg.heartbeatIntervalMs));
      }
    }
  }

  // ---- quota, failures -----------------------------------------------------------------------

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

/** etcd: leases shorter than 1.5 election timeouts would expire during a leader change. */
function minLeaseTtlSeconds(cfg: StoreConfig): number {
  return Math.ceil((1.5 * cfg.electionTimeoutMs) / 1000);
}
