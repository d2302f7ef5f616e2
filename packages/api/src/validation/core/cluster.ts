// Namespaces and Nodes.
import type { JsonObject } from '../../object.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, duplicate, forbidden, invalid, invalidEach } from '../field-error.ts';
import { go, goQuote, goStringSlice, goStruct } from '../go-format.ts';
import { listAt, objectAt, stringAt, stringList } from '../json.ts';
import { isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from '../names.ts';
import { isIPv6, parseCIDR } from '../net.ts';
import { validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import { quantityAt, validateResourceQuantityValue } from './resources.ts';
import { validateNodeTaints } from './scheduling.ts';
import { validateCIDR } from './service.ts';

export function validateNamespace(namespace: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(namespace.metadata), false, nameIsDNSLabel);
  const path = FieldPath.root('spec', 'finalizers');
  for (const name of stringList(objectAt(namespace.spec).finalizers)) {
    errs.push(...invalidEach(path, name, isQualifiedName(name)));
    errs.push(...validateKubeFinalizerName(name, path));
  }
  return errs;
}

export function validateNamespaceUpdate(namespace: JsonObject, old: JsonObject): FieldError[] {
  return validateObjectMetaUpdate(objectAt(namespace.metadata), objectAt(old.metadata));
}

function validateNodeResources(node: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = objectAt(node.status);
  for (const field of ['capacity', 'allocatable']) {
    const map = objectAt(status[field]);
    for (const name of Object.keys(map).sort()) {
      const q = quantityAt(map[name]);
      // k8s builds these paths with Child, not Key: status.capacity.cpu
      if (q) errs.push(...validateResourceQuantityValue(name, q, FieldPath.root('status', field, name)));
    }
  }
  return errs;
}

export function validateNode(node: JsonObject): FieldError[] {
  const spec = objectAt(node.spec);
  const errs = validateObjectMeta(objectAt(node.metadata), false, nameIsDNSSubdomain);
  // k8s validates spec.taints under a "metadata.taints" path.
  errs.push(...validateNodeTaints(spec.taints, FieldPath.root('metadata', 'taints')));
  errs.push(...validateNodeResources(node));
  const cidrs = stringList(spec.podCIDRs);
  const path = FieldPath.root('spec', 'podCIDRs');
  cidrs.forEach((cidr, i) => errs.push(...validateCIDR(cidr, path.index(i))));
  if (cidrs.length > 1) {
    const parsed = cidrs.map(parseCIDR);
    if (parsed.every((c) => c !== undefined)) {
      const v6 = parsed.filter((c) => isIPv6(c!.ip)).length;
      if (v6 !== 1 || cidrs.length > 2) errs.push(invalid(path, go(goStringSlice(cidrs)), 'may specify no more than one CIDR for each IP family'));
    }
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errs.push(duplicate(path.index(i), cidr));
      seen.add(cidr);
    });
  }
  return errs;
}

export function validateNodeUpdate(node: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(node.spec);
  const oldSpec = objectAt(old.spec);
  const errs = validateObjectMetaUpdate(objectAt(node.metadata), objectAt(old.metadata));
  errs.push(...validateNodeResources(node));
  const seen = new Set<string>();
  listAt(objectAt(node.status).addresses).forEach((item, i) => {
    const address = objectAt(item);
    const key = `${stringAt(address.type)}\u0000${stringAt(address.address)}`;
    if (seen.has(key)) {
      const rendered = goStruct('core.NodeAddress', [['Type', goQuote(stringAt(address.type))], ['Address', goQuote(stringAt(address.address))]]);
      errs.push(duplicate(FieldPath.root('status', 'addresses').index(i), go(rendered)));
    }
    seen.add(key);
  });
  const oldCIDRs = stringList(oldSpec.podCIDRs);
  const cidrs = stringList(spec.podCIDRs);
  if (oldCIDRs.length > 0) {
    const changed = oldCIDRs.length !== cidrs.length ? [0] : oldCIDRs.flatMap((c, i) => (c !== cidrs[i] ? [i] : []));
    for (let n = 0; n < changed.length; n++) {
      errs.push(forbidden(FieldPath.root('spec', 'podCIDRs'), 'node updates may not change podCIDR except from "" to valid'));
    }
  }
  const providerID = stringAt(oldSpec.providerID);
  if (providerID !== '' && providerID !== stringAt(spec.providerID)) {
    errs.push(forbidden(FieldPath.root('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateNodeTaints(spec.taints, FieldPath.root('metadata', 'taints')));
  if (stringAt(spec.externalID) !== stringAt(oldSpec.externalID)) errs.push(forbidden(FieldPath.root('spec', 'externalID'), 'may not be updated'));
  return errs;
}
