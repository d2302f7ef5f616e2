// The scheduler (kube-scheduler's Scheduler and scheduleOne): pop a pending pod, bring the
// snapshot up to date, run the framework's algorithm, and then either
//   scheduled      assume the pod onto the node in the cache and bind it in the background
//                  (POST pods/<name>/binding; at most `maxConcurrentBindings` at once), then
//                  the Normal "Scheduled" event; a failed binding forgets the assumption
//   unschedulable  run preemption (DefaultPreemption): evict the victims and nominate the
//                  node; record the Warning "FailedScheduling" event and the PodScheduled=False
//                  condition with the FitError message; the pod waits in the queue for a
//                  cluster event that may help it
// Every decision is kept for the debug endpoint and, at -v 4, logged.
import { setMaxListeners } from 'node:events';
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import { errorMessage, isNotFound, sleep, waitForCacheSync, type Clock, type EventRecorder, type Lister, type Logger, type ObjectReference, type ResourceClient, type RestClient, type SharedInformerFactory } from '@k8ts/client';
import { CacheSnapshot } from '../cache/cache-snapshot.ts';
import { SchedulerCache } from '../cache/scheduler-cache.ts';
import { DecisionLog, type Decision } from '../debug/decision-log.ts';
import { formatExplanation } from '../debug/format-explanation.ts';
import { Framework } from '../framework/framework.ts';
import type { CycleState } from '../framework/interfaces.ts';
import type { Node, Pod, PodDisruptionBudget, ScheduleResult } from '../framework/types.ts';
import { SchedulerMetrics } from '../metrics/scheduler-metrics.ts';
import { DEFAULT_SCHEDULER_NAME, type SchedulingConfiguration } from '../options/options.ts';
import { prioritySortLess } from '../plugins/priority-sort.ts';
import { addVolumeBindingEventHandlers } from '../plugins/volume-binding-events.ts';
import { storageInformers, volumeBindingDeps } from '../plugins/volume-binding-setup.ts';
import { ASSIGNED_POD_DELETE } from '../queue/cluster-events.ts';
import { SchedulingQueue, type QueuedPodInfo } from '../queue/scheduling-queue.ts';
import { defaultSelector } from './default-selector.ts';
import { addNodeEventHandlers, addPodEventHandlers } from './event-handlers.ts';
import { preemptionDisruptionPatch, schedulingFailurePatch, truncateMessage, type Nomination, type SchedulingFailureReason } from './pod-status.ts';

/** How often backoffQ and the unschedulable pool are flushed, and assumed pods checked (kube-scheduler's). */
const BACKOFF_FLUSH_PERIOD_MS = 1_000;
const UNSCHEDULABLE_FLUSH_PERIOD_MS = 30_000;
const ASSUMED_CLEANUP_PERIOD_MS = 1_000;
/** Bindings in flight at once: enough to keep the apiserver busy, bounded so a slow one cannot pile up. */
export const DEFAULT_MAX_CONCURRENT_BINDINGS = 64;
/** At -v 4 and above each decision is logged with its explanation. */
const EXPLAIN_VERBOSITY = 4;

export interface SchedulerDeps {
  client: RestClient;
  informers: SharedInformerFactory;
  /** events from component default-scheduler */
  recorder: EventRecorder;
  scheduling: SchedulingConfiguration;
  clock: Clock;
  random?: () => number;
  logger: Logger;
  verbosity?: number;
  metrics?: MetricsRegistry;
  decisions?: DecisionLog;
  maxConcurrentBindings?: number;
  /** called once the informers have synced (readiness) */
  onSynced?: () => void;
}

interface Failure {
  reason: SchedulingFailureReason;
  message: string;
  /** the plugins that rejected the pod; empty for errors (retried after backoff) */
  plugins: Set<string>;
}

const PODS = { group: '', version: 'v1', kind: 'Pod' };

function podRef(pod: Pod): ObjectReference {
  const { name, namespace, uid, resourceVersion } = pod.metadata;
  return { kind: 'Pod', apiVersion: 'v1', ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
}

function podName(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export class Scheduler {
  readonly queue: SchedulingQueue<Pod>;
  readonly cache = new SchedulerCache();
  readonly decisions: DecisionLog;
  private readonly snapshot = new CacheSnapshot();
  private readonly profiles = new Map<string, Framework>();
  private readonly pods: ResourceClient<Pod>;
  private readonly podLister: Lister<Pod>;
  private readonly pdbLister: Lister<PodDisruptionBudget>;
  private readonly synced: (() => boolean)[];
  private readonly metrics: SchedulerMetrics | undefined;
  private readonly random: () => number;
  private readonly maxConcurrentBindings: number;
  /** API writes still running (bindings, status patches, evictions) */
  private readonly inFlight = new Set<Promise<void>>();
  private bindingsInFlight = 0;
  private nextStartIndex = 0;
  /** aborts PreBind waits when the scheduler stops */
  private runSignal: AbortSignal = new AbortController().signal;

  constructor(private readonly deps: SchedulerDeps) {
    const { informers, scheduling, clock } = deps;
    this.random = deps.random ?? Math.random;
    this.maxConcurrentBindings = deps.maxConcurrentBindings ?? DEFAULT_MAX_CONCURRENT_BINDINGS;
    this.decisions = deps.decisions ?? new DecisionLog();
    this.queue = new SchedulingQueue<Pod>({
      now: () => clock.now(),
      less: prioritySortLess,
      podInitialBackoffMs: scheduling.podInitialBackoffMs,
      podMaxBackoffMs: scheduling.podMaxBackoffMs,
    });
    this.pods = deps.client.forKind<Pod>(PODS);
    const podInformer = informers.forKind<Pod>(PODS);
    const nodeInformer = informers.forKind<Node>({ group: '', version: 'v1', kind: 'Node' });
    const pdbInformer = informers.forKind<PodDisruptionBudget>({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' });
    const namespaceInformer = informers.forKind({ group: '', version: 'v1', kind: 'Namespace' });
    const storage = storageInformers(informers);
    const volumeBinding = volumeBindingDeps(storage, deps.client, clock);
    const selecting = {
      services: informers.forKind({ group: '', version: 'v1', kind: 'Service' }),
      replicationControllers: informers.forKind({ group: '', version: 'v1', kind: 'ReplicationController' }),
      replicaSets: informers.forKind({ group: 'apps', version: 'v1', kind: 'ReplicaSet' }),
      statefulSets: informers.forKind({ group: 'apps', version: 'v1', kind: 'StatefulSet' }),
    };
    this.podLister = podInformer.lister();
    this.pdbLister = pdbInformer.lister();
    const namespaces = namespaceInformer.lister();
    const inNamespace = (informer: (typeof selecting)['services']) => {
      const lister = informer.lister();
      return (namespace: string) => lister.byNamespace(namespace).list();
    };
    const selectingObjects = {
      services: inNamespace(selecting.services),
      replicationControllers: inNamespace(selecting.replicationControllers),
      replicaSets: inNamespace(selecting.replicaSets),
      statefulSets: inNamespace(selecting.statefulSets),
    };
    for (const schedulerName of scheduling.schedulerNames) {
      this.profiles.set(
        schedulerName,
        new Framework({
          schedulerName,
          percentageOfNodesToScore: scheduling.percentageOfNodesToScore,
          podInitialBackoffSeconds: scheduling.podInitialBackoffMs / 1000,
          podMaxBackoffSeconds: scheduling.podMaxBackoffMs / 1000,
          namespaceLabels: (namespace) => namespaces.get('', namespace)?.metadata.labels,
          defaultSpreadSelector: (podInfo) => defaultSelector(podInfo.pod, selectingObjects),
          volumeBinding,
        }),
      );
    }
    const targets = { queue: this.queue, cache: this.cache, responsibleFor: (pod: Pod) => this.profiles.has(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) };
    addPodEventHandlers(podInformer, targets);
    addNodeEventHandlers(nodeInformer, targets);
    addVolumeBindingEventHandlers(storage, (event) => this.queue.moveAllToActiveOrBackoffQueue(event));
    this.synced = [podInformer, nodeInformer, pdbInformer, namespaceInformer, ...Object.values(selecting), ...Object.values(storage)].map((informer) => () => informer.hasSynced());
    this.metrics = deps.metrics ? new SchedulerMetrics(deps.metrics, () => this.queue.pendingPods()) : undefined;
  }

  /** Starts the informers, waits for their caches, and schedules until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, logger, informers } = this.deps;
    // The informers, the timers and the queue all listen on this one signal: that is no leak.
    setMaxListeners(0, signal);
    this.runSignal = signal;
    informers.start(signal);
    logger.info('Waiting for caches to sync for scheduler');
    if (!(await waitForCacheSync(signal, this.synced, clock))) return;
    this.deps.onSynced?.();
    logger.info(`Caches are synced for scheduler; ${this.cache.nodeCount()} node(s), ${this.queue.pendingPods().active} pod(s) to schedule`);
    const loops = [
      this.every(BACKOFF_FLUSH_PERIOD_MS, signal, () => this.queue.flushBackoffQCompleted()),
      this.every(UNSCHEDULABLE_FLUSH_PERIOD_MS, signal, () => this.queue.flushUnschedulablePodsLeftover()),
      this.every(ASSUMED_CLEANUP_PERIOD_MS, signal, () => {
        for (const pod of this.cache.cleanupExpiredAssumedPods(clock.now())) logger.warn(`assumed pod ${podName(pod)} expired`);
      }),
    ];
    const onAbort = (): void => this.queue.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        await this.bindingSlot();
        const info = await this.queue.next(signal);
        if (!info) break;
        await this.scheduleOne(info);
        // Let informer events and binding responses in between pods.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      await Promise.all(loops);
      await Promise.all(this.inFlight);
    }
  }

  /** One scheduling cycle for one pod; the binding continues in the background. */
  async scheduleOne(info: QueuedPodInfo<Pod>): Promise<void> {
    const pod = info.pod;
    const profile = this.profiles.get(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    if (!profile) return;
    if (pod.metadata.deletionTimestamp) {
      this.deps.recorder.event(podRef(pod), 'Warning', 'FailedScheduling', `skip schedule deleting pod: ${podName(pod)}`);
      return;
    }
    if (this.cache.isAssumed(pod)) return;
    const { clock } = this.deps;
    const start = clock.now();
    const cycle = this.queue.schedulingCycle();
    this.cache.updateSnapshot(this.snapshot);
    let result: ScheduleResult;
    try {
      result = profile.schedulePod(pod, this.snapshot, { startIndex: this.nextStartIndex, random: this.random });
    } catch (err) {
      this.handleFailure(profile, info, { reason: 'SchedulerError', message: errorMessage(err), plugins: new Set() }, {}, cycle, start);
      return;
    }
    this.nextStartIndex = result.nextStartIndex;
    if (result.kind === 'unschedulable') {
      await this.handleUnschedulable(profile, info, result, cycle, start);
      return;
    }
    const host = result.suggestedHost;
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    try {
      this.cache.assumePod(assumed);
    } catch (err) {
      this.handleFailure(profile, info, { reason: 'SchedulerError', message: errorMessage(err), plugins: new Set() }, {}, cycle, start);
      return;
    }
    const reserved = profile.runReserve(result.state, assumed, host);
    if (reserved) {
      this.cache.forgetPod(assumed);
      const message = `running Reserve plugin "${reserved.plugin}": ${reserved.message()}`;
      this.handleFailure(profile, info, { reason: 'SchedulerError', message, plugins: new Set() }, {}, cycle, start);
      return;
    }
    this.decide(info, {
      result: 'scheduled',
      node: host,
      evaluatedNodes: result.evaluatedNodes,
      feasibleNodes: result.feasibleNodes,
      explanation: result.explanation,
    });
    this.bindingsInFlight++;
    this.track(this.bind(profile, info, assumed, host, result.state, cycle, start).finally(() => this.bindingsInFlight--));
  }

  /** The binding cycle: PreBind, then POST the Binding; on success the Scheduled event, on failure unreserve, forget and retry. */
  private async bind(profile: Framework, info: QueuedPodInfo<Pod>, assumed: Pod, host: string, state: CycleState, cycle: number, start: number): Promise<void> {
    const { clock, recorder, logger } = this.deps;
    const { name, namespace, uid } = assumed.metadata;
    let failure: string | undefined;
    const preBind = await profile.runPreBind(state, assumed, host, this.runSignal);
    if (preBind) failure = `running PreBind plugin "${preBind.plugin}": ${preBind.message()}`;
    else {
      try {
        await this.pods.namespace(namespace!).bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { kind: 'Node', name: host } } as KubeObject);
      } catch (err) {
        failure = `running Bind plugin "DefaultBinder": ${errorMessage(err)}`;
      }
    }
    if (failure !== undefined) {
      profile.runUnreserve(state, assumed, host);
      // The informer may have shown the pod bound (by someone else) meanwhile: then the cache follows it.
      if (this.cache.isAssumed(assumed)) this.cache.forgetPod(assumed);
      // What the pod held on the node is free again.
      this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
      logger.warn(`binding ${podName(assumed)} to ${host} failed: ${failure}`);
      this.handleFailure(profile, info, { reason: 'SchedulerError', message: failure, plugins: new Set() }, {}, cycle, start);
      return;
    }
    const now = clock.now();
    this.cache.finishBinding(assumed, now);
    this.metrics?.attempt(profile.schedulerName, 'scheduled', (now - start) / 1000);
    if (info.initialAttemptTimestamp !== undefined) {
      this.metrics?.podSchedulingSli.observe({ attempts: String(info.attempts) }, (now - info.initialAttemptTimestamp) / 1000);
    }
    recorder.event(podRef(assumed), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${host}`);
  }

  /** PostFilter (preemption), then the failure path with the FitError message. */
  private async handleUnschedulable(profile: Framework, info: QueuedPodInfo<Pod>, result: Extract<ScheduleResult, { kind: 'unschedulable' }>, cycle: number, start: number): Promise<void> {
    const pod = info.pod;
    const diagnosis = result.fitError.diagnosis;
    let nomination: Nomination = {};
    let preemption: Decision['preemption'];
    if (result.fitError.numAllNodes > 0) {
      this.metrics?.preemptionAttempts.inc({});
      const outcome = profile.preempt(pod, this.snapshot, diagnosis, this.pdbLister.list(), { random: this.random });
      diagnosis.postFilterMsg = outcome.message || undefined;
      if (outcome.nominatedNodeName) {
        this.metrics?.preemptionVictims.observe({}, outcome.victims.length);
        await this.preemptVictims(profile, pod, outcome.nominatedNodeName, outcome.victims);
        nomination = { nominatedNodeName: outcome.nominatedNodeName };
        preemption = { nominatedNodeName: outcome.nominatedNodeName, victims: outcome.victims.map(podName) };
      }
    }
    const message = result.fitError.message();
    this.decide(info, { result: 'unschedulable', message, explanation: result.explanation, ...(preemption ? { preemption } : {}) });
    const plugins = new Set([...diagnosis.unschedulablePlugins, ...diagnosis.pendingPlugins]);
    this.handleFailure(profile, info, { reason: 'Unschedulable', message, plugins }, nomination, cycle, start);
  }

  /**
   * prepareCandidate: mark each victim DisruptionTarget, delete it, and say why in a Preempted
   * event; lower-priority pods nominated to the same node lose that nomination.
   */
  private async preemptVictims(profile: Framework, preemptor: Pod, nodeName: string, victims: Pod[]): Promise<void> {
    const { clock, recorder, logger } = this.deps;
    await Promise.all(
      victims.map(async (victim) => {
        const pods = this.pods.namespace(victim.metadata.namespace!);
        try {
          await pods.patch(victim.metadata.name!, 'strategic', preemptionDisruptionPatch(victim, profile.schedulerName, clock.now()), { subresource: 'status' });
          await pods.delete(victim.metadata.name!);
        } catch (err) {
          if (!isNotFound(err)) logger.warn(`preempting ${podName(victim)} for ${podName(preemptor)}: ${errorMessage(err)}`);
          return;
        }
        recorder.event(podRef(victim), 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${nodeName}`);
      }),
    );
    const priority = preemptor.spec.priority ?? 0;
    for (const key of this.queue.nominatedPodsForNode(nodeName)) {
      const [namespace, name] = key.split('/') as [string, string];
      const nominated = this.podLister.get(namespace, name);
      if (!nominated || nominated.metadata.uid === preemptor.metadata.uid || (nominated.spec.priority ?? 0) >= priority) continue;
      this.queue.deleteNominatedPodIfExists(nominated);
      this.track(this.patchStatus(nominated, { metadata: { uid: nominated.metadata.uid ?? null }, status: { nominatedNodeName: null } }));
    }
  }

  /**
   * handleSchedulingFailure: count the attempt, put the pod back in the queue (unless it was
   * deleted or bound meanwhile), and tell the user with an event and the pod's condition.
   */
  private handleFailure(profile: Framework, info: QueuedPodInfo<Pod>, failure: Failure, nomination: Nomination, cycle: number, start: number): void {
    const { clock, recorder } = this.deps;
    const now = clock.now();
    this.metrics?.attempt(profile.schedulerName, failure.reason === 'Unschedulable' ? 'unschedulable' : 'error', (now - start) / 1000);
    if (failure.reason === 'SchedulerError') this.decide(info, { result: 'error', message: failure.message });
    const pod = info.pod;
    const cached = this.podLister.get(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (cached && cached.metadata.uid === pod.metadata.uid && !cached.spec.nodeName) {
      info.pod = cached;
      info.unschedulablePlugins = failure.plugins;
      this.queue.addUnschedulableIfNotPresent(info, cycle);
    }
    if (nomination.nominatedNodeName) this.queue.addNominatedPod(pod, nomination.nominatedNodeName);
    const message = truncateMessage(failure.message);
    recorder.event(podRef(pod), 'Warning', 'FailedScheduling', message);
    const patch = schedulingFailurePatch(cached ?? pod, failure.reason, failure.message, nomination, now);
    if (patch) this.track(this.patchStatus(pod, patch));
  }

  private async patchStatus(pod: Pod, patch: Record<string, unknown>): Promise<void> {
    try {
      await this.pods.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', patch, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) this.deps.logger.warn(`updating the status of ${podName(pod)}: ${errorMessage(err)}`);
    }
  }

  private decide(info: QueuedPodInfo<Pod>, decision: Pick<Decision, 'result'> & Partial<Decision>): void {
    const pod = info.pod;
    const { clock, logger, verbosity = 0 } = this.deps;
    const full: Decision = {
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
      time: formatRfc3339(Math.floor(clock.now() / 1000)),
      attempt: info.attempts,
      ...decision,
    };
    this.decisions.record(full);
    if (verbosity >= EXPLAIN_VERBOSITY) logger.info(formatExplanation(full));
  }

  /** Waits while the maximum number of bindings is in flight. */
  private async bindingSlot(): Promise<void> {
    while (this.bindingsInFlight >= this.maxConcurrentBindings) await Promise.race(this.inFlight);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err) => this.deps.logger.warn(errorMessage(err))).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async every(periodMs: number, signal: AbortSignal, tick: () => void): Promise<void> {
    while (await sleep(this.deps.clock, periodMs, signal)) tick();
  }
}
