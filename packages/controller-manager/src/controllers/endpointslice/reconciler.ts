// The EndpointSlice reconciler (k8s.io/endpointslice reconciler.go), as a pure function: given a
// service, the pods it selects and the slices it already has, which slices to create, update and
// delete. It minimizes churn the way Kubernetes 1.32 does, per address type and per set of ports:
//   1. existing slices keep the endpoints still desired (refreshed in place when their
//      conditions, node or zone changed) and lose the rest; a slice left empty is deleted;
//   2. leftover endpoints first fill the slices already being updated, fullest first;
//   3. what still remains goes into the unchanged slice it fits best (only when less than a
//      full slice remains), else into new slices of at most maxEndpointsPerSlice;
//   4. a service with nothing to publish keeps one empty "placeholder" slice;
//   5. a slice about to be created takes over the name of one about to be deleted (an update
//      instead of a delete plus a create).
// The plan carries no I/O; the controller applies it.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { shouldPodBeInEndpoints } from './util/pods.ts';
import { semanticEqual } from './util/semantic-equal.ts';
import { LAST_CHANGE_TRIGGER_TIME_ANNOTATION, type EndpointSlice, type Node, type Pod, type Service, type SliceEndpoint, type SlicePort } from './util/types.ts';
import { EndpointSet, endpointsEqualBeyondKey, portMapKey } from './endpoint-set.ts';
import { addressTypesForService, endpointPorts, podToEndpoint, type AddressType } from './pod-to-endpoint.ts';
import { newEndpointSlice, ownedBy, sliceLabels } from './slice-meta.ts';

export interface ReconcileInput {
  service: Service;
  /** the pods the service selects */
  pods: Pod[];
  /** the slices this controller manages for the service, none of them being deleted */
  existingSlices: EndpointSlice[];
  /** the node a pod runs on, from the node informer's cache */
  nodeFor(name: string): Node | undefined;
  maxEndpointsPerSlice: number;
  /** the last-change-trigger-time, in seconds; undefined clears the annotation */
  triggerTime?: number;
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** pods that had to be left out, and why; the service is retried after the plan is applied */
  errors: string[];
}

const byName = (a: EndpointSlice, b: EndpointSlice) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

export function reconcileSlices(input: ReconcileInput): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const supported = addressTypesForService(input.service);
  const existingByType = new Map<AddressType, EndpointSlice[]>();
  const unsupported: EndpointSlice[] = [];
  for (const slice of [...input.existingSlices].sort(byName)) {
    if (!supported.has(slice.addressType)) {
      unsupported.push(slice);
      continue;
    }
    existingByType.set(slice.addressType, [...(existingByType.get(slice.addressType) ?? []), slice]);
  }
  for (const addressType of supported) {
    const part = reconcileAddressType(input, existingByType.get(addressType) ?? [], addressType);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
    for (const error of part.errors) if (!plan.errors.includes(error)) plan.errors.push(error);
  }
  // Slices of an address type the service no longer has (its IP families changed).
  plan.delete.push(...unsupported);
  return plan;
}

interface PortSet {
  ports: SlicePort[];
  endpoints: EndpointSet;
}

function reconcileAddressType(input: ReconcileInput, existing: EndpointSlice[], addressType: AddressType): SlicePlan {
  const { service } = input;
  const errors: string[] = [];
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const desiredByPorts = new Map<string, PortSet>();
  for (const pod of input.pods) {
    // Terminating pods stay listed, marked terminating, while they may still serve.
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    const key = portMapKey(ports);
    let desired = desiredByPorts.get(key);
    if (!desired) desiredByPorts.set(key, (desired = { ports, endpoints: new EndpointSet() }));
    const nodeName = pod.spec?.nodeName ?? '';
    const node = input.nodeFor(nodeName);
    // A pod on a node the cache does not know is left out (and the service retried), unless
    // the service publishes every address anyway.
    if (!node && service.spec?.publishNotReadyAddresses !== true) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${service.metadata.namespace}/${service.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const endpoint = podToEndpoint(pod, node, service, addressType);
    if (endpoint.addresses.length > 0) desired.endpoints.insert(endpoint);
  }

  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const remove: EndpointSlice[] = [];
  for (const [key, desired] of desiredByPorts) {
    const part = reconcilePortSet(input, existingByPorts.get(key) ?? [], desired, addressType);
    create.push(...part.create);
    update.push(...part.update);
    remove.push(...part.delete);
  }
  // Slices for port sets no pod offers any more.
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) remove.push(...slices);

  // A selector that matches nothing still gets one empty slice, so consumers can tell "no
  // endpoints" from "not processed yet".
  if (existing.length === remove.length && create.length === 0) {
    const placeholder = newEndpointSlice(service, [], addressType);
    if (remove.length === 1 && isSamePlaceholder(remove[0]!, placeholder)) remove.length = 0;
    else create.push(placeholder);
  }
  return finalize(input, create, update, remove, errors);
}

/** placeholderSliceCompare: same namespace, labels and address type, and neither ports nor endpoints. */
function isSamePlaceholder(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    semanticEqual(slice.metadata.labels, placeholder.metadata.labels) &&
    slice.addressType === placeholder.addressType &&
    (slice.ports ?? []).length === 0 &&
    (slice.endpoints ?? []).length === 0
  );
}

/** reconcileByPortMapping: steps 1–3 for the slices of one port set. */
function reconcilePortSet(input: ReconcileInput, existing: EndpointSlice[], desired: PortSet, addressType: AddressType): SlicePlan {
  const { service, maxEndpointsPerSlice: max } = input;
  const wanted = desired.endpoints;
  const slicesByName = new Map<string, EndpointSlice>();
  const unchanged: string[] = [];
  const toUpdate: string[] = [];
  const toDelete: EndpointSlice[] = [];

  // Slices from the cache are never modified: those to be written are copied first (their
  // endpoint lists, which steps 2 and 3 extend, and their metadata, which finalize stamps).
  // 1. Keep what is still desired, refreshed; drop the rest.
  for (const slice of existing) {
    const name = slice.metadata.name ?? '';
    slicesByName.set(name, slice);
    const kept: SliceEndpoint[] = [];
    let refreshed = false;
    for (const endpoint of slice.endpoints ?? []) {
      const want = wanted.get(endpoint);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, endpoint)) refreshed = true;
      // Placed: it must not be added anywhere else.
      wanted.delete(endpoint);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, service);
    if (refreshed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) {
        toDelete.push(slice);
      } else {
        slicesByName.set(name, { ...slice, endpoints: kept, metadata: { ...slice.metadata, labels } });
        toUpdate.push(name);
      }
    } else if (labelsChanged) {
      slicesByName.set(name, { ...slice, endpoints: [...(slice.endpoints ?? [])], metadata: { ...slice.metadata, labels } });
      toUpdate.push(name);
    } else {
      unchanged.push(name);
    }
  }

  // 2. Fill the slices being written anyway, fullest first.
  if (wanted.size > 0 && toUpdate.length > 0) {
    const filling = toUpdate.map((name) => slicesByName.get(name)!).sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
    for (const slice of filling) {
      const endpoints = slice.endpoints ?? (slice.endpoints = []);
      while (wanted.size > 0 && endpoints.length < max) endpoints.push(wanted.popAny());
    }
  }

  // 3. The rest: into the unchanged slice it fits best, or into new slices.
  const create: EndpointSlice[] = [];
  while (wanted.size > 0) {
    let slice: EndpointSlice | undefined;
    if (wanted.size < max && unchanged.length > 0) {
      const fit = bestFit(
        unchanged.map((name) => slicesByName.get(name)!),
        wanted.size,
        max,
      );
      if (fit) {
        slice = { ...fit, endpoints: [...(fit.endpoints ?? [])] };
        slicesByName.set(fit.metadata.name ?? '', slice);
      }
    }
    slice ??= newEndpointSlice(service, desired.ports, addressType);
    const endpoints = slice.endpoints ?? (slice.endpoints = []);
    while (wanted.size > 0 && endpoints.length < max) endpoints.push(wanted.popAny());
    const name = slice.metadata.name;
    if (name) {
      toUpdate.push(name);
      unchanged.splice(unchanged.indexOf(name), 1);
    } else {
      create.push(slice);
    }
  }
  return { create, update: toUpdate.map((name) => slicesByName.get(name)!), delete: toDelete, errors: [] };
}

/** getSliceToFill: the slice with the least room left that still takes all `count` endpoints. */
function bestFit(slices: EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) break;
    }
  }
  return closest;
}

/** finalize: creates turned into updates of slices otherwise deleted; the trigger time stamped on every write. */
function finalize(input: ReconcileInput, create: EndpointSlice[], update: EndpointSlice[], remove: EndpointSlice[], errors: string[]): SlicePlan {
  const { service } = input;
  const kept: EndpointSlice[] = [];
  for (const doomed of remove) {
    const replacement = create.at(-1);
    // Only slices of this very service are reused, not those of a deleted service of the same
    // name that the garbage collector has yet to remove.
    if (replacement && doomed.addressType === replacement.addressType && ownedBy(doomed, service)) {
      create.pop();
      const { generateName: _prefix, ...metadata } = replacement.metadata;
      update.push({ ...replacement, metadata: { ...metadata, name: doomed.metadata.name } });
    } else {
      kept.push(doomed);
    }
  }
  // No new slices for a service being deleted: the garbage collector would race to remove them.
  const creates = service.metadata.deletionTimestamp ? [] : create;
  for (const slice of [...creates, ...update]) {
    const annotations = { ...(slice.metadata.annotations ?? {}) };
    if (input.triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = formatRfc3339(input.triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
    slice.metadata = { ...slice.metadata, annotations };
  }
  return { create: creates, update, delete: kept, errors };
}
