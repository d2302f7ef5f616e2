// ValidatePodSpec and ValidatePodTemplateSpec: a pod's spec wherever it appears (Pods, and the
// templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs …).
import type { JsonObject } from '../../object.ts';
import type { FieldError, FieldPath } from '../field-error.ts';
import { duplicate, forbidden, invalid, invalidEach, notSupported, required } from '../field-error.ts';
import { go, goStringSlice, goStruct, goQuote } from '../go-format.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt, stringList } from '../json.ts';
import { inclusiveRangeError, isDNS1123Subdomain, isQualifiedName, isValidGroupID, isValidUserID, nameIsDNSSubdomain } from '../names.ts';
import { parseIP } from '../net.ts';
import { validateAnnotations, validateLabels } from '../object-meta.ts';
import type { ContainerContext } from './containers.ts';
import { validateContainers, validateDNS1123Label, validateInitContainers, validateSeccompProfile } from './containers.ts';
import { validateResourceRequirements } from './resources.ts';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './scheduling.ts';
import { validateVolumes } from './volumes.ts';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;

export function validateIP(value: string, path: FieldPath): FieldError[] {
  return parseIP(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

function validateDNSConfig(spec: JsonObject, path: FieldPath): FieldError[] {
  const config = optionalObject(spec.dnsConfig);
  if (stringAt(spec.dnsPolicy) === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (listAt(config.nameservers).length === 0) {
      return [required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!config) return [];
  const errs: FieldError[] = [];
  const nameservers = stringList(config.nameservers);
  if (nameservers.length > 3) errs.push(invalid(path.child('nameservers'), go(goStringSlice(nameservers)), 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => errs.push(...validateIP(ns, path.child('nameservers').index(i))));
  const searches = stringList(config.searches);
  if (searches.length > 32) errs.push(invalid(path.child('searches'), go(goStringSlice(searches)), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(invalid(path.child('searches'), go(goStringSlice(searches)), 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((search, i) => {
    const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
    errs.push(...invalidEach(path.child('searches').index(i), trimmed, isDNS1123Subdomain(trimmed)));
  });
  listAt(config.options).forEach((option, i) => {
    if (stringAt(objectAt(option).name) === '') errs.push(required(path.child('options').index(i), 'must not be empty'));
  });
  return errs;
}

function validatePodSecurityContext(spec: JsonObject, path: FieldPath): FieldError[] {
  const sc = optionalObject(spec.securityContext);
  const errs: FieldError[] = [];
  if (sc) {
    for (const [field, check] of [['fsGroup', isValidGroupID], ['runAsUser', isValidUserID], ['runAsGroup', isValidGroupID]] as const) {
      const id = optionalNumber(sc[field]);
      if (id !== undefined) errs.push(...invalidEach(path.child(field), id, check(id)));
    }
    listAt(sc.supplementalGroups).forEach((gid, g) => {
      const id = optionalNumber(gid) ?? 0;
      errs.push(...invalidEach(path.child('supplementalGroups').index(g), id, isValidGroupID(id)));
    });
    const policy = optionalString(sc.fsGroupChangePolicy);
    if (policy !== undefined && policy !== 'Always' && policy !== 'OnRootMismatch') {
      errs.push(notSupported(path.child('fsGroupChangePolicy'), policy, ['Always', 'OnRootMismatch']));
    }
    errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')));
  }
  // In the v1 API these live on the spec; internally (and in k8s' error paths) in the security context.
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(path.child('shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  return errs;
}

/** With hostNetwork, a pod's host ports must equal its container ports (templates may leave them 0). */
function validateHostNetworkPorts(spec: JsonObject, path: FieldPath, resourceIsPod: boolean): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  listAt(spec.containers).forEach((container, i) => {
    listAt(objectAt(container).ports).forEach((item, j) => {
      const port = objectAt(item);
      const hostPort = optionalNumber(port.hostPort) ?? 0;
      const containerPort = optionalNumber(port.containerPort) ?? 0;
      if ((resourceIsPod || hostPort !== 0) && hostPort !== containerPort) {
        errs.push(invalid(path.child('containers').index(i).child('ports').index(j).child('hostPort'), hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

function validateHostUsers(spec: JsonObject, path: FieldPath): FieldError[] {
  if (spec.hostUsers !== false) return [];
  const errs: FieldError[] = [];
  if (spec.hostNetwork === true) errs.push(forbidden(path.child('hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostPID === true) errs.push(forbidden(path.child('HostPID'), 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostIPC === true) errs.push(forbidden(path.child('HostIPC'), 'when `pod.Spec.HostUsers` is false'));
  return errs;
}

export interface PodSpecOptions {
  /** the name of the Pod (for generic ephemeral volume claim names); '' for templates */
  podName: string;
  /** the spec is a Pod's own, not a template's */
  resourceIsPod: boolean;
}

export function validatePodSpec(spec: JsonObject, path: FieldPath, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const gracePeriod = optionalNumber(spec.terminationGracePeriodSeconds) ?? 0;
  const { volumes, errors: volumeErrors } = validateVolumes(spec.volumes, opts.podName, path.child('volumes'));
  errs.push(...volumeErrors);
  // resourceClaims (dynamic resource allocation) sit behind a feature gate that is off in 1.32;
  // the apiserver drops them, so there is nothing to check.
  const ctx: ContainerContext = { volumes, gracePeriod, restartPolicy: stringAt(spec.restartPolicy), hostUsers: spec.hostUsers !== false };
  errs.push(...validateContainers(spec.containers, ctx, path.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, path.child('initContainers')));
  errs.push(...validateHostNetworkPorts(spec, path, opts.resourceIsPod));
  const restartPolicy = stringAt(spec.restartPolicy);
  if (restartPolicy === '') errs.push(required(path.child('restartPolicy')));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errs.push(notSupported(path.child('restartPolicy'), restartPolicy, RESTART_POLICIES));
  const dnsPolicy = stringAt(spec.dnsPolicy);
  if (dnsPolicy === '') errs.push(required(path.child('dnsPolicy')));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(path.child('dnsPolicy'), dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, path.child('securityContext')));
  listAt(spec.imagePullSecrets).forEach((item, i) => {
    const ref = objectAt(item);
    if (Object.keys(ref).some((k) => k !== 'name')) {
      errs.push(invalid(path.child('imagePullSecrets').index(i), go(goStruct('core.LocalObjectReference', [['Name', goQuote(stringAt(ref.name))]])), 'only name may be set'));
    }
  });
  errs.push(...validateAffinity(spec.affinity, path.child('affinity')));
  errs.push(...validateDNSConfig(spec, path.child('dnsConfig')));
  listAt(spec.readinessGates).forEach((gate, i) => {
    const type = stringAt(objectAt(gate).conditionType);
    errs.push(...invalidEach(path.child('readinessGates').index(i).child('conditionType'), type, isQualifiedName(type)));
  });
  const gates = new Set<string>();
  listAt(spec.schedulingGates).forEach((gate, i) => {
    const name = stringAt(objectAt(gate).name);
    errs.push(...invalidEach(path.child('schedulingGates').index(i), name, isQualifiedName(name)));
    if (gates.has(name)) errs.push(duplicate(path.child('schedulingGates').index(i), name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  errs.push(...validateHostUsers(spec, path));
  const serviceAccountName = stringAt(spec.serviceAccountName);
  if (serviceAccountName !== '') errs.push(...invalidEach(path.child('serviceAccountName'), serviceAccountName, nameIsDNSSubdomain(serviceAccountName, false)));
  const nodeName = stringAt(spec.nodeName);
  if (nodeName !== '') errs.push(...invalidEach(path.child('nodeName'), nodeName, nameIsDNSSubdomain(nodeName, false)));
  const deadline = optionalNumber(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  const hostname = stringAt(spec.hostname);
  if (hostname !== '') errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const subdomain = stringAt(spec.subdomain);
  if (subdomain !== '') errs.push(...validateDNS1123Label(subdomain, path.child('subdomain')));
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  listAt(spec.hostAliases).forEach((item, i) => {
    const alias = objectAt(item);
    errs.push(...validateIP(stringAt(alias.ip), path.child('hostAliases').index(i).child('ip')));
    stringList(alias.hostnames).forEach((h, j) => errs.push(...invalidEach(path.child('hostAliases').index(i).child('hostnames').index(j), h, isDNS1123Subdomain(h))));
  });
  const priorityClassName = stringAt(spec.priorityClassName);
  if (priorityClassName !== '') errs.push(...invalidEach(path.child('priorityClassName'), priorityClassName, nameIsDNSSubdomain(priorityClassName, false)));
  const runtimeClassName = optionalString(spec.runtimeClassName);
  if (runtimeClassName !== undefined) errs.push(...invalidEach(path.child('runtimeClassName'), runtimeClassName, nameIsDNSSubdomain(runtimeClassName, false)));
  const preemption = optionalString(spec.preemptionPolicy);
  if (preemption !== undefined) {
    if (preemption === '') errs.push(required(path.child('preemptionPolicy')));
    else if (preemption !== 'PreemptLowerPriority' && preemption !== 'Never') {
      errs.push(notSupported(path.child('preemptionPolicy'), preemption, ['PreemptLowerPriority', 'Never']));
    }
  }
  if (optionalObject(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, path.child('overhead')));
  const os = optionalObject(spec.os);
  if (os) {
    const name = stringAt(os.name);
    if (name === '') errs.push(required(path.child('os', 'name')));
    else if (name !== 'linux' && name !== 'windows') errs.push(notSupported(path.child('os', 'name'), name, ['linux', 'windows']));
  }
  return errs;
}

/** ValidatePodTemplateSpec: a template's labels and annotations, then its spec. */
export function validatePodTemplateSpec(template: JsonObject, path: FieldPath): FieldError[] {
  const meta = objectAt(template.metadata);
  const spec = objectAt(template.spec);
  const errs = validateLabels(meta.labels, path.child('labels'));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, path.child('annotations')));
  errs.push(...validatePodSpec(spec, path.child('spec'), { podName: '', resourceIsPod: false }));
  if (listAt(spec.ephemeralContainers).length > 0) {
    errs.push(forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** ValidatePodSpecificAnnotations: mirror pods need a node, deletion cost must be an int32. */
export function validatePodSpecificAnnotations(annotations: unknown, spec: JsonObject, path: FieldPath): FieldError[] {
  const map = objectAt(annotations as JsonObject);
  const errs: FieldError[] = [];
  const mirror = optionalString(map[MIRROR_POD_ANNOTATION]);
  if (mirror !== undefined && stringAt(spec.nodeName) === '') {
    errs.push(invalid(path.key(MIRROR_POD_ANNOTATION), mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = optionalString(map[DELETION_COST_ANNOTATION]);
  if (cost !== undefined && !(/^[+-]?[0-9]+$/.test(cost) && Math.abs(Number(cost)) <= 2 ** 31 && Number(cost) <= MAX_INT32)) {
    errs.push(invalid(path.key(DELETION_COST_ANNOTATION), cost, 'must be a 32bit integer'));
  }
  return errs;
}
