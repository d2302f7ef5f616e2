// How the DaemonSet controller hears about change (its informer handlers), which only ever
// queue DaemonSet keys: a DaemonSet itself; the owner of a pod or ControllerRevision that came,
// changed or went (counting observed pod creations and deletions against expectations) — or,
// for an orphan, every DaemonSet that could adopt it; and every DaemonSet for which a new or
// changed node flips whether it should run there.
import { isDeepStrictEqual } from 'node:util';
import type { Lister, Logger, RateLimitingQueue, SharedIndexInformer } from '@k8ts/client';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import type { ControllerExpectations } from '../../controller/expectations.ts';
import { DependentOwners } from '../dependent-owners.ts';
import { objectKey } from '../object-key.ts';
import { OwnedPodHandlers } from '../owned-pod-handlers.ts';
import { objectOf } from '../tombstone.ts';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import { DAEMON_SETS, type ControllerRevision, type DaemonSet, type Node, type Pod } from './types.ts';

export interface DaemonSetEventDeps {
  daemonSets: SharedIndexInformer<DaemonSet>;
  revisions: SharedIndexInformer<ControllerRevision>;
  pods: SharedIndexInformer<Pod>;
  nodes: SharedIndexInformer<Node>;
  expectations: ControllerExpectations;
  queue: RateLimitingQueue<string>;
  logger: Logger;
}

export class DaemonSetEventHandlers {
  private readonly daemonSets: Lister<DaemonSet>;
  /** GetHistoryDaemonSets: overlapping selectors are warned about for pods only. */
  private readonly revisionOwners: DependentOwners<DaemonSet>;

  constructor(private readonly deps: DaemonSetEventDeps) {
    this.daemonSets = deps.daemonSets.lister();
    this.revisionOwners = new DependentOwners(this.daemonSets, DAEMON_SETS.kind);
    deps.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (old, cur) => this.updateDaemonSet(old, cur),
      onDelete: (obj) => this.deleteDaemonSet(objectOf(obj)),
    });
    deps.revisions.addEventHandler({
      onAdd: (rev) => this.addRevision(rev),
      onUpdate: (old, cur) => this.updateRevision(old, cur),
      onDelete: (obj) => this.deleteRevision(objectOf(obj)),
    });
    const podOwners = new DependentOwners(this.daemonSets, DAEMON_SETS.kind, {
      logger: deps.logger,
      message: 'user error! more than one daemon is selecting pods with labels',
    });
    new OwnedPodHandlers({ owners: podOwners, queue: deps.queue, expectations: deps.expectations, gracefulDeletion: 'deletion' }).watch(deps.pods);
    deps.nodes.addEventHandler({
      onAdd: (node) => this.addNode(node),
      onUpdate: (old, cur) => this.updateNode(old, cur),
    });
  }

  private enqueue(ds: DaemonSet): void {
    this.deps.queue.add(objectKey(ds));
  }

  private updateDaemonSet(old: DaemonSet, cur: DaemonSet): void {
    // Deleted and recreated under the same name between two events: forget the old one first.
    if (old.metadata.uid !== cur.metadata.uid) this.deleteDaemonSet(old);
    this.enqueue(cur);
  }

  private deleteDaemonSet(ds: DaemonSet): void {
    const key = objectKey(ds);
    // A new DaemonSet of the same name starts clean.
    this.deps.expectations.deleteExpectations(key);
    this.deps.queue.add(key);
  }

  private addRevision(revision: ControllerRevision): void {
    if (revision.metadata.deletionTimestamp) {
      this.deleteRevision(revision);
      return;
    }
    // An owned revision's creation needs no sync: its owner made it.
    if (controllerRefOf(revision)) return;
    for (const ds of this.revisionOwners.adoptersOf(revision)) this.enqueue(ds);
  }

  private updateRevision(old: ControllerRevision, cur: ControllerRevision): void {
    // A resync of an unchanged revision.
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const { previous, controller, adopters } = this.revisionOwners.ofUpdated(old, cur);
    for (const ds of [previous, controller, ...adopters]) if (ds) this.enqueue(ds);
  }

  private deleteRevision(revision: ControllerRevision): void {
    const ds = this.revisionOwners.controllerOf(revision);
    if (ds) this.enqueue(ds);
  }

  private addNode(node: Node): void {
    for (const ds of this.daemonSets.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) this.enqueue(ds);
  }

  private updateNode(old: Node, cur: Node): void {
    if (nodeUpdateIrrelevant(old, cur)) return;
    for (const ds of this.daemonSets.list()) {
      const before = nodeShouldRunDaemonPod(old, ds);
      const after = nodeShouldRunDaemonPod(cur, ds);
      if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) this.enqueue(ds);
    }
  }
}

/**
 * shouldIgnoreNodeUpdate: the same conditions are True and nothing else changed but the
 * resourceVersion, the conditions' timestamps and the bookkeeping of who wrote what — a
 * kubelet heartbeat, which cannot change where daemons run.
 */
export function nodeUpdateIrrelevant(old: Node, cur: Node): boolean {
  const trueConditions = (node: Node): string[] =>
    (node.status?.conditions ?? [])
      .filter((c) => c.status === 'True')
      .map((c) => c.type)
      .sort();
  if (!isDeepStrictEqual(trueConditions(old), trueConditions(cur))) return false;
  const strip = (node: Node): Node => ({
    ...node,
    metadata: { ...node.metadata, resourceVersion: undefined, managedFields: undefined },
    status: { ...(node.status ?? {}), conditions: undefined },
  });
  return isDeepStrictEqual(strip(old), strip(cur));
}

