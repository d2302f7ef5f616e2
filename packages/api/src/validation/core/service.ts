// Services (ValidateService / ValidateServiceUpdate). Node port ranges and IP allocation belong to
// the apiserver's allocators; this checks the object itself.
import type { JsonObject } from '../../object.ts';
import type { BadValue, FieldError } from '../field-error.ts';
import { FieldPath, duplicate, forbidden, invalid, invalidEach, notSupported, required } from '../field-error.ts';
import { go, goIntOrString, goQuote, goStringSlice, goStruct } from '../go-format.ts';
import type { Json } from '../json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt, stringList } from '../json.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum, nameIsDNS1035Label } from '../names.ts';
import { isIPv6, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseCIDR, parseIP } from '../net.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import { PORT_PROTOCOLS, validateDNS1123Label } from './containers.ts';
import { validateIP } from './pod-spec.ts';

const SPEC = FieldPath.root('spec');
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_AFFINITY_SECONDS = 86400;
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** ValidateNonSpecialIP: Endpoints and external IPs may not be unspecified, loopback or link-local. */
export function validateNonSpecialIP(address: string, path: FieldPath): FieldError[] {
  const ip = parseIP(address);
  if (!ip) return [invalid(path, address, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  if (isUnspecified(ip)) errs.push(invalid(path, address, `may not be unspecified (${address})`));
  if (isLoopback(ip)) errs.push(invalid(path, address, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (isLinkLocalUnicast(ip)) errs.push(invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(ip)) errs.push(invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

export function validateCIDR(value: string, path: FieldPath): FieldError[] {
  return parseCIDR(value) ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** The strategy keeps clusterIP and clusterIPs in step before validation (normalizeClusterIPs). */
function clusterIPsOf(spec: JsonObject, oldSpec?: JsonObject): string[] {
  const clusterIP = stringAt(spec.clusterIP);
  const ips = stringList(spec.clusterIPs);
  if (!oldSpec) return clusterIP !== '' && ips.length === 0 ? [clusterIP] : ips;
  const oldIPs = stringList(oldSpec.clusterIPs);
  const sameAsOld = ips.length === oldIPs.length && ips.every((ip, i) => ip === oldIPs[i]);
  if (clusterIP !== stringAt(oldSpec.clusterIP)) {
    if (clusterIP === '') return sameAsOld ? [] : ips;
    if (oldIPs.length > 0 && sameAsOld) return [clusterIP, ...ips.slice(1)];
  }
  return clusterIP !== '' && ips.length === 0 ? [clusterIP] : ips;
}

function isHeadless(ips: string[]): boolean {
  return ips.length === 1 && ips[0] === 'None';
}

function externallyAccessible(spec: JsonObject): boolean {
  const type = stringAt(spec.type);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && listAt(spec.externalIPs).length > 0);
}

function needsHealthCheck(spec: JsonObject): boolean {
  return stringAt(spec.type) === 'LoadBalancer' && stringAt(spec.externalTrafficPolicy) === 'Local';
}

function goServicePortKey(protocol: string, port: number): string {
  return goStruct('core.ServicePort', [
    ['Name', '""'],
    ['Protocol', goQuote(protocol)],
    ['AppProtocol', '(*string)(nil)'],
    ['Port', String(port)],
    ['TargetPort', goIntOrString(0)],
    ['NodePort', '0'],
  ]);
}

function validateServicePort(port: JsonObject, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringAt(port.name);
  if (requireName && name === '') errs.push(required(path.child('name')));
  else if (name !== '') {
    errs.push(...validateDNS1123Label(name, path.child('name')));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    else names.add(name);
  }
  const number = optionalNumber(port.port) ?? 0;
  errs.push(...invalidEach(path.child('port'), number, isValidPortNum(number)));
  const protocol = stringAt(port.protocol);
  if (protocol === '') errs.push(required(path.child('protocol')));
  else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, PORT_PROTOCOLS));
  const target = port.targetPort;
  if (typeof target === 'string') errs.push(...invalidEach(path.child('targetPort'), target, isValidPortName(target)));
  else {
    const n = optionalNumber(target) ?? 0;
    errs.push(...invalidEach(path.child('targetPort'), n, isValidPortNum(n)));
  }
  const appProtocol = optionalString(port.appProtocol);
  if (appProtocol !== undefined) errs.push(...invalidEach(path.child('appProtocol'), appProtocol, isQualifiedName(appProtocol)));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs in step, families and policy valid. */
function validateClusterIPs(spec: JsonObject, ips: string[]): FieldError[] {
  if (stringAt(spec.type) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = SPEC.child('clusterIPs');
  const ipsValue = go(goStringSlice(ips));
  const clusterIP = stringAt(spec.clusterIP);
  if (clusterIP !== '') {
    if (ips.length === 0) errs.push(required(ipsPath));
    else if (ips[0] !== clusterIP) errs.push(invalid(ipsPath, ipsValue, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errs.push(invalid(ipsPath, ipsValue, 'must be empty when `clusterIP` is not specified'));
  }
  const families = stringList(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (family !== 'IPv4' && family !== 'IPv6') errs.push(notSupported(SPEC.child('ipFamilies').index(i), family, ['IPv4', 'IPv6']));
    if (seen.has(family)) errs.push(duplicate(SPEC.child('ipFamilies').index(i), family));
    seen.add(family);
  });
  const policy = optionalString(spec.ipFamilyPolicy);
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (policy !== undefined && !policies.includes(policy)) errs.push(notSupported(SPEC.child('ipFamilyPolicy'), policy, policies));
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(invalid(ipsPath, ipsValue, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, ipsPath.index(i));
    if (ipErrs.length > 0) invalidIPs = true;
    errs.push(...ipErrs);
  });
  if (ips.length > 2) errs.push(invalid(ipsPath, ipsValue, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1) {
    const v6 = ips.map((ip) => isIPv6(parseIP(ip)!));
    const dualStack = v6.filter(Boolean).length === 1 && v6.filter((x) => !x).length === 1;
    if (!dualStack) errs.push(invalid(ipsPath, ipsValue, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(ips) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      const v6 = isIPv6(parseIP(ip)!);
      if (families[i] === 'IPv4' && v6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !v6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateServiceSpec(service: JsonObject, ips: string[]): FieldError[] {
  const meta = objectAt(service.metadata);
  const spec = objectAt(service.spec);
  const annotations = objectAt(meta.annotations);
  const errs = validateObjectMeta(meta, true, nameIsDNS1035Label);
  const mode = optionalString(annotations[TOPOLOGY_MODE]);
  const hints = optionalString(annotations[TOPOLOGY_HINTS]);
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(invalid(FieldPath.root('metadata', 'annotations').key(TOPOLOGY_MODE), mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const type = stringAt(spec.type);
  const ports = listAt(spec.ports).map(objectAt);
  const headless = isHeadless(ips);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required(SPEC.child('ports')));
  if (type === 'LoadBalancer' && headless) errs.push(invalid(SPEC.child('clusterIPs').index(0), ips[0], "may not be set to 'None' for LoadBalancer services"));
  if (type === 'NodePort' && headless) errs.push(invalid(SPEC.child('clusterIPs').index(0), ips[0], "may not be set to 'None' for NodePort services"));
  if (type === 'ExternalName') {
    if (ips.length > 0) errs.push(forbidden(SPEC.child('clusterIPs'), 'may not be set for ExternalName services'));
    if (listAt(spec.ipFamilies).length > 0) errs.push(forbidden(SPEC.child('ipFamilies'), 'may not be set for ExternalName services'));
    if (optionalString(spec.ipFamilyPolicy) !== undefined) errs.push(forbidden(SPEC.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
    const cname = stringAt(spec.externalName).replace(/\.$/, '');
    if (cname !== '') errs.push(...invalidEach(SPEC.child('externalName'), cname, isDNS1123Subdomain(cname)));
    else errs.push(required(SPEC.child('externalName')));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => errs.push(...validateServicePort(port, ports.length > 1, names, SPEC.child('ports').index(i))));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, SPEC.child('selector')));
  const affinity = stringAt(spec.sessionAffinity);
  if (affinity === '') errs.push(required(SPEC.child('sessionAffinity')));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported(SPEC.child('sessionAffinity'), affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') errs.push(...validateClientIPAffinity(spec.sessionAffinityConfig, SPEC.child('sessionAffinityConfig')));
  else if (affinity === 'None' && optionalObject(spec.sessionAffinityConfig)) {
    errs.push(forbidden(SPEC.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPs(spec, ips));
  stringList(spec.externalIPs).forEach((ip, i) => {
    const ipErrs = validateIP(ip, SPEC.child('externalIPs').index(i));
    errs.push(...(ipErrs.length > 0 ? ipErrs : validateNonSpecialIP(ip, SPEC.child('externalIPs').index(i))));
  });
  if (type === '') errs.push(required(SPEC.child('type')));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported(SPEC.child('type'), type, SERVICE_TYPES));
  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if ((optionalNumber(port.nodePort) ?? 0) !== 0) errs.push(forbidden(SPEC.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = optionalNumber(port.nodePort) ?? 0;
    if (nodePort === 0) return;
    const key = `${stringAt(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(SPEC.child('ports').index(i).child('nodePort'), nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const protocol = stringAt(port.protocol);
    const number = optionalNumber(port.port) ?? 0;
    const key = `${protocol}/${number}`;
    if (portKeys.has(key)) errs.push(duplicate(SPEC.child('ports').index(i), go(goServicePortKey(protocol, number))));
    portKeys.add(key);
  });
  errs.push(...validateSourceRanges(spec, annotations));
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    errs.push(forbidden(SPEC.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    errs.push(required(FieldPath.root('allocateLoadBalancerNodePorts')));
  }
  errs.push(...validateLoadBalancerClass(spec));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

function validateClientIPAffinity(config: Json, path: FieldPath): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  const cfg = optionalObject(config);
  if (!cfg) return [required(path, detail)];
  const clientIP = optionalObject(cfg.clientIP);
  if (!clientIP) return [required(path.child('clientIP'), detail)];
  const timeout = optionalNumber(clientIP.timeoutSeconds);
  if (timeout === undefined) return [required(path.child('clientIP', 'timeoutSeconds'), detail)];
  return timeout <= 0 || timeout > MAX_AFFINITY_SECONDS
    ? [invalid(path.child('clientIP', 'timeoutSeconds'), timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)]
    : [];
}

function validateSourceRanges(spec: JsonObject, annotations: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const ranges = stringList(spec.loadBalancerSourceRanges);
  const isLB = stringAt(spec.type) === 'LoadBalancer';
  if (ranges.length > 0) {
    const path = SPEC.child('LoadBalancerSourceRanges');
    if (!isLB) errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((value, i) => errs.push(...validateCIDR(value.trim(), path.index(i))));
  } else if (SOURCE_RANGES in annotations) {
    const path = FieldPath.root('metadata', 'annotations').key(SOURCE_RANGES);
    if (!isLB) errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const value = stringAt(annotations[SOURCE_RANGES]).trim();
    if (value !== '') for (const cidr of value.split(',')) errs.push(...validateCIDR(cidr.trim(), path));
  }
  return errs;
}

function validateLoadBalancerClass(spec: JsonObject, oldSpec?: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = SPEC.child('loadBalancerClass');
  const lbClass = optionalString(spec.loadBalancerClass);
  const isLB = stringAt(spec.type) === 'LoadBalancer';
  if (oldSpec && stringAt(oldSpec.type) === 'LoadBalancer' && isLB && optionalString(oldSpec.loadBalancerClass) !== lbClass) {
    errs.push(invalid(path, lbClass ?? null, 'may not change once set'));
  }
  if (isLB) {
    if (lbClass !== undefined) errs.push(...invalidEach(path, lbClass, isQualifiedName(lbClass)));
  } else if (lbClass !== undefined) {
    errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateTrafficPolicies(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const external = stringAt(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (external !== '') errs.push(invalid(SPEC.child('externalTrafficPolicy'), external, 'may only be set for externally-accessible services'));
  } else if (external === '') {
    errs.push(required(SPEC.child('externalTrafficPolicy')));
  } else if (external !== 'Cluster' && external !== 'Local') {
    errs.push(notSupported(SPEC.child('externalTrafficPolicy'), external, ['Cluster', 'Local']));
  }
  const healthCheck = optionalNumber(spec.healthCheckNodePort) ?? 0;
  if (!needsHealthCheck(spec)) {
    if (healthCheck !== 0) {
      errs.push(invalid(SPEC.child('healthCheckNodePort'), healthCheck, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (healthCheck === 0) {
    errs.push(required(SPEC.child('healthCheckNodePort')));
  } else {
    errs.push(...invalidEach(SPEC.child('healthCheckNodePort'), healthCheck, isValidPortNum(healthCheck)));
  }
  const type = stringAt(spec.type);
  const internal = optionalString(spec.internalTrafficPolicy);
  if (internal === undefined && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) {
    errs.push(required(SPEC.child('internalTrafficPolicy')));
  }
  if (internal !== undefined && internal !== 'Cluster' && internal !== 'Local') {
    errs.push(notSupported(SPEC.child('internalTrafficPolicy'), internal, ['Cluster', 'Local']));
  }
  const distribution = optionalString(spec.trafficDistribution);
  if (distribution !== undefined && distribution !== 'PreferClose') errs.push(notSupported(SPEC.child('trafficDistribution'), distribution, ['PreferClose']));
  return errs;
}

export function validateServiceCreate(service: JsonObject): FieldError[] {
  return validateServiceSpec(service, clusterIPsOf(objectAt(service.spec)));
}

export function validateServiceUpdate(service: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(service.spec);
  const oldSpec = objectAt(old.spec);
  const ips = clusterIPsOf(spec, oldSpec);
  const oldIPs = clusterIPsOf(oldSpec);
  const errs = validateObjectMetaUpdate(objectAt(service.metadata), objectAt(old.metadata));
  errs.push(...validateClusterIPsUpdate(spec, oldSpec, ips, oldIPs));
  errs.push(...validateIPFamiliesUpdate(spec, oldSpec, ips, oldIPs));
  errs.push(...validateLoadBalancerClass(spec, oldSpec));
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && (optionalNumber(spec.healthCheckNodePort) ?? 0) !== (optionalNumber(oldSpec.healthCheckNodePort) ?? 0)) {
    errs.push(forbidden(SPEC.child('healthCheckNodePort'), 'field is immutable'));
  }
  errs.push(...validateServiceSpec(service, ips));
  return errs;
}

/** Cluster IPs may be added or the secondary released, but never changed once set. */
function validateClusterIPsUpdate(spec: JsonObject, oldSpec: JsonObject, ips: string[], oldIPs: string[]): FieldError[] {
  if (stringAt(spec.type) === 'ExternalName' || stringAt(oldSpec.type) === 'ExternalName') return [];
  if (isHeadless(oldIPs) && isHeadless(ips)) return [];
  const path = SPEC.child('clusterIPs');
  const value = go(goStringSlice(ips));
  const errs: FieldError[] = [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(path.index(i), value, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid(path.index(0), value, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(invalid(path.index(0), value, 'may not change once set'));
    if (ips.length === 1 && stringAt(spec.ipFamilyPolicy) !== 'SingleStack') {
      errs.push(invalid(SPEC.child('ipFamilyPolicy'), policyValue(spec), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid(path.index(0), value, 'may not change once set'));
  }
  return errs;
}

function policyValue(spec: JsonObject): BadValue {
  return optionalString(spec.ipFamilyPolicy) ?? null;
}

function validateIPFamiliesUpdate(spec: JsonObject, oldSpec: JsonObject, ips: string[], oldIPs: string[]): FieldError[] {
  if (stringAt(spec.type) === 'ExternalName' || stringAt(oldSpec.type) === 'ExternalName') return [];
  if (isHeadless(ips) !== isHeadless(oldIPs) || isHeadless(ips)) return [];
  const families = stringList(spec.ipFamilies);
  const oldFamilies = stringList(oldSpec.ipFamilies);
  const path = SPEC.child('ipFamilies').index(0);
  const errs: FieldError[] = [];
  if (oldFamilies.length === families.length) {
    oldFamilies.forEach((family, i) => {
      if (family !== families[i]) errs.push(invalid(path, go(goStringSlice(families, '[]core.IPFamily')), 'may not change once set'));
    });
  } else if (oldFamilies.length > families.length) {
    if (ips.length === 0) errs.push(invalid(path, go(goStringSlice(families, '[]core.IPFamily')), 'primary ipFamily can not be unset'));
    if (families.length > 0 && families[0] !== oldFamilies[0]) errs.push(invalid(path, go(goStringSlice(ips)), 'may not change once set'));
    if (families.length === 1 && stringAt(spec.ipFamilyPolicy) !== 'SingleStack') {
      errs.push(invalid(SPEC.child('ipFamilyPolicy'), policyValue(spec), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFamilies.length > 0 && families.length > 0 && families[0] !== oldFamilies[0]) {
    errs.push(invalid(path, go(goStringSlice(ips)), 'may not change once set'));
  }
  return errs;
}
