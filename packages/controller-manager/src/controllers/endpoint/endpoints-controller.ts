// The endpoints controller (pkg/controller/endpoint): keeps, for every Service with a selector,
// an Endpoints object of the same name listing the selected pods' addresses and ports — what
// older consumers and `kubectl get endpoints` / `kubectl describe svc` read. Keys are service
// "namespace/name"s; they are queued when a service changes, when a pod change matters to the
// services selecting it (before and after), and when an Endpoints object is deleted (so it
// comes back). The sync reads only listers: it computes the subsets the service should have and
// writes only when they, the labels or the capacity annotation differ from what is stored.
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import {
  isForbidden,
  isNotFound,
  type Clock,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { objectOf } from '../tombstone.ts';
import { isServiceIpSet, sameLabels } from '../endpointslice/util/pods.ts';
import { semanticEqual } from '../endpointslice/util/semantic-equal.ts';
import { hasSelector, queueServicesOnChange, selectsPod } from '../endpointslice/util/service-membership.ts';
import { TriggerTimeTracker } from '../endpointslice/util/trigger-time-tracker.ts';
import {
  HEADLESS_SERVICE_LABEL,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION,
  type Endpoints,
  type Pod,
  type Service,
} from '../endpointslice/util/types.ts';
import { capacityAnnotationSetCorrectly, desiredSubsets, OVER_CAPACITY_ANNOTATION, truncateSubsets } from './desired-subsets.ts';

export const ENDPOINTS_CONTROLLER = 'endpoints-controller';
/** the event source and RBAC identity Kubernetes uses */
export const ENDPOINTS_CONTROLLER_COMPONENT = 'endpoint-controller';
/** resourcelock.LeaderElectionRecordAnnotationKey: Endpoints used as a leader-election lock have no service */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** a service failing this many syncs in a row is dropped until its next change */
const MAX_RETRIES = 15;

export interface EndpointsControllerDeps {
  services: SharedIndexInformer<Service>;
  pods: SharedIndexInformer<Pod>;
  endpoints: SharedIndexInformer<Endpoints>;
  endpointsClient: ResourceClient<Endpoints>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-endpoint-syncs */
  workers: number;
  clock: Clock;
  logger: Logger;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export class EndpointsController implements Controller {
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly endpoints: Lister<Endpoints>;
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly deps: EndpointsControllerDeps) {
    this.services = deps.services.lister();
    this.pods = deps.pods.lister();
    this.endpoints = deps.endpoints.lister();
    queueServicesOnChange(deps.services, deps.pods, deps.queue);
    // A deleted Endpoints object of a live service is recreated; a leftover one is cleaned up.
    deps.endpoints.addEventHandler({ onDelete: (obj) => deps.queue.add(keyOf(objectOf(obj))) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { services, pods, endpoints, queue, clock, logger } = this.deps;
    logger.info('Starting endpoint controller');
    const synced = [() => pods.hasSynced(), () => services.hasSynced(), () => endpoints.hasSynced()];
    if (!(await waitForNamedCacheSync('endpoint', synced, signal, logger, clock))) return;
    this.checkLeftoverEndpoints();
    await runWorkers(
      { controller: ENDPOINTS_CONTROLLER, queue, workers: this.deps.workers, sync: (key) => this.syncService(key), maxRetries: MAX_RETRIES, logger },
      signal,
    );
    logger.info('Shutting down endpoint controller');
  }

  /**
   * Queues the service of every Endpoints object once at start: those whose service went away
   * while the controller was not running are deleted by their sync.
   */
  private checkLeftoverEndpoints(): void {
    for (const endpoints of this.endpoints.list()) {
      if (Object.hasOwn(endpoints.metadata.annotations ?? {}, LEADER_ANNOTATION)) continue;
      this.deps.queue.add(keyOf(endpoints));
    }
  }

  async syncService(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
    const service = this.services.get(namespace, name);
    if (!service) {
      // The service is gone: so are its endpoints.
      try {
        await this.deps.endpointsClient.namespace(namespace).delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.triggerTimes.deleteService(namespace, name);
      return;
    }
    // ExternalName services are a DNS alias; services without a selector get their endpoints
    // from whoever manages them (kubectl, an operator, the apiserver for "kubernetes").
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = this.pods
      .byNamespace(namespace)
      .list()
      .filter((pod) => selectsPod(service, pod))
      .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    // Computed even when nothing is written, so the tracker remembers what it has seen.
    const triggerTime = this.triggerTimes.compute(service, pods);
    const subsets = desiredSubsets(service, pods);

    const current = this.endpoints.get(namespace, name);
    const serviceLabels = service.metadata.labels ?? {};
    if (current) {
      const { [HEADLESS_SERVICE_LABEL]: _headless, ...compareLabels } = current.metadata.labels ?? {};
      if (
        semanticEqual(current.subsets, subsets) &&
        sameLabels(compareLabels, serviceLabels) &&
        capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets)
      ) {
        return;
      }
    }

    const annotations = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = formatRfc3339(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
    const truncated = truncateSubsets(subsets);
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...serviceLabels };
    if (!isServiceIpSet(service)) labels[HEADLESS_SERVICE_LABEL] = '';

    const desired: Endpoints = {
      ...(current ?? {}),
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? { name, namespace }),
        labels,
        annotations,
      },
      subsets: truncated ?? subsets,
    };
    if (desired.subsets!.length === 0) delete desired.subsets;
    try {
      const client = this.deps.endpointsClient.namespace(namespace);
      if (current) await client.update(desired);
      else await client.create(desired);
    } catch (err) {
      // A terminating namespace refuses new objects for good: nothing to retry.
      if (!current && isForbidden(err) && hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
      const message = (err as Error).message;
      if (current) this.deps.recorder.event(desired, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${message}`);
      else this.deps.recorder.event(desired, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${message}`);
      throw err;
    }
  }
}
