// networking.k8s.io/v1: Ingresses, IngressClasses and NetworkPolicies.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, notSupported, required, tooLong } from './field-error.ts';
import { go, goStringSlice } from './go-format.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt, stringList } from './json.ts';
import {
  byteLength,
  domainPrefixedPathProblems,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
} from './names.ts';
import { cidrContains, parseCIDR, parseIP } from './net.ts';
import { validateImmutable, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateCIDR } from './core/service.ts';

const SPEC = FieldPath.root('spec');
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateTypedLocalObjectReference(ref: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const group = optionalString(ref.apiGroup);
  if (group !== undefined) errs.push(...invalidEach(path.child('apiGroup'), group, isDNS1123Subdomain(group)));
  const kind = stringAt(ref.kind);
  if (kind === '') errs.push(required(path.child('kind'), 'kind is required'));
  else errs.push(...invalidEach(path.child('kind'), kind, isValidPathSegmentName(kind)));
  const name = stringAt(ref.name);
  if (name === '') errs.push(required(path.child('name'), 'name is required'));
  else errs.push(...invalidEach(path.child('name'), name, isValidPathSegmentName(name)));
  return errs;
}

function validateIngressBackend(backend: JsonObject, path: FieldPath): FieldError[] {
  const resource = optionalObject(backend.resource);
  const service = optionalObject(backend.service);
  if (resource && service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (resource) return validateTypedLocalObjectReference(resource, path.child('resource'));
  if (!service) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = stringAt(service.name);
  if (name === '') errs.push(required(path.child('service', 'name')));
  else errs.push(...invalidEach(path.child('service', 'name'), name, nameIsDNS1035Label(name, false)));
  const port = objectAt(service.port);
  const portName = stringAt(port.name);
  const portNumber = optionalNumber(port.number) ?? 0;
  if (portName !== '' && portNumber !== 0) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') errs.push(...invalidEach(path.child('service', 'port', 'name'), portName, isValidPortName(portName)));
  else if (portNumber !== 0) errs.push(...invalidEach(path.child('service', 'port', 'number'), portNumber, isValidPortNum(portNumber)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPIngressPath(ingressPath: JsonObject, path: FieldPath): FieldError[] {
  const pathType = optionalString(ingressPath.pathType);
  if (pathType === undefined) return [required(path.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = stringAt(ingressPath.path);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
    if (value !== '') {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(path.child('path'), value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(path.child('path'), value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/')) errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(path.child('pathType'), pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(objectAt(ingressPath.backend), path.child('backend')));
  return errs;
}

function validateIngressRules(rules: JsonObject[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const host = stringAt(rule.host);
    if (host !== '') {
      if (parseIP(host)) errs.push(invalid(path.index(i).child('host'), host, 'must be a DNS name, not an IP address'));
      const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...invalidEach(path.index(i).child('host'), host, problems));
    }
    const http = optionalObject(rule.http);
    if (http) {
      const paths = listAt(http.paths);
      if (paths.length === 0) errs.push(required(path.index(i).child('http', 'paths')));
      paths.forEach((p, j) => errs.push(...validateHTTPIngressPath(objectAt(p), path.index(i).child('http', 'paths').index(j))));
    }
  });
  return errs;
}

function validateIngressSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const rules = listAt(spec.rules).map(objectAt);
  const defaultBackend = optionalObject(spec.defaultBackend);
  if (rules.length === 0 && !defaultBackend) {
    errs.push(invalid(SPEC, go('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (defaultBackend) errs.push(...validateIngressBackend(defaultBackend, SPEC.child('defaultBackend')));
  errs.push(...validateIngressRules(rules, SPEC.child('rules')));
  listAt(spec.tls).forEach((item, t) => {
    const tls = objectAt(item);
    const tlsPath = SPEC.child('tls').index(t);
    stringList(tls.hosts).forEach((host, i) => {
      const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...invalidEach(tlsPath.child('hosts').index(i), host, problems));
    });
    const secretName = stringAt(tls.secretName);
    if (secretName !== '') errs.push(...invalidEach(tlsPath.child('secretName'), secretName, nameIsDNSSubdomain(secretName, false)));
  });
  const className = optionalString(spec.ingressClassName);
  if (className !== undefined) errs.push(...invalidEach(SPEC.child('ingressClassName'), className, nameIsDNSSubdomain(className, false)));
  return errs;
}

export function validateIngress(ingress: JsonObject): FieldError[] {
  const meta = objectAt(ingress.metadata);
  const spec = objectAt(ingress.spec);
  const errs = validateObjectMeta(meta, true, nameIsDNSSubdomain);
  errs.push(...validateIngressSpec(spec));
  const annotation = optionalString(objectAt(meta.annotations)['kubernetes.io/ingress.class']);
  const className = optionalString(spec.ingressClassName);
  if (annotation !== undefined && className !== undefined && annotation !== className) {
    errs.push(invalid(FieldPath.root('annotations').child('kubernetes.io/ingress.class'), annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

export function validateIngressUpdate(ingress: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(ingress.metadata), objectAt(old.metadata));
  errs.push(...validateObjectMeta(objectAt(ingress.metadata), true, nameIsDNSSubdomain));
  errs.push(...validateIngressSpec(objectAt(ingress.spec)));
  return errs;
}

function validateIngressClassSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const controller = stringAt(spec.controller);
  if (byteLength(controller) > 250) errs.push(tooLong(SPEC.child('controller'), 250));
  if (controller === '') errs.push(required(SPEC.child('controller')));
  else for (const problem of domainPrefixedPathProblems(controller)) errs.push(invalid(SPEC.child('controller'), problem.value, problem.message));
  const params = optionalObject(spec.parameters);
  if (params) {
    const path = SPEC.child('parameters');
    errs.push(...validateTypedLocalObjectReference(params, path));
    const scope = optionalString(params.scope);
    if (scope === undefined) errs.push(required(path.child('scope')));
    else if (scope !== 'Cluster' && scope !== 'Namespace') errs.push(notSupported(path.child('scope'), scope, ['Cluster', 'Namespace']));
    else if (scope === 'Namespace') {
      const namespace = optionalString(params.namespace);
      if (namespace === undefined) errs.push(required(path.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
      else errs.push(...invalidEach(path.child('namespace'), namespace, isDNS1123Label(namespace)));
    } else if (params.namespace !== undefined && params.namespace !== null) {
      errs.push(forbidden(path.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
    }
  }
  return errs;
}

export function validateIngressClass(ingressClass: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(ingressClass.metadata), false, nameIsDNSSubdomain);
  errs.push(...validateIngressClassSpec(objectAt(ingressClass.spec)));
  return errs;
}

export function validateIngressClassUpdate(ingressClass: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(ingressClass.metadata), objectAt(old.metadata));
  errs.push(...validateImmutable(objectAt(ingressClass.spec).controller, objectAt(old.spec).controller, SPEC.child('controller')));
  errs.push(...validateIngressClass(ingressClass));
  return errs;
}

function validateNetworkPolicyPort(port: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = optionalString(port.protocol);
  if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, ['TCP', 'UDP', 'SCTP']));
  const value = port.port;
  const endPort = optionalNumber(port.endPort);
  if (value === undefined || value === null) {
    if (endPort !== undefined) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof value === 'number') {
    errs.push(...invalidEach(path.child('port'), value, isValidPortNum(value)));
    if (endPort !== undefined) {
      if (endPort < value) errs.push(invalid(path.child('endPort'), value, 'must be greater than or equal to `port`'));
      errs.push(...invalidEach(path.child('endPort'), endPort, isValidPortNum(endPort)));
    }
  } else {
    if (endPort !== undefined) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...invalidEach(path.child('port'), String(value), isValidPortName(String(value))));
  }
  return errs;
}

function validateIPBlock(block: JsonObject, path: FieldPath): FieldError[] {
  const cidr = stringAt(block.cidr);
  if (cidr === '') return [required(path.child('cidr'))];
  const errs = validateCIDR(cidr, path.child('cidr'));
  const outer = parseCIDR(cidr);
  if (!outer) return errs;
  stringList(block.except).forEach((except, i) => {
    const exceptPath = path.child('except').index(i);
    errs.push(...validateCIDR(except, exceptPath));
    const inner = parseCIDR(except);
    if (!inner) return;
    if (!cidrContains(outer, inner) || outer.prefix >= inner.prefix) errs.push(invalid(exceptPath, except, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validateNetworkPolicyPeer(peer: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  if (optionalObject(peer.podSelector)) {
    count++;
    errs.push(...validateLabelSelector(peer.podSelector, path.child('podSelector')));
  }
  if (optionalObject(peer.namespaceSelector)) {
    count++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, path.child('namespaceSelector')));
  }
  const block = optionalObject(peer.ipBlock);
  if (block) {
    count++;
    errs.push(...validateIPBlock(block, path.child('ipBlock')));
  }
  if (count === 0) errs.push(required(path, 'must specify a peer'));
  else if (count > 1 && block) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateNetworkPolicySpec(spec: JsonObject): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector ?? {}, SPEC.child('podSelector'));
  for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    listAt(spec[direction]).forEach((item, i) => {
      const rule = objectAt(item);
      const rulePath = SPEC.child(direction).index(i);
      listAt(rule.ports).forEach((port, j) => errs.push(...validateNetworkPolicyPort(objectAt(port), rulePath.child('ports').index(j))));
      listAt(rule[peers]).forEach((peer, j) => errs.push(...validateNetworkPolicyPeer(objectAt(peer), rulePath.child(peers).index(j))));
    });
  }
  const types = stringList(spec.policyTypes);
  if (types.length > 2) {
    errs.push(invalid(SPEC.child('policyTypes'), go(`&${goStringSlice(types, '[]networking.PolicyType')}`), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((type, i) => {
    if (type !== 'Ingress' && type !== 'Egress') errs.push(notSupported(SPEC.child('policyTypes').index(i), type, ['Ingress', 'Egress']));
  });
  return errs;
}

export function validateNetworkPolicy(policy: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(policy.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateNetworkPolicySpec(objectAt(policy.spec)));
  return errs;
}

export function validateNetworkPolicyUpdate(policy: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(policy.metadata), objectAt(old.metadata));
  errs.push(...validateNetworkPolicySpec(objectAt(policy.spec)));
  return errs;
}
