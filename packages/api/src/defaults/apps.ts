// apps/v1 defaults (k8s.io/kubernetes pkg/apis/apps/v1 defaults.go): the rollout knobs of each
// workload, then the pod defaults of its template.
import { child, children, defaultPointer, defaultString, ensureChild, isNil, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';
import { defaultPodTemplate } from './pod.ts';
import { defaultPersistentVolumeClaim } from './volumes.ts';

/** Old ReplicaSets / revisions kept for rollback. */
const REVISION_HISTORY_LIMIT = 10;

export const appsV1Defaulters: KindDefaulters = {
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  StatefulSet: defaultStatefulSet,
  DaemonSet: defaultDaemonSet,
};

function defaultDeployment(deployment: Fields): void {
  const spec = ensureChild(deployment, 'spec');
  defaultPointer(spec, 'replicas', 1);
  const strategy = ensureChild(spec, 'strategy');
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureChild(strategy, 'rollingUpdate');
    defaultPointer(rollingUpdate, 'maxUnavailable', '25%');
    defaultPointer(rollingUpdate, 'maxSurge', '25%');
  }
  defaultPointer(spec, 'revisionHistoryLimit', REVISION_HISTORY_LIMIT);
  defaultPointer(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(ensureChild(spec, 'template'));
}

function defaultReplicaSet(replicaSet: Fields): void {
  const spec = ensureChild(replicaSet, 'spec');
  defaultPointer(spec, 'replicas', 1);
  defaultPodTemplate(ensureChild(spec, 'template'));
}

function defaultDaemonSet(daemonSet: Fields): void {
  const spec = ensureChild(daemonSet, 'spec');
  const strategy = ensureChild(spec, 'updateStrategy');
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    // One node at a time, replacing in place (no surge pod on the same node).
    const rollingUpdate = ensureChild(strategy, 'rollingUpdate');
    defaultPointer(rollingUpdate, 'maxUnavailable', 1);
    defaultPointer(rollingUpdate, 'maxSurge', 0);
  }
  defaultPointer(spec, 'revisionHistoryLimit', REVISION_HISTORY_LIMIT);
  defaultPodTemplate(ensureChild(spec, 'template'));
}

function defaultStatefulSet(statefulSet: Fields): void {
  const spec = ensureChild(statefulSet, 'spec');
  defaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensureChild(spec, 'updateStrategy');
  // Unlike Deployments, rollingUpdate is only created when the type itself was defaulted.
  if (isNil(strategy.type) || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    ensureChild(strategy, 'rollingUpdate');
  }
  const rollingUpdate = child(strategy, 'rollingUpdate');
  if (strategy.type === 'RollingUpdate' && rollingUpdate) defaultPointer(rollingUpdate, 'partition', 0);
  const retention = ensureChild(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultString(retention, 'whenDeleted', 'Retain');
  defaultString(retention, 'whenScaled', 'Retain');
  defaultPointer(spec, 'replicas', 1);
  defaultPointer(spec, 'revisionHistoryLimit', REVISION_HISTORY_LIMIT);
  defaultPodTemplate(ensureChild(spec, 'template'));
  for (const claim of children(spec, 'volumeClaimTemplates')) {
    defaultPersistentVolumeClaim(claim);
    // apps/v1 always writes the claim templates as full objects (kept since 1.17, issue 87583).
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
  }
}
