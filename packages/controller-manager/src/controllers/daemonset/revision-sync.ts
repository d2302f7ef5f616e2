// The DaemonSet controller's revision bookkeeping against the API (constructHistory, snapshot,
// dedupCurHistories, cleanupHistory): claim the ControllerRevisions the DaemonSet owns, find the
// one holding its current template — creating it, or renumbering it to the newest when a
// rollback made an old template current again — and prune old revisions beyond the limit.
import { isDeepStrictEqual } from 'node:util';
import type { LabelSelector } from '@k8ts/api/selectors/index.ts';
import { isAlreadyExists, type Lister, type Logger, type ResourceClient } from '@k8ts/client';
import { ControllerRefManager } from '../../controller/controller-ref-manager.ts';
import { RevisionHistory } from '../../controller/history.ts';
import {
  currentRevisionNumber,
  matchesRevision,
  newDaemonSetRevision,
  revisionHash,
  revisionsToPrune,
  revisionToKeep,
  splitRevisions,
} from './revisions.ts';
import { CONTROLLER_REVISION_HASH_LABEL, DAEMON_SETS, type ControllerRevision, type DaemonSet, type Pod } from './types.ts';

export interface RevisionSyncDeps {
  revisions: Lister<ControllerRevision>;
  revisionClient: ResourceClient<ControllerRevision>;
  daemonSetClient: ResourceClient<DaemonSet>;
  podClient: ResourceClient<Pod>;
  logger: Logger;
}

/** The DaemonSet's current revision and the older ones. */
export interface DaemonSetHistory {
  current: ControllerRevision;
  old: ControllerRevision[];
}

export class RevisionSync {
  private readonly history: RevisionHistory;

  constructor(private readonly deps: RevisionSyncDeps) {
    this.history = new RevisionHistory(deps.revisionClient);
  }

  /**
   * constructHistory. `canAdopt` re-reads the DaemonSet before adopting orphans; `pods` lists
   * its pods (relabelled when duplicates of the current revision are merged).
   */
  async construct(ds: DaemonSet, selector: LabelSelector | null, canAdopt: () => Promise<void>, pods: () => Promise<Pod[]>): Promise<DaemonSetHistory> {
    const claimed = await this.claim(ds, selector, canAdopt);
    const labelled: ControllerRevision[] = [];
    for (const revision of claimed) labelled.push(await this.ensureHashLabel(revision));
    const { current, old } = splitRevisions(ds, labelled);
    const wanted = currentRevisionNumber(old);
    if (current.length === 0) return { current: await this.snapshot(ds, wanted), old };
    const kept = await this.dedup(current, pods);
    if (kept.revision < wanted) await this.history.updateRevisionNumber(kept, wanted);
    return { current: kept, old };
  }

  /** cleanupHistory: deletes old revisions beyond revisionHistoryLimit that no pod runs. */
  async cleanup(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): Promise<void> {
    for (const revision of revisionsToPrune(ds, old, pods)) await this.history.delete(revision);
  }

  /** controlledHistories: every revision in the namespace the DaemonSet owns or adopts. */
  private async claim(ds: DaemonSet, selector: LabelSelector | null, canAdopt: () => Promise<void>): Promise<ControllerRevision[]> {
    const { revisions, revisionClient } = this.deps;
    const manager = new ControllerRefManager<ControllerRevision>({
      controller: ds,
      controllerKind: DAEMON_SETS,
      selector,
      objectKind: 'ControllerRevision',
      patch: (namespace, name, patch) => revisionClient.namespace(namespace).patch(name, 'strategic', patch),
      canAdopt,
    });
    return manager.claim(revisions.byNamespace(ds.metadata.namespace ?? '').list());
  }

  /** Revisions made before the hash label existed get their name as the label. */
  private async ensureHashLabel(revision: ControllerRevision): Promise<ControllerRevision> {
    if (revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== undefined) return revision;
    const labels = { ...(revision.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: revision.metadata.name ?? '' };
    return this.deps.revisionClient.namespace(revision.metadata.namespace ?? '').update({ ...revision, metadata: { ...revision.metadata, labels } });
  }

  /**
   * snapshot: creates the revision of the current template. A revision of that name holding
   * another template is a hash collision: status.collisionCount goes up (a new name next sync)
   * and the sync fails so that it is retried.
   */
  private async snapshot(ds: DaemonSet, number: number): Promise<ControllerRevision> {
    const { revisionClient, daemonSetClient, logger } = this.deps;
    const namespace = ds.metadata.namespace ?? '';
    const revision = newDaemonSetRevision(ds, number);
    try {
      return await revisionClient.namespace(namespace).create(revision);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      logger.info(`Name collision when creating daemonset history ${namespace}/${revision.metadata.name}`);
      const existing = await revisionClient.namespace(namespace).get(revision.metadata.name ?? '');
      if (matchesRevision(ds, existing)) return existing;
      const fresh = await daemonSetClient.namespace(namespace).get(ds.metadata.name ?? '');
      // Our collision count was stale: retry once the cache catches up rather than bump it twice.
      if (!isDeepStrictEqual(fresh.status?.collisionCount, ds.status?.collisionCount)) {
        throw new Error(
          `found a stale collision count (${ds.status?.collisionCount ?? 'nil'}, expected ${fresh.status?.collisionCount ?? 'nil'}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`,
        );
      }
      const collisionCount = (fresh.status?.collisionCount ?? 0) + 1;
      await daemonSetClient.namespace(namespace).updateStatus({ ...fresh, status: { ...(fresh.status ?? {}), collisionCount } });
      logger.info(`Found a hash collision for DaemonSet ${namespace}/${ds.metadata.name} - bumping collisionCount to ${collisionCount} to resolve it`);
      throw err;
    }
  }

  /** dedupCurHistories: keeps the newest duplicate of the current template, moving pods onto its hash. */
  private async dedup(duplicates: ControllerRevision[], pods: () => Promise<Pod[]>): Promise<ControllerRevision> {
    const keep = revisionToKeep(duplicates);
    const keepHash = revisionHash(keep);
    for (const duplicate of duplicates) {
      if (duplicate.metadata.name === keep.metadata.name) continue;
      for (const pod of await pods()) {
        if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === keepHash) continue;
        const patch = { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keepHash } } };
        await this.deps.podClient.namespace(pod.metadata.namespace ?? '').patch(pod.metadata.name ?? '', 'strategic', patch);
      }
      await this.history.delete(duplicate);
    }
    return keep;
  }
}
