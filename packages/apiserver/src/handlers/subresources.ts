// Subresources with their own behaviour: scale (autoscaling/v1 Scale over spec.replicas),
// pods/binding (the scheduler's write), pods/eviction (drain, honouring PodDisruptionBudgets),
// namespaces/finalize, and the node-facing streams (log, exec, …) until kubelets serve them.
import type { JsonObject, JsonValue, KubeObject } from '@k8ts/api';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels } from '@k8ts/api/selectors/index.ts';
import { ApiError, errors } from '../http/api-error.ts';
import { decodeJsonText, patchMediaType } from '../http/codec.ts';
import { timestamp } from '../registry/object-meta.ts';
import type { DeleteOptions } from '../registry/strategy.ts';
import { checkTyped, decodeTypedBody } from './decode-object.ts';
import { fieldValidation, operationContext, sendObject, type ResourceRequest } from './request-context.ts';
import { applyPatch } from './write.ts';

const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const BINDING = { group: '', version: 'v1', kind: 'Binding' };
const EVICTION = { group: 'policy', version: 'v1', kind: 'Eviction' };

function toScale(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (object.status ?? {}) as { replicas?: number };
  const selector = labelSelectorFromObject(spec.selector as never);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector: formatLabelSelector(selector) } : {}) },
  };
}

export async function handleScale(req: ResourceRequest): Promise<void> {
  const { store, info, request } = req;
  if (!store.info.subresources.some((s) => s.name === 'scale')) throw errors.notFoundPath();
  if (info.verb === 'get') {
    const { object } = await store.get(info.namespace, info.name!);
    sendObject(req, 200, toScale(object));
    return;
  }
  const ctx = operationContext(req);
  const validation = fieldValidation(req.query);
  let newScale: (current: KubeObject) => KubeObject;
  if (info.verb === 'update') {
    const body = decodeTypedBody(request.headers['content-type'], request.body as Buffer, SCALE, validation, ctx);
    newScale = () => body;
  } else if (info.verb === 'patch') {
    const type = patchMediaType(request.headers['content-type']);
    if (type === 'application/apply-patch+yaml') throw errors.unsupportedMediaType(['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json']);
    const patch = decodeJsonText(((request.body as Buffer) ?? Buffer.alloc(0)).toString('utf8'), 'error decoding patch').value;
    newScale = (current) => checkTyped(applyPatch(type, toScale(current) as unknown as JsonValue, patch, SCALE), [], SCALE, validation, ctx);
  } else {
    throw errors.methodNotAllowed();
  }
  const result = await store.update(
    info.namespace,
    info.name!,
    (current) => {
      const scale = newScale(current!);
      const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas;
      if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
        const message = `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`;
        throw errors.invalid('Scale', 'autoscaling', info.name!, `Scale.autoscaling "${info.name}" is invalid: spec.replicas: ${message}`, [
          { reason: 'FieldValueInvalid', message, field: 'spec.replicas' },
        ]);
      }
      const next = { ...current!, spec: { ...(current!.spec as object), replicas } };
      const pinned = scale.metadata?.resourceVersion;
      next.metadata = { ...current!.metadata, ...(pinned ? { resourceVersion: pinned } : {}) };
      return next;
    },
    ctx,
    { subresource: 'scale' },
  );
  sendObject(req, 200, toScale(result.object), ctx);
}

export async function handleBinding(req: ResourceRequest): Promise<void> {
  const { store, info, request } = req;
  const ctx = operationContext(req);
  const binding = decodeTypedBody(request.headers['content-type'], request.body as Buffer, BINDING, fieldValidation(req.query), ctx);
  const node = (binding.target as { name?: string } | undefined)?.name;
  if (!node) {
    throw errors.invalid('Binding', '', info.name!, `Binding "${info.name}" is invalid: target.name: Required value`, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' },
    ]);
  }
  await store.admitSubresource({ operation: 'CREATE', subresource: 'binding', namespace: info.namespace, name: info.name!, object: binding, kind: BINDING }, ctx);
  await store.update(
    info.namespace,
    info.name!,
    (pod) => {
      const spec = (pod!.spec ?? {}) as { nodeName?: string };
      if (pod!.metadata.deletionTimestamp) throw errors.conflict({ group: '', resource: 'pods/binding' }, info.name!, `pod ${info.name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) {
        throw errors.conflict({ group: '', resource: 'pods/binding' }, info.name!, `pod ${info.name} is already assigned to node "${spec.nodeName}"`);
      }
      const uid = binding.metadata.uid;
      if (uid && uid !== pod!.metadata.uid) throw errors.conflict({ group: '', resource: 'pods/binding' }, info.name!, 'the UID in the binding does not match the pod');
      const status = (pod!.status ?? {}) as { conditions?: { type: string }[] };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(ctx.now) } as never);
      return {
        ...pod!,
        metadata: {
          ...pod!.metadata,
          annotations: { ...pod!.metadata.annotations, ...binding.metadata.annotations },
        },
        spec: { ...spec, nodeName: node },
        status: { ...status, conditions },
      };
    },
    ctx,
    { target: 'internal', managedFieldsDone: true },
  );
  sendObject(req, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

interface Budget {
  metadata: { name: string; generation?: number };
  spec?: { selector?: unknown };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
}

export async function handleEviction(req: ResourceRequest): Promise<void> {
  const { store, info, request, parts } = req;
  const ctx = operationContext(req);
  const eviction = decodeTypedBody(request.headers['content-type'], request.body as Buffer, EVICTION, fieldValidation(req.query), ctx);
  await store.admitSubresource({ operation: 'CREATE', subresource: 'eviction', namespace: info.namespace, name: info.name!, object: eviction, kind: EVICTION }, ctx);
  const { object: pod } = await store.get(info.namespace, info.name!);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const pdbs = parts.registry.store('policy', 'v1', 'poddisruptionbudgets')!;
  // Finished or already-deleting pods can always go: they disrupt nothing.
  if (phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp) {
    const listed = await pdbs.storage.list(pdbs.prefixFor(info.namespace));
    const covering = listed.items.filter((b) => {
      const selector = labelSelectorFromObject(((b.object as unknown as Budget).spec?.selector ?? null) as never);
      return selector !== null && matchesLabels(selector, pod.metadata.labels);
    });
    if (covering.length > 1) {
      throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const budget = covering[0];
    if (budget) {
      await pdbs.update(info.namespace, budget.object.metadata.name!, (current) => {
        const b = current as unknown as Budget;
        const status = b.status ?? {};
        // A budget changed since the disruption controller last counted may allow too much.
        if ((status.observedGeneration ?? 0) < (b.metadata.generation ?? 0)) {
          throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
            causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${b.metadata.name} is still being processed by the server.` }],
          });
        }
        if ((status.disruptionsAllowed ?? 0) < 1) {
          throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
            causes: [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${b.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
              },
            ],
          });
        }
        return {
          ...current!,
          status: {
            ...status,
            disruptionsAllowed: (status.disruptionsAllowed ?? 0) - 1,
            disruptedPods: { ...status.disruptedPods, [info.name!]: timestamp(ctx.now) },
          },
        } as KubeObject;
      }, ctx, { target: 'status' });
    }
  }
  const options = (eviction.deleteOptions ?? {}) as DeleteOptions;
  await store.delete(info.namespace, info.name!, options, ctx);
  sendObject(req, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export async function handleFinalize(req: ResourceRequest): Promise<void> {
  const { store, info, request } = req;
  const ctx = operationContext(req);
  const body = decodeTypedBody(request.headers['content-type'], request.body as Buffer, store.gvk, fieldValidation(req.query), ctx);
  const result = await store.update(
    undefined,
    info.name!,
    (current) => ({ ...current!, spec: { ...(current!.spec as object), finalizers: (body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] } }),
    ctx,
    { target: 'main', subresource: 'finalize' },
  );
  sendObject(req, 200, result.object, ctx);
}

/** The options object a connect request's query makes (PodExecOptions, NodeProxyOptions, …), as admission sees it. */
function connectOptions(req: ResourceRequest): { kind: string; options: JsonObject } {
  const { info, store, query } = req;
  const named: Record<string, string> = { exec: 'PodExecOptions', attach: 'PodAttachOptions', portforward: 'PodPortForwardOptions' };
  const kind = info.subresource === 'proxy' ? `${store.info.kind}ProxyOptions` : (named[info.subresource!] ?? '');
  const options: JsonObject = { kind, apiVersion: 'v1' };
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    const last = values[values.length - 1]!;
    options[key] = key === 'command' || key === 'ports' ? values : last === 'true' ? true : last === 'false' ? false : last;
  }
  if (info.rest !== undefined) options.path = info.rest;
  return { kind, options };
}

/**
 * log/exec/attach/portforward/proxy reach the pod's node; kubelets do not serve them yet. The
 * connects (all but log) pass admission first, as CONNECT requests.
 */
export async function handleNodeStream(req: ResourceRequest): Promise<void> {
  const { store, info } = req;
  if (info.verb === 'connect') {
    const { kind, options } = connectOptions(req);
    const request = { operation: 'CONNECT' as const, subresource: info.subresource!, namespace: info.namespace, name: info.name!, kind: { group: '', version: 'v1', kind }, options };
    // A connect carries no write options to check: only who asks matters.
    await store.admitSubresource(request, { now: req.parts.now(), user: req.user, dryRun: false, fieldManager: '', warnings: [] });
  }
  const { object } = await store.get(info.namespace, info.name!);
  const nodeName = (object.spec as { nodeName?: string } | undefined)?.nodeName;
  if (store.info.resource === 'pods' && !nodeName) {
    throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
  }
  throw errors.serviceUnavailable(
    `${info.subresource} for ${store.info.resource} "${info.name}" needs a connection to the kubelet on node "${nodeName ?? info.name}", which this apiserver cannot reach yet`,
  );
}
