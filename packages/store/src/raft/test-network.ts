// Test helper: a deterministic in-memory cluster of RawNodes.
//
// Each SimNode plays the application around one RawNode, processing every Ready exactly
// as rawnode.ts prescribes (persist to its MemoryStorage, collect messages, apply). The
// SimNetwork carries messages between them — only when the test says so — optionally
// dropping, duplicating, delaying and reordering them with a seeded PRNG; it can cut nodes
// off, and crash nodes (down: deaf and still) until they restart from what they persisted.
// After every Ready it runs the Raft paper's safety checks (sim-safety-checks.ts): election
// safety, log matching, leader completeness and state machine safety.
import { RaftError } from './errors.ts';
import { seededRandom } from './prng.ts';
import { decodeConfChangeJson, RawNode } from './rawnode.ts';
import { SafetyChecks } from './sim-safety-checks.ts';
import { MemoryStorage } from './storage.ts';
import type { ConfState, Message, NodeId, ReadState, Snapshot } from './types.ts';
import { NO_NODE } from './types.ts';

export interface SimOptions {
  seed: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  electionTick?: number;
  /** Probability that a delivered message is lost instead. */
  dropRate?: number;
  /** Probability that a delivered message also stays queued, to arrive again later. */
  duplicateRate?: number;
  /** Probability that a message due for delivery goes back to the end of the queue instead. */
  delayRate?: number;
  /** Deliver queued messages in a shuffled order. */
  reorder?: boolean;
  maxSizePerMsg?: number;
  maxInflightMsgs?: number;
}

const text = new TextDecoder();

/** An applied entry as the state machine records it: "index/term/data". */
type AppliedEntry = string;

export class SimNode {
  readonly storage = new MemoryStorage();
  node: RawNode;
  /** The state machine: every applied entry, in order (empty no-op entries included). */
  applied: AppliedEntry[] = [];
  appliedIndex = 0;
  confState: ConfState = { voters: [], learners: [] };
  readStates: ReadState[] = [];

  constructor(readonly id: NodeId, private readonly options: SimOptions, private readonly rand: () => number) {
    this.node = this.createNode(0);
  }

  private createNode(applied: number): RawNode {
    return new RawNode({
      id: this.id,
      storage: this.storage,
      electionTick: this.options.electionTick ?? 10,
      heartbeatTick: 1,
      preVote: this.options.preVote ?? true,
      checkQuorum: this.options.checkQuorum ?? true,
      maxSizePerMsg: this.options.maxSizePerMsg,
      maxInflightMsgs: this.options.maxInflightMsgs,
      applied,
      rand: this.rand,
    });
  }

  /**
   * A crash and restart: the node keeps only what it persisted (its storage) and rebuilds
   * its state machine from the latest snapshot; entries after it are applied again.
   */
  restart(): void {
    this.installSnapshot(this.storage.snapshot());
    this.node = this.createNode(0);
  }

  /** Processes one Ready; `onApply` sees every applied entry. Returns the messages to send. */
  handleReady(onApply: (entry: AppliedEntry) => void): Message[] {
    const rd = this.node.ready();
    // 1. persist
    if (rd.snapshot) this.storage.applySnapshot(rd.snapshot);
    this.storage.append(rd.entries);
    if (rd.hardState) this.storage.setHardState(rd.hardState);
    // 3. apply (the caller sends the messages we return, which the order permits)
    if (rd.snapshot) {
      this.installSnapshot(rd.snapshot);
      this.applied.forEach(onApply);
    }
    for (const entry of rd.committedEntries) {
      if (entry.type === 'EntryConfChange') this.confState = this.node.applyConfChange(decodeConfChangeJson(entry.data));
      const record = `${entry.index}/${entry.term}/${entry.type === 'EntryNormal' ? text.decode(entry.data) : 'conf'}`;
      this.applied.push(record);
      this.appliedIndex = entry.index;
      onApply(record);
    }
    this.readStates.push(...rd.readStates);
    this.node.advance(rd);
    return rd.messages;
  }

  private installSnapshot(snapshot: Snapshot): void {
    this.applied = snapshot.data.length === 0 ? [] : (JSON.parse(text.decode(snapshot.data)) as AppliedEntry[]);
    this.appliedIndex = snapshot.metadata.index;
    this.confState = snapshot.metadata.confState;
  }

  /** Snapshots the state machine at what it applied and drops the log before it. */
  compact(): void {
    if (this.appliedIndex <= this.storage.snapshot().metadata.index) return;
    const data = new TextEncoder().encode(JSON.stringify(this.applied));
    this.storage.createSnapshot(this.appliedIndex, this.confState, data);
    this.storage.compact(this.appliedIndex);
  }

  /** The data of applied proposals (no-ops and conf changes left out). */
  appliedData(): string[] {
    return this.applied.map((record) => record.split('/')[2]).filter((data) => data !== '' && data !== 'conf');
  }
}

export class SimNetwork {
  readonly nodes = new Map<NodeId, SimNode>();
  /** Messages sent and not yet delivered. */
  queue: Message[] = [];
  /** Every message ever sent, for tests that check what went over the wire. */
  readonly sent: Message[] = [];
  readonly rng: () => number;
  private readonly cutOff = new Set<NodeId>();
  /** Crashed nodes: they neither tick nor receive until restarted. */
  private readonly down = new Set<NodeId>();
  private readonly checks = new SafetyChecks();

  constructor(ids: NodeId[], readonly options: SimOptions) {
    this.rng = seededRandom(options.seed);
    for (const id of ids) this.addNode(id);
    for (const id of ids) this.get(id).node.bootstrap(ids);
    this.flush();
  }

  /** Adds an unbootstrapped node (to join through a conf change). */
  addNode(id: NodeId): SimNode {
    const sim = new SimNode(id, this.options, seededRandom(this.options.seed * 31 + Number(id)));
    this.nodes.set(id, sim);
    return sim;
  }

  get(id: NodeId): SimNode {
    const sim = this.nodes.get(id);
    if (!sim) throw new Error(`no node ${id}`);
    return sim;
  }

  isolate(id: NodeId): void {
    this.cutOff.add(id);
  }

  heal(): void {
    this.cutOff.clear();
  }

  /** Stops a node dead (kill -9): it loses whatever it had not persisted, which is nothing
   *  here, since every Ready is persisted before its messages leave. */
  crash(id: NodeId): void {
    this.down.add(id);
  }

  /** Brings a crashed node back from its persisted state (any node: restarting a running
   *  one is a crash and an immediate restart). */
  restart(id: NodeId): void {
    this.down.delete(id);
    this.get(id).restart();
    this.flush();
  }

  isDown(id: NodeId): boolean {
    return this.down.has(id);
  }

  /** Processes every pending Ready, queueing the messages they produce. */
  flush(): void {
    for (const sim of this.nodes.values()) {
      while (sim.node.hasReady()) {
        const messages = sim.handleReady((entry) => this.checks.checkApplied(entry));
        this.queue.push(...messages);
        this.sent.push(...messages);
        this.observe();
      }
    }
  }

  tick(ids: NodeId[] = [...this.nodes.keys()], times = 1): void {
    for (let t = 0; t < times; t++) {
      for (const id of ids) if (!this.down.has(id)) this.get(id).node.tick();
      this.flush();
    }
  }

  /** Delivers (or drops) the first `count` queued messages, in order or shuffled. */
  deliver(count = this.queue.length): void {
    if (this.options.reorder) this.shuffleQueue();
    const batch = this.queue.splice(0, count);
    for (const m of batch) {
      if (this.rng() < (this.options.delayRate ?? 0)) {
        this.queue.push(m);
        continue;
      }
      this.deliverOne(m);
      this.flush();
    }
  }

  /** Delivers until no messages are left (or `maxRounds` passes). */
  stabilize(maxRounds = 100): void {
    for (let round = 0; round < maxRounds && this.queue.length > 0; round++) this.deliver();
  }

  private deliverOne(m: Message): void {
    const sender = this.nodes.get(m.from);
    const receiver = this.nodes.get(m.to);
    const lost =
      !receiver || this.down.has(m.to) || this.cutOff.has(m.to) || this.cutOff.has(m.from) ||
      this.rng() < (this.options.dropRate ?? 0);
    if (lost) {
      // A transport notices when a snapshot fails to arrive, and says so.
      if (m.type === 'MsgSnap') sender?.node.reportSnapshot(m.to, 'failure');
      return;
    }
    if (this.rng() < (this.options.duplicateRate ?? 0)) this.queue.push(m);
    receiver.node.step(m);
    if (m.type === 'MsgSnap') sender?.node.reportSnapshot(m.to, 'finish');
  }

  private shuffleQueue(): void {
    for (let i = this.queue.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      [this.queue[i], this.queue[j]] = [this.queue[j], this.queue[i]];
    }
  }

  /** Runs the safety checks over every node; throws on the first violation. */
  observe(): void {
    this.checks.observe([...this.nodes.values()].map((sim) => ({ id: sim.id, storage: sim.storage, status: () => sim.node.status() })));
  }

  /** Throws if another node applied a different entry ("index/term/data") at this index. */
  checkApplied(entry: AppliedEntry): void {
    this.checks.checkApplied(entry);
  }

  /** Current leaders (role StateLeader), highest term first. */
  leaders(): SimNode[] {
    return [...this.nodes.values()]
      .filter((sim) => sim.node.status().role === 'StateLeader')
      .sort((a, b) => b.node.status().term - a.node.status().term);
  }

  /**
   * Ticks everyone (delivering messages in between) until every reachable node follows
   * one leader in one term. (A stale leader cut off earlier may still believe it leads an
   * older term; it does not count.)
   */
  electLeader(maxTicks = 200): SimNode {
    for (let t = 0; t < maxTicks; t++) {
      const reachable = [...this.nodes.values()].filter((sim) => !this.cutOff.has(sim.id));
      const [first] = reachable.map((sim) => sim.node.status());
      const agreed = reachable.every((sim) => {
        const { lead, term } = sim.node.status();
        return lead !== NO_NODE && lead === first.lead && term === first.term;
      });
      if (agreed && this.queue.length === 0 && this.nodes.has(first.lead)) return this.get(first.lead);
      this.tick();
      this.stabilize();
    }
    throw new Error(`no leader after ${maxTicks} ticks`);
  }

  /** Proposes `data` at `id`; returns false if it was dropped (no leader known). */
  propose(id: NodeId, data: string): boolean {
    try {
      this.get(id).node.propose(new TextEncoder().encode(data));
      this.flush();
      return true;
    } catch (err) {
      if (err instanceof RaftError && err.code === 'PROPOSAL_DROPPED') return false;
      throw err;
    }
  }
}
