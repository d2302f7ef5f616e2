// The EndpointSlice controller (pkg/controller/endpointslice): publishes the endpoints of every
// Service with a selector as discovery.k8s.io/v1 EndpointSlices — what kube-proxy and CoreDNS
// read. Keys are service "namespace/name"s, queued when a service changes, when a pod change
// matters to the services selecting it, and (a second later, so bursts of echoes fold into one
// sync) when someone other than this controller changed or deleted one of its slices. The sync
// reads the listers, asks the reconciler for a plan and applies it; slices of a deleted service
// are left to the garbage collector through their owner reference.
import {
  isForbidden,
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
import { reconcileSlices, type SlicePlan } from './reconciler.ts';
import { CONTROLLER_NAME } from './slice-meta.ts';
import { EndpointSliceTracker } from './slice-tracker.ts';
import { hasSelector, queueServicesOnChange, selectsPod } from './util/service-membership.ts';
import { TriggerTimeTracker } from './util/trigger-time-tracker.ts';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type EndpointSlice, type Node, type Pod, type Service } from './util/types.ts';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';
/** endpointSliceChangeMinSyncDelay: how long a slice change waits before its service syncs */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
/** a service failing this many syncs in a row is dropped until its next change */
const MAX_RETRIES = 15;

export interface EndpointSliceControllerDeps {
  services: SharedIndexInformer<Service>;
  pods: SharedIndexInformer<Pod>;
  nodes: SharedIndexInformer<Node>;
  endpointSlices: SharedIndexInformer<EndpointSlice>;
  sliceClient: ResourceClient<EndpointSlice>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-service-endpoint-syncs */
  workers: number;
  /** --max-endpoints-per-slice */
  maxEndpointsPerSlice: number;
  clock: Clock;
  logger: Logger;
}

const managedByUs = (slice: EndpointSlice): boolean => slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;

export class EndpointSliceController implements Controller {
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly slices: Lister<EndpointSlice>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly deps: EndpointSliceControllerDeps) {
    this.services = deps.services.lister();
    this.pods = deps.pods.lister();
    this.nodes = deps.nodes.lister();
    this.slices = deps.endpointSlices.lister();
    queueServicesOnChange(deps.services, deps.pods, deps.queue);
    deps.endpointSlices.addEventHandler({
      onAdd: (slice) => {
        if (managedByUs(slice) && this.tracker.shouldSync(slice)) this.queueServiceOf(slice);
      },
      onUpdate: (old, cur) => {
        if (!managedByUs(old) && !managedByUs(cur)) return;
        if (old.metadata.labels?.[SERVICE_NAME_LABEL] !== cur.metadata.labels?.[SERVICE_NAME_LABEL]) {
          this.queueServiceOf(cur);
          this.queueServiceOf(old);
          return;
        }
        if (managedByUs(old) !== managedByUs(cur) || this.tracker.shouldSync(cur)) this.queueServiceOf(cur);
      },
      onDelete: (obj) => {
        const slice = objectOf(obj);
        // Someone else deleted one of our slices: put it back.
        if (managedByUs(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice)) this.queueServiceOf(slice);
      },
    });
  }

  private queueServiceOf(slice: EndpointSlice): void {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) return;
    this.deps.queue.addAfter(`${slice.metadata.namespace ?? ''}/${service}`, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { services, pods, nodes, endpointSlices, queue, clock, logger } = this.deps;
    logger.info('Starting endpoint slice controller');
    const synced = [() => pods.hasSynced(), () => services.hasSynced(), () => endpointSlices.hasSynced(), () => nodes.hasSynced()];
    if (!(await waitForNamedCacheSync('endpoint_slice', synced, signal, logger, clock))) return;
    await runWorkers(
      { controller: ENDPOINTSLICE_CONTROLLER, queue, workers: this.deps.workers, sync: (key) => this.syncService(key), maxRetries: MAX_RETRIES, logger },
      signal,
    );
    logger.info('Shutting down endpoint slice controller');
  }

  async syncService(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
    const service = this.services.get(namespace, name);
    if (!service) {
      // Its slices go with it (garbage collector); only our memory of it is left to drop.
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = this.pods
      .byNamespace(namespace)
      .list()
      .filter((pod) => selectsPod(service, pod))
      .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    const slices = this.slices
      .byNamespace(namespace)
      .list()
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && managedByUs(s))
      // Slices being deleted are as good as gone.
      .filter((s) => s.metadata.deletionTimestamp == null);
    if (this.tracker.staleSlices(service, slices)) throw new Error('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(service, pods);

    const plan = reconcileSlices({
      service,
      pods,
      existingSlices: slices,
      nodeFor: (node) => this.nodes.get('', node),
      maxEndpointsPerSlice: this.deps.maxEndpointsPerSlice,
      ...(triggerTime !== undefined ? { triggerTime } : {}),
    });
    const errors = [...plan.errors, ...(await this.apply(service, plan))];
    if (errors.length === 0) return;
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    this.deps.recorder.event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${message}`);
    throw new Error(message);
  }

  /** Writes the plan, remembering each write in the tracker; returns what failed. */
  private async apply(service: Service, plan: SlicePlan): Promise<string[]> {
    const namespace = service.metadata.namespace ?? '';
    const name = service.metadata.name ?? '';
    const client = this.deps.sliceClient.namespace(namespace);
    const errors: string[] = [];
    for (const slice of plan.create) {
      try {
        this.tracker.update(await client.create(slice));
      } catch (err) {
        // A terminating namespace refuses every create: drop the service quietly.
        if (isForbidden(err) && hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return [];
        errors.push(`failed to create EndpointSlice for Service ${namespace}/${name}: ${(err as Error).message}`);
      }
    }
    for (const slice of plan.update) {
      try {
        this.tracker.update(await client.update(slice));
      } catch (err) {
        errors.push(`failed to update ${slice.metadata.name} EndpointSlice for Service ${namespace}/${name}: ${(err as Error).message}`);
      }
    }
    for (const slice of plan.delete) {
      try {
        await client.delete(slice.metadata.name ?? '');
        this.tracker.expectDeletion(slice);
      } catch (err) {
        errors.push(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${namespace}/${name}: ${(err as Error).message}`);
      }
    }
    return errors;
  }
}
