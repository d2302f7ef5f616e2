// Where a pod's controller's scale comes from, tried in Kubernetes' order: a
// ReplicationController, a Deployment (through the ReplicaSet it owns), a ReplicaSet with no
// Deployment above it, a StatefulSet — all from the informer caches — and, for any other kind,
// its /scale subresource. A reference to a kind without one is an error the PDB reports.
import type { OwnerReference } from '@k8ts/api';
import { schema } from '@k8ts/api';
import { isNotFound, type Lister, type RestClient } from '@k8ts/client';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import type { ControllerAndScale, ControllerFinder } from './expected-pods.ts';
import type { ScaledWorkload } from './types.ts';

export interface WorkloadListers {
  replicationControllers: Lister<ScaledWorkload>;
  deployments: Lister<ScaledWorkload>;
  replicaSets: Lister<ScaledWorkload>;
  statefulSets: Lister<ScaledWorkload>;
}

function groupOf(ref: OwnerReference): string {
  return ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
}

/** verifyGroupKind: the reference is to `kind` in one of `groups`. */
function refersTo(ref: OwnerReference, kind: string, groups: readonly string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref));
}

/** The cached object the reference names, if it is still the one with that uid. */
function resolve(lister: Lister<ScaledWorkload>, namespace: string, ref: Pick<OwnerReference, 'name' | 'uid'>): ScaledWorkload | undefined {
  const obj = lister.get(namespace, ref.name);
  return obj?.metadata.uid === ref.uid ? obj : undefined;
}

function scaleOf(obj: ScaledWorkload): ControllerAndScale {
  return { uid: obj.metadata.uid ?? '', scale: obj.spec?.replicas ?? 1 };
}

const APPS = ['apps', 'extensions'];

export function workloadFinders(listers: WorkloadListers, client: RestClient): ControllerFinder[] {
  const replicationController: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicationController', [''])) return undefined;
    const rc = resolve(listers.replicationControllers, namespace, ref);
    return rc && scaleOf(rc);
  };
  const deployment: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicaSet', APPS)) return undefined;
    const rs = resolve(listers.replicaSets, namespace, ref);
    const owner = rs && controllerRefOf(rs);
    if (!owner || !refersTo(owner, 'Deployment', APPS)) return undefined;
    const d = resolve(listers.deployments, namespace, owner);
    return d && scaleOf(d);
  };
  const replicaSet: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicaSet', APPS)) return undefined;
    const rs = resolve(listers.replicaSets, namespace, ref);
    // A Deployment's ReplicaSet counts as its Deployment (above), never on its own.
    if (!rs || controllerRefOf(rs)?.kind === 'Deployment') return undefined;
    return scaleOf(rs);
  };
  const statefulSet: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'StatefulSet', ['apps'])) return undefined;
    const sts = resolve(listers.statefulSets, namespace, ref);
    return sts && scaleOf(sts);
  };
  const scaleSubresource: ControllerFinder = async (ref, namespace) => {
    const group = groupOf(ref);
    const version = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[1]! : ref.apiVersion;
    const info = schema.resourceForKind({ group, version, kind: ref.kind });
    if (!info) throw new Error(`no matches for kind ${JSON.stringify(ref.kind)} in version ${JSON.stringify(ref.apiVersion)}`);
    const groupResource = group === '' ? info.resource : `${info.resource}.${group}`;
    if (!info.subresources.some((s) => s.name === 'scale')) throw new Error(`${groupResource} does not implement the scale subresource`);
    try {
      const scale = await client.forKind({ group, version, kind: ref.kind }).namespace(namespace).getScale(ref.name);
      if (scale.metadata.uid !== ref.uid) return undefined;
      return { uid: scale.metadata.uid ?? '', scale: scale.spec?.replicas ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return [replicationController, deployment, replicaSet, statefulSet, scaleSubresource];
}
