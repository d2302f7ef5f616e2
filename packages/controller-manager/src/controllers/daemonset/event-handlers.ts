// How the DaemonSet controller hears about change (its informer handlers), which only ever
// queue DaemonSet keys: a DaemonSet itself; the owner of a pod or ControllerRevision that came,
// changed or went (counting observed pod creations and deletions against expectations) — or,
// for an orphan, every DaemonSet that could adopt it; and every DaemonSet for which a new or
// changed node flips whether it should run there.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '@k8ts/api';
import type { DeletedFinalStateUnknown, Lister, Logger, RateLimitingQueue, SharedIndexInformer } from '@k8ts/client';
import { controllerRefOf, isPodReady } from '../../controller/controller-utils.ts';
import type { ControllerExpectations } from '../../controller/expectations.ts';
import { objectOf } from '../tombstone.ts';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import { DAEMON_SETS, type ControllerRevision, type DaemonSet, type Node, type Pod } from './types.ts';
import { ownersSelecting, resolveControllerRef, type ControllerRefTarget } from '../../controller/owner-lookup.ts';

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

  constructor(private readonly deps: DaemonSetEventDeps) {
    this.daemonSets = deps.daemonSets.lister();
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
    deps.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
    deps.nodes.addEventHandler({
      onAdd: (node) => this.addNode(node),
      onUpdate: (old, cur) => this.updateNode(old, cur),
    });
  }

  private enqueue(ds: DaemonSet): void {
    this.deps.queue.add(keyOf(ds));
  }

  private updateDaemonSet(old: DaemonSet, cur: DaemonSet): void {
    // Deleted and recreated under the same name between two events: forget the old one first.
    if (old.metadata.uid !== cur.metadata.uid) this.deleteDaemonSet(old);
    this.enqueue(cur);
  }

  private deleteDaemonSet(ds: DaemonSet): void {
    const key = keyOf(ds);
    // A new DaemonSet of the same name starts clean.
    this.deps.expectations.deleteExpectations(key);
    this.deps.queue.add(key);
  }

  /** The DaemonSet a controller reference points to, if it still exists with that uid. */
  private resolveControllerRef(namespace: string, ref: ControllerRefTarget): DaemonSet | undefined {
    return resolveControllerRef(this.daemonSets, DAEMON_SETS.kind, namespace, ref);
  }

  /**
   * GetPodDaemonSets / GetHistoryDaemonSets: DaemonSets whose (non-empty) selector matches the
   * object. Overlapping DaemonSets are a user error worth a warning for pods.
   */
  private daemonSetsSelecting(obj: KubeObject, warnOverlap: boolean): DaemonSet[] {
    const matching = ownersSelecting(this.daemonSets, obj);
    if (matching.length > 1 && warnOverlap) {
      this.deps.logger.warn(`user error! more than one daemon is selecting pods with labels: ${JSON.stringify(obj.metadata.labels)}`);
    }
    return matching;
  }

  private addRevision(revision: ControllerRevision): void {
    if (revision.metadata.deletionTimestamp) {
      this.deleteRevision(revision);
      return;
    }
    // An owned revision's creation needs no sync: its owner made it.
    if (controllerRefOf(revision)) return;
    for (const ds of this.daemonSetsSelecting(revision, false)) this.enqueue(ds);
  }

  private updateRevision(old: ControllerRevision, cur: ControllerRevision): void {
    // A resync of an unchanged revision.
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    this.updateOwned(old, cur, false);
  }

  private deleteRevision(revision: ControllerRevision): void {
    const ref = controllerRefOf(revision);
    if (!ref) return;
    const ds = this.resolveControllerRef(revision.metadata.namespace ?? '', ref);
    if (ds) this.enqueue(ds);
  }

  /** A pod's or revision's update: its old and new owner look again, or for an orphan whoever could adopt it. */
  private updateOwned(old: KubeObject, cur: KubeObject, warnOverlap: boolean): DaemonSet | undefined {
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const ds = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (ds) this.enqueue(ds);
    }
    if (curRef) {
      const ds = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (ds) this.enqueue(ds);
      return ds;
    }
    const labelsChanged = !isDeepStrictEqual(cur.metadata.labels ?? {}, old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const ds of this.daemonSetsSelecting(cur, warnOverlap)) this.enqueue(ds);
    return undefined;
  }

  private addPod(pod: Pod): void {
    // Seen for the first time already being deleted (e.g. after a restart): not a creation.
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const ds = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!ds) return;
      this.deps.expectations.creationObserved(keyOf(ds));
      this.enqueue(ds);
      return;
    }
    // An orphan: whoever could adopt it should look (no creation is observed: nobody waits for orphans).
    for (const ds of this.daemonSetsSelecting(pod, true)) this.enqueue(ds);
  }

  private updatePod(old: Pod, cur: Pod): void {
    // A resync of an unchanged pod.
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: count it now so a replacement need not wait for the grace period.
      this.deletePod(cur);
      return;
    }
    const ds = this.updateOwned(old, cur, true);
    // Ready now: available minReadySeconds later; look again then (plus a second of slack).
    const minReadySeconds = ds?.spec?.minReadySeconds ?? 0;
    if (ds && !isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) {
      this.deps.queue.addAfter(keyOf(ds), minReadySeconds * 1000 + 1000);
    }
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const ds = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!ds) return;
    this.deps.expectations.deletionObserved(keyOf(ds));
    this.enqueue(ds);
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

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
