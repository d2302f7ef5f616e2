// Containers (pkg/apis/core/validation): names, images, ports, env, mounts, probes, lifecycle
// hooks and security contexts, for regular and init containers.
import type { JsonObject } from '../../object.ts';
import type { FieldError, FieldPath } from '../field-error.ts';
import { duplicate, forbidden, invalid, invalidEach, notFound, notSupported, required } from '../field-error.ts';
import { go, goStruct, goQuote } from '../go-format.ts';
import type { Json } from '../json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt } from '../json.ts';
import {
  isConfigMapKey,
  isDNS1123Label,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidGroupID,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  nameIsDNSSubdomain,
} from '../names.ts';
import { validateNonnegative } from '../object-meta.ts';
import { validateResourceRequirements } from './resources.ts';
import { validateLocalDescendingPath, validatePathNoBacksteps } from './paths.ts';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export interface ContainerContext {
  /** volumes by name (only the valid ones, as k8s builds the map) */
  volumes: Map<string, JsonObject>;
  gracePeriod: number;
  restartPolicy: string;
  hostUsers: boolean;
}

export function validateDNS1123Label(value: string, path: FieldPath): FieldError[] {
  return invalidEach(path, value, isDNS1123Label(value));
}

function validateContainerPorts(ports: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  listAt(ports).forEach((item, i) => {
    const port = objectAt(item);
    const portPath = path.index(i);
    const name = stringAt(port.name);
    if (name !== '') {
      const problems = isValidPortName(name);
      if (problems.length > 0) errs.push(...invalidEach(portPath.child('name'), name, problems));
      else if (names.has(name)) errs.push(duplicate(portPath.child('name'), name));
      else names.add(name);
    }
    const containerPort = optionalNumber(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(portPath.child('containerPort')));
    else errs.push(...invalidEach(portPath.child('containerPort'), containerPort, isValidPortNum(containerPort)));
    const hostPort = optionalNumber(port.hostPort) ?? 0;
    if (hostPort !== 0) errs.push(...invalidEach(portPath.child('hostPort'), hostPort, isValidPortNum(hostPort)));
    const protocol = stringAt(port.protocol);
    if (protocol === '') errs.push(required(portPath.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(portPath.child('protocol'), protocol, PORT_PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

const DOWNWARD_API_LABELS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['app']" → ["metadata.labels", "app"]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const body = fieldPath.slice(0, -2);
  const open = body.indexOf("['");
  if (open <= 0) return undefined;
  return [body.slice(0, open), body.slice(open + 2)];
}

/** pods.ConvertDownwardAPIFieldLabel: the internal field path, or the conversion error. */
function convertDownwardAPIFieldLabel(apiVersion: string, label: string): { path: string } | { error: string } {
  if (apiVersion !== 'v1') return { error: `unsupported pod version: ${apiVersion}` };
  const subscripted = splitSubscript(label);
  if (subscripted) {
    return subscripted[0] === 'metadata.annotations' || subscripted[0] === 'metadata.labels'
      ? { path: label }
      : { error: `field label does not support subscript: ${label}` };
  }
  if (label === 'spec.host') return { path: 'spec.nodeName' };
  return DOWNWARD_API_LABELS.has(label) ? { path: label } : { error: `field label not supported: ${label}` };
}

/** An ObjectFieldSelector (downward API) against the field paths allowed where it is used. */
export function validateObjectFieldSelector(selector: JsonObject, allowed: readonly string[], path: FieldPath): FieldError[] {
  const apiVersion = stringAt(selector.apiVersion);
  const fieldPath = stringAt(selector.fieldPath);
  if (apiVersion === '') return [required(path.child('apiVersion'))];
  if (fieldPath === '') return [required(path.child('fieldPath'))];
  const converted = convertDownwardAPIFieldLabel(apiVersion, fieldPath);
  if ('error' in converted) return [invalid(path.child('fieldPath'), fieldPath, `error converting fieldPath: ${converted.error}`)];
  const subscripted = splitSubscript(converted.path);
  if (subscripted) {
    const [base, key] = subscripted;
    if (base === 'metadata.annotations') return invalidEach(path, key.toLowerCase(), isQualifiedName(key.toLowerCase()));
    if (base === 'metadata.labels') return invalidEach(path, key, isQualifiedName(key));
    return [invalid(path, base, 'does not support subscript')];
  }
  if (!allowed.includes(converted.path)) return [notSupported(path.child('fieldPath'), converted.path, allowed)];
  return [];
}

export function validateResourceFieldSelector(selector: JsonObject, path: FieldPath, volume: boolean): FieldError[] {
  const resource = stringAt(selector.resource);
  if (volume && stringAt(selector.containerName) === '') return [required(path.child('containerName'))];
  if (resource === '') return [required(path.child('resource'))];
  if (!RESOURCE_FIELD_PATHS.includes(resource) && !resource.startsWith('limits.hugepages-') && !resource.startsWith('requests.hugepages-')) {
    return [notSupported(path.child('resource'), resource, RESOURCE_FIELD_PATHS)];
  }
  return [];
}

function validateKeySelector(selector: JsonObject, path: FieldPath): FieldError[] {
  const errs = invalidEach(path.child('name'), stringAt(selector.name), nameIsDNSSubdomain(stringAt(selector.name), false));
  const key = stringAt(selector.key);
  if (key === '') errs.push(required(path.child('key')));
  else errs.push(...invalidEach(path.child('key'), key, isConfigMapKey(key)));
  return errs;
}

function validateEnvValueFrom(env: JsonObject, path: FieldPath): FieldError[] {
  const from = optionalObject(env.valueFrom);
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  const fieldRef = optionalObject(from.fieldRef);
  if (fieldRef) {
    sources++;
    errs.push(...validateObjectFieldSelector(fieldRef, ENV_FIELD_PATHS, path.child('fieldRef')));
  }
  const resourceFieldRef = optionalObject(from.resourceFieldRef);
  if (resourceFieldRef) {
    sources++;
    errs.push(...validateResourceFieldSelector(resourceFieldRef, path.child('resourceFieldRef'), false));
  }
  const configMapKeyRef = optionalObject(from.configMapKeyRef);
  if (configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(configMapKeyRef, path.child('configMapKeyRef')));
  }
  const secretKeyRef = optionalObject(from.secretKeyRef);
  if (secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(secretKeyRef, path.child('secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (stringAt(env.value) !== '') {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

function validateEnv(vars: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(vars).forEach((item, i) => {
    const env = objectAt(item);
    const envPath = path.index(i);
    const name = stringAt(env.name);
    if (name === '') errs.push(required(envPath.child('name')));
    else errs.push(...invalidEach(envPath.child('name'), name, isRelaxedEnvVarName(name)));
    errs.push(...validateEnvValueFrom(env, envPath.child('valueFrom')));
  });
  return errs;
}

function validateEnvFrom(sources: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(sources).forEach((item, i) => {
    const source = objectAt(item);
    const sourcePath = path.index(i);
    const prefix = stringAt(source.prefix);
    if (prefix !== '') errs.push(...invalidEach(sourcePath.child('prefix'), prefix, isRelaxedEnvVarName(prefix)));
    let count = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = optionalObject(source[kind]);
      if (!ref) continue;
      count++;
      const name = stringAt(ref.name);
      if (name === '') errs.push(required(sourcePath.child(kind, 'name')));
      else errs.push(...invalidEach(sourcePath.child(kind, 'name'), name, nameIsDNSSubdomain(name, true)));
    }
    if (count === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(container: JsonObject, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map(listAt(container.volumeDevices).map((d) => [stringAt(objectAt(d).name), stringAt(objectAt(d).devicePath)]));
  const privileged = objectAt(container.securityContext).privileged === true;
  listAt(container.volumeMounts).forEach((item, i) => {
    const mount = objectAt(item);
    const mountPath = path.index(i);
    const name = stringAt(mount.name);
    const target = stringAt(mount.mountPath);
    if (name === '') errs.push(required(mountPath.child('name')));
    if (!ctx.volumes.has(name)) errs.push(notFound(mountPath.child('name'), name));
    if (target === '') errs.push(required(mountPath.child('mountPath')));
    if (mountPoints.has(target)) errs.push(invalid(mountPath.child('mountPath'), target, 'must be unique'));
    mountPoints.add(target);
    if (devices.has(name)) errs.push(invalid(mountPath.child('name'), name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(target)) errs.push(invalid(mountPath.child('mountPath'), target, 'must not already exist as a path in volumeDevices'));
    const subPath = stringAt(mount.subPath);
    if (subPath !== '') errs.push(...validateLocalDescendingPath(subPath, path.child('subPath')));
    const subPathExpr = stringAt(mount.subPathExpr);
    if (subPathExpr !== '') {
      if (subPath !== '') errs.push(invalid(mountPath.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, path.child('subPathExpr')));
    }
    const propagation = optionalString(mount.mountPropagation);
    if (propagation !== undefined) {
      const propagationPath = path.child('mountPropagation');
      if (!['Bidirectional', 'HostToContainer', 'None'].includes(propagation)) {
        errs.push(notSupported(propagationPath, propagation, ['Bidirectional', 'HostToContainer', 'None']));
      }
      if (propagation === 'Bidirectional' && !privileged) {
        errs.push(forbidden(propagationPath, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const rro = optionalString(mount.recursiveReadOnly);
    if (rro !== undefined && rro !== 'Disabled') {
      const rroPath = path.child('recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (mount.readOnly !== true) errs.push(forbidden(rroPath, 'may only be specified when readOnly is true'));
        if (propagation !== undefined && propagation !== 'None') {
          errs.push(forbidden(rroPath, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else {
        errs.push(notSupported(rroPath, rro, ['Disabled', 'Enabled', 'IfPossible']));
      }
    }
  });
  return errs;
}

function validateVolumeDevices(container: JsonObject, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mounts = new Map(listAt(container.volumeMounts).map((m) => [stringAt(objectAt(m).name), stringAt(objectAt(m).mountPath)]));
  const names = new Set<string>();
  const paths = new Set<string>();
  listAt(container.volumeDevices).forEach((item, i) => {
    const device = objectAt(item);
    const devicePath = path.index(i);
    const name = stringAt(device.name);
    const target = stringAt(device.devicePath);
    const volume = ctx.volumes.get(name);
    if (name === '') errs.push(required(devicePath.child('name')));
    if (names.has(name)) errs.push(invalid(devicePath.child('name'), name, 'must be unique'));
    if (volume && !volume.persistentVolumeClaim && !volume.ephemeral) {
      errs.push(invalid(devicePath.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!volume) errs.push(notFound(devicePath.child('name'), name));
    if (target === '') errs.push(required(devicePath.child('devicePath')));
    if (paths.has(target)) errs.push(invalid(devicePath.child('devicePath'), target, 'must be unique'));
    if (target !== '' && validatePathNoBacksteps(target, devicePath).length > 0) {
      errs.push(invalid(devicePath.child('devicePath'), target, "can not contain backsteps ('..')"));
    } else {
      paths.add(target);
    }
    if (mounts.has(name)) errs.push(invalid(devicePath.child('name'), name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(target)) errs.push(invalid(devicePath.child('devicePath'), target, 'must not already exist as a path in volumeMounts'));
    if (name !== '') names.add(name);
  });
  return errs;
}

function validatePortNumOrName(port: Json, path: FieldPath): FieldError[] {
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  const n = optionalNumber(port) ?? 0;
  return invalidEach(path, n, isValidPortNum(n));
}

/** A probe or lifecycle handler: exactly one action. */
function validateHandler(handler: JsonObject, gracePeriod: number, path: FieldPath, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const action = optionalObject(handler[kind]);
    if (!action) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(kind), 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const actionPath = path.child(kind);
    switch (kind) {
      case 'exec':
        if (listAt(action.command).length === 0) errs.push(required(actionPath.child('command')));
        break;
      case 'httpGet': {
        if (stringAt(action.path) === '') errs.push(required(actionPath.child('path')));
        errs.push(...validatePortNumOrName(action.port, actionPath.child('port')));
        const scheme = stringAt(action.scheme);
        if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(actionPath.child('scheme'), scheme, ['HTTP', 'HTTPS']));
        for (const header of listAt(action.httpHeaders)) {
          const name = stringAt(objectAt(header).name);
          errs.push(...invalidEach(actionPath.child('httpHeaders'), name, isHTTPHeaderName(name)));
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(action.port, actionPath.child('port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(optionalNumber(action.port) ?? 0, actionPath.child('port')));
        break;
      case 'sleep': {
        const seconds = optionalNumber(action.seconds) ?? 0;
        if (seconds <= 0 || seconds > gracePeriod) {
          errs.push(invalid(actionPath, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

const PROBE_ACTIONS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_ACTIONS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: JsonObject, gracePeriod: number, path: FieldPath): FieldError[] {
  const errs = validateHandler(probe, gracePeriod, path, PROBE_ACTIONS);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(optionalNumber(probe[field]) ?? 0, path.child(field)));
  }
  const termination = optionalNumber(probe.terminationGracePeriodSeconds);
  if (termination !== undefined && termination <= 0) errs.push(invalid(path.child('terminationGracePeriodSeconds'), termination, 'must be greater than 0'));
  return errs;
}

function validateProbes(container: JsonObject, gracePeriod: number, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const liveness = optionalObject(container.livenessProbe);
  if (liveness) {
    errs.push(...validateProbe(liveness, gracePeriod, path.child('livenessProbe')));
    const success = optionalNumber(liveness.successThreshold) ?? 0;
    if (success !== 1) errs.push(invalid(path.child('livenessProbe', 'successThreshold'), success, 'must be 1'));
  }
  const readiness = optionalObject(container.readinessProbe);
  if (readiness) {
    errs.push(...validateProbe(readiness, gracePeriod, path.child('readinessProbe')));
    const termination = optionalNumber(readiness.terminationGracePeriodSeconds);
    if (termination !== undefined) {
      errs.push(invalid(path.child('readinessProbe', 'terminationGracePeriodSeconds'), termination, 'must not be set for readinessProbes'));
    }
  }
  const startup = optionalObject(container.startupProbe);
  if (startup) {
    errs.push(...validateProbe(startup, gracePeriod, path.child('startupProbe')));
    const success = optionalNumber(startup.successThreshold) ?? 0;
    if (success !== 1) errs.push(invalid(path.child('startupProbe', 'successThreshold'), success, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lifecycle: JsonObject, gracePeriod: number, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const handler = optionalObject(lifecycle[hook]);
    if (handler) errs.push(...validateHandler(handler, gracePeriod, path.child(hook), LIFECYCLE_ACTIONS));
  }
  return errs;
}

/** SeccompProfile on a pod or container security context. */
export function validateSeccompProfile(profile: Json, path: FieldPath): FieldError[] {
  const sp = optionalObject(profile);
  if (!sp) return [];
  const errs: FieldError[] = [];
  const type = stringAt(sp.type);
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (type === '') errs.push(required(path.child('type'), 'type is required when seccompProfile is set'));
  else if (!types.includes(type)) errs.push(notSupported(path.child('type'), type, types));
  const localhost = optionalString(sp.localhostProfile);
  if (type === 'Localhost') {
    if (localhost === undefined) errs.push(required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(localhost, path.child('localhostProfile')));
  } else if (localhost !== undefined) {
    const rendered = goStruct('core.SeccompProfile', [
      ['Type', goQuote(type)],
      ['LocalhostProfile', '(*string)(0xc000000000)'],
    ]);
    errs.push(invalid(path.child('localhostProfile'), go(`&${rendered}`), 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateSecurityContext(context: Json, path: FieldPath, hostUsers: boolean): FieldError[] {
  const sc = optionalObject(context);
  if (!sc) return [];
  const errs: FieldError[] = [];
  const runAsUser = optionalNumber(sc.runAsUser);
  if (runAsUser !== undefined) errs.push(...invalidEach(path.child('runAsUser'), runAsUser, isValidUserID(runAsUser)));
  const runAsGroup = optionalNumber(sc.runAsGroup);
  if (runAsGroup !== undefined) errs.push(...invalidEach(path.child('runAsGroup'), runAsGroup, isValidGroupID(runAsGroup)));
  const procMount = optionalString(sc.procMount);
  if (procMount !== undefined) {
    if (procMount !== 'Default' && procMount !== 'Unmasked') errs.push(notSupported(path.child('procMount'), procMount, ['Default', 'Unmasked']));
    if (hostUsers && procMount === 'Unmasked') errs.push(invalid(path.child('procMount'), procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    const rendered = go('&core.SecurityContext{...}');
    if (sc.privileged === true) errs.push(invalid(path, rendered, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of listAt(objectAt(sc.capabilities).add)) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalid(path, rendered, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

/** validateContainerCommon: what every container kind must satisfy. */
function validateContainerCommon(container: JsonObject, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringAt(container.name);
  if (name === '') errs.push(required(path.child('name')));
  else errs.push(...validateDNS1123Label(name, path.child('name')));
  if (stringAt(container.image) === '') errs.push(required(path.child('image')));
  const messagePolicy = stringAt(container.terminationMessagePolicy);
  if (messagePolicy === '') errs.push(required(path.child('terminationMessagePolicy')));
  else if (messagePolicy !== 'File' && messagePolicy !== 'FallbackToLogsOnError') {
    errs.push(notSupported(path.child('terminationMessagePolicy'), messagePolicy, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(container.ports, path.child('ports')));
  errs.push(...validateEnv(container.env, path.child('env')));
  errs.push(...validateEnvFrom(container.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(container, ctx, path.child('volumeMounts')));
  errs.push(...validateVolumeDevices(container, ctx, path.child('volumeDevices')));
  const pullPolicy = stringAt(container.imagePullPolicy);
  if (pullPolicy === '') errs.push(required(path.child('imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    errs.push(notSupported(path.child('imagePullPolicy'), pullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  errs.push(...validateResourceRequirements(container.resources, path.child('resources')));
  errs.push(...validateResizePolicy(container.resizePolicy, path.child('resizePolicy'), ctx.restartPolicy));
  errs.push(...validateSecurityContext(container.securityContext, path.child('securityContext'), ctx.hostUsers));
  return errs;
}

function validateResizePolicy(policies: Json, path: FieldPath, podRestartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  listAt(policies).forEach((item, i) => {
    const policy = objectAt(item);
    const resource = stringAt(policy.resourceName);
    const restart = stringAt(policy.restartPolicy);
    if (seen.has(resource)) errs.push(duplicate(path.index(i), resource));
    seen.add(resource);
    if (resource === '') errs.push(required(path));
    else if (resource !== 'cpu' && resource !== 'memory') errs.push(notSupported(path, resource, ['cpu', 'memory']));
    if (restart === '') errs.push(required(path));
    else if (restart !== 'NotRequired' && restart !== 'RestartContainer') errs.push(notSupported(path, restart, ['NotRequired', 'RestartContainer']));
    if (podRestartPolicy === 'Never' && restart !== 'NotRequired') errs.push(invalid(path, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  });
  return errs;
}

/** Host ports may not repeat across the containers (protocol/hostIP/port). */
function checkHostPortConflicts(containers: JsonObject[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, ci) => {
    listAt(container.ports).forEach((item, pi) => {
      const port = objectAt(item);
      const hostPort = optionalNumber(port.hostPort) ?? 0;
      if (hostPort === 0) return;
      const key = `${stringAt(port.protocol)}/${stringAt(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: Json, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const list = listAt(containers).map(objectAt);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((container, i) => {
    const containerPath = path.index(i);
    errs.push(...validateContainerCommon(container, ctx, containerPath));
    const name = stringAt(container.name);
    if (names.has(name)) errs.push(duplicate(containerPath.child('name'), name));
    else names.add(name);
    const lifecycle = optionalObject(container.lifecycle);
    if (lifecycle) errs.push(...validateLifecycle(lifecycle, ctx.gracePeriod, containerPath.child('lifecycle')));
    errs.push(...validateProbes(container, ctx.gracePeriod, containerPath));
    if (container.restartPolicy !== undefined && container.restartPolicy !== null) {
      errs.push(forbidden(containerPath.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

export function validateInitContainers(initContainers: Json, containers: Json, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(listAt(containers).map((c) => stringAt(objectAt(c).name)));
  listAt(initContainers).forEach((item, i) => {
    const container = objectAt(item);
    const containerPath = path.index(i);
    errs.push(...validateContainerCommon(container, ctx, containerPath));
    const restartPolicy = optionalString(container.restartPolicy);
    if (restartPolicy !== undefined && restartPolicy !== 'Always') {
      errs.push(notSupported(containerPath.child('restartPolicy'), restartPolicy, ['Always']));
    }
    const name = stringAt(container.name);
    if (names.has(name)) errs.push(duplicate(containerPath.child('name'), name));
    else if (name !== '') names.add(name);
    errs.push(...checkHostPortConflicts([container], path));
    if (restartPolicy === 'Always') {
      const lifecycle = optionalObject(container.lifecycle);
      if (lifecycle) errs.push(...validateLifecycle(lifecycle, ctx.gracePeriod, containerPath.child('lifecycle')));
      errs.push(...validateProbes(container, ctx.gracePeriod, containerPath));
    } else {
      for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (optionalObject(container[field])) {
          errs.push(forbidden(containerPath.child(field), 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
    if (listAt(container.resizePolicy).length > 0) {
      errs.push(invalid(containerPath.child('resizePolicy'), go(goResizePolicies(container.resizePolicy)), 'must not be set for init containers'));
    }
  });
  return errs;
}

function goResizePolicies(policies: Json): string {
  const items = listAt(policies).map((p) =>
    goStruct('core.ContainerResizePolicy', [
      ['ResourceName', goQuote(stringAt(objectAt(p).resourceName))],
      ['RestartPolicy', goQuote(stringAt(objectAt(p).restartPolicy))],
    ]),
  );
  return `[]core.ContainerResizePolicy{${items.join(', ')}}`;
}

/** Pod-only (not template) container check: no whitespace around the image. */
export function validateContainersOnlyForPod(containers: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(containers).forEach((item, i) => {
    const image = stringAt(objectAt(item).image);
    if (image.trim().length !== image.length) errs.push(invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}
