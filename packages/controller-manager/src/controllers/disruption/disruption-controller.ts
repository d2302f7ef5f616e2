// The disruption controller: keeps every PodDisruptionBudget's status — expectedPods,
// currentHealthy, desiredHealthy, disruptionsAllowed, disruptedPods, observedGeneration and the
// DisruptionAllowed condition — true to its pods, since the apiserver's eviction subresource
// admits an eviction only while status.disruptionsAllowed is above zero (and then decrements
// it and records the pod in disruptedPods). Keys are "namespace/name". A PDB is queued when it
// changes and when a pod it selects is added, changed or deleted; it is queued again when a
// disruptedPods entry is due to expire. A sync that fails for any reason but a write conflict
// writes a fail-safe status: no disruptions allowed, condition reason SyncFailed.
import type { KubeObject } from '@k8ts/api';
import { labelSelectorFromObject, matchesLabels, type LabelSelector, type LabelSelectorObject } from '@k8ts/api/selectors/index.ts';
import {
  errorMessage,
  isConflict,
  type Clock,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { objectOf } from '../tombstone.ts';
import { expectedPodCount, type ControllerFinder } from './expected-pods.ts';
import { buildDisruptedPodMap, countHealthyPods, desiredStatus, failSafeStatus } from './pdb-status.ts';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from './types.ts';

export const DISRUPTION_CONTROLLER = 'disruption-controller';

export interface DisruptionControllerDeps {
  pdbs: SharedIndexInformer<PodDisruptionBudget>;
  pods: SharedIndexInformer<Pod>;
  pdbClient: ResourceClient<PodDisruptionBudget>;
  /** where pods' controllers' scales come from, in order (finders.ts) */
  finders: readonly ControllerFinder[];
  /** the informers the finders read, which must have synced before the first sync */
  finderSynced: (() => boolean)[];
  /** source component "controllermanager", as Kubernetes' disruption controller reports */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

export class DisruptionController implements Controller {
  private readonly pdbs: Lister<PodDisruptionBudget>;
  private readonly pods: Lister<Pod>;

  constructor(private readonly deps: DisruptionControllerDeps) {
    this.pdbs = deps.pdbs.lister();
    this.pods = deps.pods.lister();
    deps.pdbs.addEventHandler({
      onAdd: (pdb) => this.enqueue(pdb),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(objectOf(obj)),
    });
    deps.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, cur) => this.podChanged(cur),
      onDelete: (obj: Pod | DeletedFinalStateUnknown<Pod>) => this.podChanged(objectOf(obj)),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { pdbs, pods, queue, clock, logger } = this.deps;
    logger.info(`Starting controller ${DISRUPTION_CONTROLLER}`);
    const synced = [() => pdbs.hasSynced(), () => pods.hasSynced(), ...this.deps.finderSynced];
    if (!(await waitForNamedCacheSync('disruption', synced, signal, logger, clock))) return;
    await runWorkers({ controller: DISRUPTION_CONTROLLER, queue, workers: 1, sync: (key) => this.sync(key), logger }, signal);
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.pdbs.get(namespace, name);
    if (!cached) return;
    const pdb: PodDisruptionBudget = { ...cached, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' };
    try {
      await this.trySync(pdb, key);
    } catch (err) {
      // A conflict only means our copy was stale: retry without declaring the budget broken.
      if (isConflict(err)) throw err;
      this.deps.logger.warn(`Failed to sync PDB ${key}: ${errorMessage(err)}`);
      await this.writeStatus(pdb, failSafeStatus(pdb, errorMessage(err), this.deps.clock.now()));
    }
  }

  private async trySync(pdb: PodDisruptionBudget, key: string): Promise<void> {
    const { recorder, clock } = this.deps;
    let pods: Pod[];
    try {
      pods = this.podsFor(pdb);
    } catch (err) {
      recorder.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${errorMessage(err)}`);
      throw err;
    }
    if (pods.length === 0) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');

    let counts;
    try {
      counts = await expectedPodCount(pdb, pods, this.deps.finders);
    } catch (err) {
      recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(err)}`);
      throw err;
    }
    // Percentages cannot be taken of pods nothing scales: say so rather than fail every sync.
    if (counts.unmanagedPods.length > 0) {
      recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelector(pdb.spec?.selector)}) were found to be unmanaged. ` +
          'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
          'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }

    const now = clock.now();
    const disrupted = buildDisruptedPodMap(pods, pdb, now);
    for (const pod of disrupted.notDeleted) {
      recorder.event(podObject(pod), 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disrupted.disruptedPods, now);
    const status = desiredStatus(pdb, { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedPods: counts.expectedCount, disruptedPods: disrupted.disruptedPods }, now);
    if (status) await this.writeStatus(pdb, status);
    if (disrupted.recheckAt !== undefined) this.deps.queue.addAfter(key, disrupted.recheckAt - now);
  }

  /** The pods the budget's selector picks in its namespace (a missing selector picks none, an empty one all). */
  private podsFor(pdb: PodDisruptionBudget): Pod[] {
    const selector = labelSelectorFromObject(pdb.spec?.selector);
    return this.pods.byNamespace(pdb.metadata.namespace ?? '').list(selector);
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    await this.deps.pdbClient.namespace(pdb.metadata.namespace ?? '').updateStatus({ ...pdb, status });
  }

  private enqueue(pdb: PodDisruptionBudget): void {
    this.deps.queue.add(`${pdb.metadata.namespace ?? ''}/${pdb.metadata.name ?? ''}`);
  }

  private podChanged(pod: Pod): void {
    const pdb = this.pdbForPod(pod);
    if (pdb) this.enqueue(pdb);
  }

  /**
   * getPdbForPod: the budget covering the pod. A pod covered by several gets a warning and only
   * the first is synced for it (eviction refuses such pods anyway).
   */
  private pdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const matching = this.pdbs
      .byNamespace(pod.metadata.namespace ?? '')
      .list()
      .filter((pdb) => {
        let selector: LabelSelector | null;
        try {
          selector = labelSelectorFromObject(pdb.spec?.selector);
        } catch {
          return false;
        }
        return matchesLabels(selector, pod.metadata.labels ?? {});
      });
    const [first] = matching;
    if (first && matching.length > 1) {
      this.deps.recorder.event(
        podObject(pod),
        'Warning',
        'MultiplePodDisruptionBudgets',
        `Pod ${JSON.stringify(pod.metadata.namespace ?? '')}/${JSON.stringify(pod.metadata.name ?? '')} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(first.metadata.name ?? '')} arbitrarily.`,
      );
    }
    return first;
  }
}

/** The cached pod, naming its own type (events need it). */
function podObject(pod: Pod): KubeObject {
  return { ...pod, apiVersion: 'v1', kind: 'Pod' };
}

/** Go's %v of a *metav1.LabelSelector (its generated String method). */
export function goLabelSelector(selector: LabelSelectorObject | null | undefined): string {
  if (!selector) return 'nil';
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${selector.matchLabels![k]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}
