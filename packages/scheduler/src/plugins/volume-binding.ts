// VolumeBinding: places pods that use PersistentVolumeClaims where their volumes can be.
//   PreFilter  every claim must exist ('persistentvolumeclaim "x" not found') and not be being
//              deleted; a claim of an Immediate class must already be bound ("pod has unbound
//              immediate PersistentVolumeClaims") — the volume binder does that, not the
//              scheduler. Pods without claims skip the plugin.
//   Filter     per node: each bound claim's volume must allow the node (node affinity); each
//              WaitForFirstConsumer claim needs either an Available volume of its class that
//              fits and allows the node (the smallest, each volume used once), or a class that
//              provisions (not kubernetes.io/no-provisioner) whose allowedTopologies admit the
//              node; a claim whose selected-node names another node rules this one out.
//   Reserve    assumes the choices for the chosen node (volume pre-bound to its claim, claim
//              annotated with the selected node) so the next pods see them at once.
//   PreBind    writes them — the volume's claimRef, the claim's volume.kubernetes.io/selected-node
//              that the provisioner waits for — and waits (each second, at most bindTimeout)
//              until the volume binder reports every claim bound.
//   Unreserve  forgets the assumptions when anything after Reserve failed.
import { volumeBoundToClaim } from '@k8ts/api/storage/bind-volume.ts';
import { isDelayBinding } from '@k8ts/api/storage/classes.ts';
import { volumeNodeAffinityMatches, type NodeIdentity } from '@k8ts/api/storage/node-affinity.ts';
import { podClaims } from '@k8ts/api/storage/pod-claims.ts';
import {
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  NO_PROVISIONER,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '@k8ts/api/storage/types.ts';
import { claimClass, compareClaimsBySize, findMatchingVolume, volumeClass } from '@k8ts/api/storage/volume-matching.ts';
import { errorMessage, sleep, type Clock, type Lister, type ResourceClient } from '@k8ts/client';
import type { CycleState, FilterPlugin, PreBindPlugin, PreFilterOutcome, PreFilterPlugin, ReservePlugin } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type Pod } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { AssumeCache } from './volume-binding-assume.ts';

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** VolumeBindingArgs.bindTimeoutSeconds */
export const DEFAULT_BIND_TIMEOUT_MS = 600_000;
const BIND_CHECK_PERIOD_MS = 1_000;

export interface VolumeBindingDeps {
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  classes: Lister<StorageClass>;
  claimClient: ResourceClient<PersistentVolumeClaim>;
  volumeClient: ResourceClient<PersistentVolume>;
  clock: Clock;
  bindTimeoutMs?: number;
}

/** What binding a pod's volumes on one node takes. */
interface PodVolumes {
  node: NodeIdentity;
  /** WaitForFirstConsumer claims and the Available volumes picked for them */
  staticBindings: { volume: PersistentVolume; claim: PersistentVolumeClaim }[];
  /** WaitForFirstConsumer claims to be provisioned on the node */
  provisions: PersistentVolumeClaim[];
}

interface CycleData {
  boundClaims: PersistentVolumeClaim[];
  delayClaims: PersistentVolumeClaim[];
  byNode: Map<string, PodVolumes>;
  /** set by Reserve: the objects assumed for the chosen node (none when everything was bound) */
  reserved?: { volumes: PersistentVolume[]; claims: PersistentVolumeClaim[]; node: NodeIdentity };
}

function isFullyBound(claim: PersistentVolumeClaim): boolean {
  return Boolean(claim.spec?.volumeName) && claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

const claimKey = (claim: PersistentVolumeClaim) => `${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`;

/** MatchTopologySelectorTerms: no terms admit every node; terms are ORed, expressions ANDed. */
function topologyAllows(sc: StorageClass, labels: Record<string, string>): boolean {
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  return terms.some((term) => (term.matchLabelExpressions ?? []).every((e) => Object.hasOwn(labels, e.key) && e.values.includes(labels[e.key]!)));
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin {
  readonly name = PluginNames.VolumeBinding;
  private readonly claims: AssumeCache<PersistentVolumeClaim>;
  private readonly volumes: AssumeCache<PersistentVolume>;

  constructor(private readonly deps: VolumeBindingDeps) {
    this.claims = new AssumeCache(
      (key) => {
        const [namespace = '', name = ''] = key.split('/');
        return deps.claims.get(namespace, name);
      },
      () => deps.claims.list(),
      claimKey,
    );
    this.volumes = new AssumeCache(
      (name) => deps.volumes.get('', name),
      () => deps.volumes.list(),
      (pv) => pv.metadata.name ?? '',
    );
  }

  preFilter(state: CycleState, podInfo: PodInfo): PreFilterOutcome {
    const pod = podInfo.pod;
    const used = podClaims(pod);
    if (used.length === 0) return { status: new PluginStatus('Skip', [], this.name) };
    const namespace = pod.metadata.namespace ?? '';
    const data: CycleData = { boundClaims: [], delayClaims: [], byNode: new Map() };
    let unboundImmediate = false;
    for (const { name, ephemeral } of used) {
      const claim = this.claims.get(`${namespace}/${name}`);
      if (!claim) {
        const why = ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`;
        return { status: new PluginStatus('UnschedulableAndUnresolvable', [why], this.name) };
      }
      if (claim.metadata.deletionTimestamp) {
        return { status: new PluginStatus('UnschedulableAndUnresolvable', [`persistentvolumeclaim "${name}" is being deleted`], this.name) };
      }
      if (isFullyBound(claim)) data.boundClaims.push(claim);
      else if (isDelayBinding(claim, (className) => this.deps.classes.get('', className))) data.delayClaims.push(claim);
      else unboundImmediate = true;
    }
    // The volume binder binds these; the pod is retried when it does.
    if (unboundImmediate) return { status: new PluginStatus('UnschedulableAndUnresolvable', [ERR_UNBOUND_IMMEDIATE], this.name) };
    state.write(this.name, data);
    return {};
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): PluginStatus | undefined {
    const data = state.read<CycleData>(this.name);
    if (!data) return undefined;
    const node: NodeIdentity = { name: nodeInfo.node?.metadata.name ?? '', labels: nodeInfo.node?.metadata.labels ?? {} };
    let boundSatisfied = true;
    let boundVolumesFound = true;
    for (const claim of data.boundClaims) {
      const pv = this.volumes.get(claim.spec?.volumeName ?? '');
      if (!pv) {
        boundVolumesFound = false;
        break;
      }
      if (!volumeNodeAffinityMatches(pv, node)) {
        boundSatisfied = false;
        break;
      }
    }
    const found = this.findUnboundVolumes(data.delayClaims, node);
    const reasons: string[] = [];
    if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
    if (!found) reasons.push(ERR_REASON_BIND_CONFLICT);
    if (!boundVolumesFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
    if (reasons.length > 0) return new PluginStatus('UnschedulableAndUnresolvable', reasons, this.name);
    data.byNode.set(node.name, found!);
    return undefined;
  }

  /** How the WaitForFirstConsumer claims can be served on the node; undefined when they cannot. */
  private findUnboundVolumes(claims: PersistentVolumeClaim[], node: NodeIdentity): PodVolumes | undefined {
    const result: PodVolumes = { node, staticBindings: [], provisions: [] };
    const toMatch: PersistentVolumeClaim[] = [];
    for (const claim of claims) {
      const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected === undefined) toMatch.push(claim);
      else if (selected === node.name) result.provisions.push(claim);
      // Provisioning already started for another node.
      else return undefined;
    }
    // Smallest requests first, so that they take the smallest volumes.
    const chosen = new Set<string>();
    const volumes = this.volumes.list();
    for (const claim of [...toMatch].sort(compareClaimsBySize)) {
      const sameClass = volumes.filter((pv) => volumeClass(pv) === claimClass(claim));
      const volume = findMatchingVolume(claim, sameClass, { node, excluded: chosen, delayBinding: true });
      if (!volume) {
        result.provisions.push(claim);
        continue;
      }
      chosen.add(volume.metadata.name ?? '');
      result.staticBindings.push({ volume, claim });
    }
    for (const claim of result.provisions) {
      const className = claimClass(claim);
      const sc = className === '' ? undefined : this.deps.classes.get('', className);
      if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER) return undefined;
      if (!topologyAllows(sc, node.labels ?? {})) return undefined;
    }
    return result;
  }

  reserve(state: CycleState, _pod: Pod, nodeName: string): PluginStatus | undefined {
    const data = state.read<CycleData>(this.name);
    const planned = data?.byNode.get(nodeName);
    if (!data || !planned) return undefined;
    const reserved: NonNullable<CycleData['reserved']> = { volumes: [], claims: [], node: planned.node };
    for (const { volume, claim } of planned.staticBindings) {
      const bound = volumeBoundToClaim(volume, claim);
      if (!bound) continue;
      this.volumes.assume(bound);
      reserved.volumes.push(bound);
    }
    for (const claim of planned.provisions) {
      if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
      const selected = { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [ANN_SELECTED_NODE]: nodeName } } };
      this.claims.assume(selected);
      reserved.claims.push(selected);
    }
    // Claims whose provisioning is already under way for this node still have to be waited for.
    const waiting = planned.staticBindings.length + planned.provisions.length > 0;
    if (waiting) data.reserved = reserved;
    return undefined;
  }

  unreserve(state: CycleState): void {
    const reserved = state.read<CycleData>(this.name)?.reserved;
    if (!reserved) return;
    for (const pv of reserved.volumes) this.volumes.restore(pv.metadata.name ?? '');
    for (const claim of reserved.claims) this.claims.restore(claimKey(claim));
  }

  async preBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<PluginStatus | undefined> {
    const data = state.read<CycleData>(this.name);
    const reserved = data?.reserved;
    if (!data || !reserved) return undefined;
    try {
      for (const pv of reserved.volumes) await this.deps.volumeClient.update({ ...pv, apiVersion: 'v1', kind: 'PersistentVolume' });
      for (const claim of reserved.claims) {
        // A patch: the claim's other fields may have moved on since it was cached.
        await this.deps.claimClient
          .namespace(claim.metadata.namespace ?? '')
          .patch(claim.metadata.name ?? '', 'merge', { metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } } });
      }
      await this.waitForBindings(data, pod, reserved.node, signal);
    } catch (err) {
      return new PluginStatus('Error', [`binding volumes: ${errorMessage(err)}`], this.name);
    }
    return undefined;
  }

  /** checkBindings every second until every claim of the plan is bound, an error shows, or time runs out. */
  private async waitForBindings(data: CycleData, pod: Pod, node: NodeIdentity, signal: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    const deadline = clock.now() + (this.deps.bindTimeoutMs ?? DEFAULT_BIND_TIMEOUT_MS);
    const planned = data.byNode.get(node.name);
    const claims = [
      ...(planned?.staticBindings.map((b) => ({ claim: b.claim, provisioned: false })) ?? []),
      ...(planned?.provisions.map((claim) => ({ claim, provisioned: true })) ?? []),
    ];
    for (;;) {
      if (claims.every(({ claim, provisioned }) => this.checkBinding(claim, provisioned, node))) return;
      if (clock.now() >= deadline) throw new Error('context deadline exceeded');
      if (!(await sleep(clock, BIND_CHECK_PERIOD_MS, signal))) throw new Error('context canceled');
      if (pod.metadata.deletionTimestamp) throw new Error(`pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} is being deleted`);
    }
  }

  /** Whether the claim (as the informer has it) is bound on the node; throws when it never will be there. */
  private checkBinding(planned: PersistentVolumeClaim, provisioned: boolean, node: NodeIdentity): boolean {
    const claim = this.deps.claims.get(planned.metadata.namespace ?? '', planned.metadata.name ?? '');
    if (!claim || claim.metadata.uid !== planned.metadata.uid) throw new Error(`failed to get pvc "${claimKey(planned)}"`);
    if (!claim.spec?.volumeName) {
      // A provisioner that gave up removes the selected node so that the pod is scheduled anew.
      const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      if (provisioned && selected === undefined) throw new Error(`selectedNode annotation reset for PVC "${claim.metadata.name ?? ''}"`);
      if (provisioned && selected !== node.name) throw new Error(`selectedNode annotation value "${selected}" not set to scheduled node "${node.name}"`);
      return false;
    }
    if (!isFullyBound(claim)) return false;
    const pv = this.deps.volumes.get('', claim.spec.volumeName);
    if (!pv) return false;
    if (!volumeNodeAffinityMatches(pv, node)) throw new Error(`pv "${pv.metadata.name ?? ''}" node affinity doesn't match node "${node.name}": no matching NodeSelectorTerms`);
    return true;
  }
}
