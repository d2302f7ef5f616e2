// How the StatefulSet controller writes pods and claims (stateful_pod_control.go), and the
// events `kubectl describe statefulset` shows for each write:
//   Normal  SuccessfulCreate  create Claim www-web-0 Pod web-0 in StatefulSet web success
//   Normal  SuccessfulCreate  create Pod web-0 in StatefulSet web successful
//   Warning FailedCreate      create Pod web-0 in StatefulSet web failed error: …
// A pod's claims are created before the pod, so the pod never starts without its storage;
// claims are read from the informer's cache and never deleted here (see claim-retention.ts).
import { errorMessage, isAlreadyExists, isConflict, type EventRecorder, type Lister, type Logger, type ResourceClient } from '@k8ts/client';
import { claimOwnerRefsForPolicy, hasStaleOwnerRef, hasUnexpectedController, isClaimOwnerUpToDate, retentionPolicy } from './claim-retention.ts';
import { claimName, claimsForPod, identityMatches, ordinalOf, storageMatches, updateIdentity, updateStorage } from './identity.ts';
import { PODS, type PersistentVolumeClaim, type Pod, type StatefulSet } from './types.ts';

export interface StatefulPodControlDeps {
  pods: ResourceClient<Pod>;
  claims: ResourceClient<PersistentVolumeClaim>;
  claimLister: Lister<PersistentVolumeClaim>;
  /** records on the set, source component "statefulset-controller" */
  recorder: EventRecorder;
  logger: Logger;
}

/** Conflicting pod updates are retried this many times (retry.DefaultBackoff's steps). */
const UPDATE_RETRIES = 4;

/** "[a, b]" for several errors, the error itself for one (utilerrors.NewAggregate). */
function aggregate(errors: unknown[]): unknown {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new Error(`[${errors.map(errorMessage).join(', ')}]`);
}

export class StatefulPodControl {
  constructor(private readonly deps: StatefulPodControlDeps) {}

  /** Creates the pod's missing claims, then the pod; an already existing pod is an error without an event. */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createClaims(set, pod);
    } catch (err) {
      this.recordPodEvent('create', set, pod, err);
      throw err;
    }
    let createError: unknown;
    try {
      await this.deps.pods.namespace(set.metadata.namespace ?? '').create(pod);
    } catch (err) {
      if (isAlreadyExists(err)) throw err;
      createError = err;
    }
    try {
      // Set the claims' owner references as far as is possible at this point.
      await this.updateClaimsForRetentionPolicy(set, pod);
    } catch (err) {
      this.recordPodEvent('update', set, pod, err);
      throw err;
    }
    this.recordPodEvent('create', set, pod, createError);
    if (createError !== undefined) throw createError;
  }

  /**
   * Restores a pod's identity, storage and claim ownership where they drifted (creating claims
   * it lacks), retrying conflicts against a fresh read; an event only when an update was sent.
   */
  async updateStatefulPod(set: StatefulSet, original: Pod): Promise<void> {
    let pod = structuredClone(original);
    let attempted = false;
    let lastError: unknown;
    for (let attempt = 0; attempt <= UPDATE_RETRIES; attempt++) {
      let consistent = true;
      try {
        if (!identityMatches(set, pod)) {
          updateIdentity(set, pod);
          consistent = false;
        }
        if (!storageMatches(set, pod)) {
          updateStorage(set, pod);
          consistent = false;
          await this.createClaims(set, pod);
        }
        if (!this.claimsMatchRetentionPolicy(set, pod)) {
          await this.updateClaimsForRetentionPolicy(set, pod);
          consistent = false;
        }
      } catch (err) {
        this.recordPodEvent('update', set, pod, err);
        throw err;
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.deps.pods.namespace(set.metadata.namespace ?? '').update(pod);
        lastError = undefined;
        break;
      } catch (err) {
        lastError = err;
        if (!isConflict(err)) break;
        try {
          pod = await this.deps.pods.namespace(set.metadata.namespace ?? '').get(pod.metadata.name ?? '');
        } catch (getError) {
          this.deps.logger.warn(`error getting updated Pod ${set.metadata.namespace}/${pod.metadata.name}: ${errorMessage(getError)}`);
        }
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastError);
    if (lastError !== undefined) throw lastError;
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    let error: unknown;
    try {
      await this.deps.pods.namespace(set.metadata.namespace ?? '').delete(pod.metadata.name ?? '');
    } catch (err) {
      error = err;
    }
    this.recordPodEvent('delete', set, pod, error);
    if (error !== undefined) throw error;
  }

  /** createMissingPersistentVolumeClaims: for a pod stuck Pending, e.g. after its claim was deleted. */
  async createMissingClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createClaims(set, pod);
    try {
      await this.updateClaimsForRetentionPolicy(set, pod);
    } catch (err) {
      this.recordPodEvent('update', set, pod, err);
      throw err;
    }
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod is owned as the policy says. */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const claim of this.existingClaims(set, pod)) {
      if (!isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrites the owner references of the pod's claims that need it. */
  async updateClaimsForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    for (const claim of this.existingClaims(set, pod)) {
      const name = claim.metadata.name ?? '';
      if (hasUnexpectedController(claim, set, pod)) {
        this.deps.logger.warn(
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a managing controller, the retention policy is ignored for this claim`,
        );
      }
      if (isClaimOwnerUpToDate(claim, set, pod)) continue;
      const updated: PersistentVolumeClaim = { ...structuredClone(claim), metadata: { ...structuredClone(claim.metadata), ownerReferences: claimOwnerRefsForPolicy(claim, set, pod) } };
      try {
        await this.deps.claims.namespace(set.metadata.namespace ?? '').update(updated);
      } catch (err) {
        throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  /**
   * PodClaimIsStale: with whenScaled Delete, a claim still owned by an earlier pod of this
   * ordinal is about to be garbage collected; the new pod must wait rather than mount it.
   */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    return this.existingClaims(set, pod).some((claim) => hasStaleOwnerRef(claim, pod, PODS));
  }

  /** The pod's claims the cache has (a missing one is picked up on a later sync). */
  private existingClaims(set: StatefulSet, pod: Pod): PersistentVolumeClaim[] {
    const namespace = set.metadata.namespace ?? '';
    const ordinal = ordinalOf(pod);
    return (set.spec?.volumeClaimTemplates ?? [])
      .map((template) => this.deps.claimLister.get(namespace, claimName(set, template, ordinal)))
      .filter((claim): claim is PersistentVolumeClaim => claim !== undefined);
  }

  /** createPersistentVolumeClaims: creates each claim of the pod that does not exist yet. */
  private async createClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: unknown[] = [];
    for (const claim of claimsForPod(set, pod).values()) {
      const name = claim.metadata.name ?? '';
      const existing = this.deps.claimLister.get(claim.metadata.namespace ?? '', name);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(new Error(`pvc ${name} is being deleted`));
        continue;
      }
      try {
        await this.deps.claims.namespace(claim.metadata.namespace ?? '').create(claim);
        this.recordClaimEvent('create', set, pod, name);
      } catch (err) {
        errors.push(new Error(`failed to create PVC ${name}: ${errorMessage(err)}`, { cause: err }));
        // Created by an earlier sync the cache has not caught up with: no news for the user.
        if (!isAlreadyExists(err)) this.recordClaimEvent('create', set, pod, name, err);
      }
    }
    const error = aggregate(errors);
    if (error !== undefined) throw error;
  }

  private recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    const target = `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    if (err === undefined) this.deps.recorder.event(set, 'Normal', `Successful${title}`, `${target} successful`);
    else this.deps.recorder.event(set, 'Warning', `Failed${title}`, `${target} failed error: ${errorMessage(err)}`);
  }

  private recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: string, err?: unknown): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    if (err === undefined) {
      this.deps.recorder.event(set, 'Normal', `Successful${title}`, `${verb} Claim ${claim} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    } else {
      this.deps.recorder.event(
        set,
        'Warning',
        `Failed${title}`,
        `${verb} Claim ${claim} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`,
      );
    }
  }
}
