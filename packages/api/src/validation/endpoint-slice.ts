// discovery.k8s.io/v1 EndpointSlices: address type, addresses of that type, ports.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, duplicate, invalid, invalidEach, notSupported, required, tooMany } from './field-error.ts';
import { listAt, objectAt, optionalString, stringAt, stringList } from './json.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain } from './names.ts';
import { parseIP, to4 } from './net.ts';
import { validateImmutable, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { PORT_PROTOCOLS } from './core/containers.ts';
import { validateNonSpecialIP } from './core/service.ts';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function validateAddress(address: string, type: string, path: FieldPath): FieldError[] {
  if (type === 'IPv4' || type === 'IPv6') {
    const ip = parseIP(address);
    const ok = ip !== undefined && (type === 'IPv4' ? to4(ip) !== undefined : to4(ip) === undefined);
    if (!ok) return [invalid(path, address, `must be a valid ${type} address`)];
    return validateNonSpecialIP(address, path);
  }
  if (type === 'FQDN') {
    if (address === '') return [required(path)];
    const name = address.endsWith('.') ? address.slice(0, -1) : address;
    const problems = isDNS1123Subdomain(name);
    if (problems.length > 0) return [invalid(path, name, problems.join(','))];
    if (name.split('.').length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
    for (const label of name.split('.')) {
      const labelProblems = isDNS1123Label(label);
      if (labelProblems.length > 0) return [invalid(path, label, labelProblems.join(','))];
    }
  }
  return [];
}

function validateEndpointSliceBody(slice: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringAt(slice.addressType);
  if (type === '') errs.push(required(FieldPath.root('addressType')));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported(FieldPath.root('addressType'), type, ADDRESS_TYPES));
  const endpoints = listAt(slice.endpoints);
  const endpointsPath = FieldPath.root('endpoints');
  if (endpoints.length > 1000) errs.push(tooMany(endpointsPath, endpoints.length, 1000));
  endpoints.forEach((item, i) => {
    const endpoint = objectAt(item);
    const path = endpointsPath.index(i);
    const addresses = stringList(endpoint.addresses);
    if (addresses.length === 0) errs.push(required(path.child('addresses'), 'must contain at least 1 address'));
    else if (addresses.length > 100) errs.push(tooMany(path.child('addresses'), addresses.length, 100));
    addresses.forEach((address, j) => errs.push(...validateAddress(address, type, path.child('addresses').index(j))));
    const nodeName = optionalString(endpoint.nodeName);
    if (nodeName !== undefined) errs.push(...invalidEach(path.child('nodeName'), nodeName, nameIsDNSSubdomain(nodeName, false)));
    const topology = objectAt(endpoint.deprecatedTopology);
    if (Object.keys(topology).length > 16) errs.push(tooMany(path.child('deprecatedTopology'), Object.keys(topology).length, 16));
    errs.push(...validateLabels(topology, path.child('deprecatedTopology')));
    const hostname = optionalString(endpoint.hostname);
    if (hostname !== undefined) errs.push(...invalidEach(path.child('hostname'), hostname, isDNS1123Label(hostname)));
  });
  const ports = listAt(slice.ports);
  const portsPath = FieldPath.root('ports');
  if (ports.length > 20000) errs.push(tooMany(portsPath, ports.length, 20000));
  const names = new Set<string>();
  ports.forEach((item, i) => {
    const port = objectAt(item);
    const path = portsPath.index(i);
    const name = stringAt(port.name);
    if (name !== '') errs.push(...invalidEach(path.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    names.add(name);
    const protocol = optionalString(port.protocol);
    if (protocol === undefined) errs.push(required(path.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(path.child('protocol'), protocol, PORT_PROTOCOLS));
    const appProtocol = optionalString(port.appProtocol);
    if (appProtocol !== undefined) errs.push(...invalidEach(path.child('appProtocol'), appProtocol, isQualifiedName(appProtocol)));
  });
  return errs;
}

export function validateEndpointSlice(slice: JsonObject): FieldError[] {
  return [...validateObjectMeta(objectAt(slice.metadata), true, nameIsDNSSubdomain), ...validateEndpointSliceBody(slice)];
}

export function validateEndpointSliceUpdate(slice: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(slice.metadata), objectAt(old.metadata));
  errs.push(...validateEndpointSliceBody(slice));
  errs.push(...validateImmutable(slice.addressType, old.addressType, FieldPath.root('addressType')));
  return errs;
}
