// Resource names and quantities (pkg/apis/core/validation + core/helper): which names are standard
// for containers, quotas and limit ranges, which must be whole numbers, and requests ≤ limits.
import type { FieldError, FieldPath } from '../field-error.ts';
import { forbidden, invalid, invalidEach, required } from '../field-error.ts';
import { go } from '../go-format.ts';
import type { Json } from '../json.ts';
import { objectAt } from '../json.ts';
import { isQualifiedName } from '../names.ts';
import type { Quantity } from '../quantity.ts';
import { canonicalQuantity, compareQuantities, goQuantity, quantityMilliValue, quantityOf, quantityValue, sign } from '../quantity.ts';
import { IS_NEGATIVE } from '../object-meta.ts';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_RESOURCES = new Set([...STANDARD_QUOTA_RESOURCES, 'storage']);
const INTEGER_RESOURCES = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

/** Native resources: unprefixed, or in the kubernetes.io/ namespace. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
}

function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** validateResourceName: qualified, and standard unless prefixed. */
export function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !(STANDARD_RESOURCES.has(name) || isQuotaHugePageResourceName(name))) {
    return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!(STANDARD_CONTAINER_RESOURCES.has(name) || isHugePageResourceName(name))) {
      return [...errs, invalid(path, name, 'must be a standard resource for containers')];
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

export function validateQuotaResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) return [...errs, invalid(path, name, 'must be a standard resource for quota')];
  return errs;
}

/** A quantity field's value; a bad quantity was already rejected when the body was decoded. */
export function quantityAt(value: Json): Quantity | undefined {
  const q = quantityOf(value ?? undefined);
  return typeof q === 'string' ? undefined : q;
}

/** ValidateResourceQuantityValue: not negative, and whole for countable resources. */
export function validateResourceQuantityValue(resource: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (sign(q) < 0) errs.push(invalid(path, canonicalQuantity(q), IS_NEGATIVE));
  if (isIntegerResourceName(resource) && quantityMilliValue(q) % 1000n !== 0n) errs.push(invalid(path, go(goQuantity(q)), 'must be an integer'));
  return errs;
}

export function validatePositiveQuantity(q: Quantity, path: FieldPath): FieldError[] {
  return sign(q) <= 0 ? [invalid(path, canonicalQuantity(q), 'must be greater than zero')] : [];
}

/** validateBasicResource: Value() must not be negative. */
export function validateBasicResource(q: Quantity, path: FieldPath): FieldError[] {
  const value = quantityValue(q);
  return value < 0n ? [invalid(path, Number(value), 'must be a valid resource quantity')] : [];
}

function hugePageDivisible(name: string, q: Quantity): boolean {
  const size = quantityOf(name.slice('hugepages-'.length));
  if (typeof size === 'string' || sign(size) <= 0 || quantityMilliValue(size) % 1000n !== 0n) return false;
  return quantityValue(q) % quantityValue(size) === 0n;
}

/** ValidateResourceRequirements for a container: names, quantities, requests ≤ limits, hugepages. */
export function validateResourceRequirements(requirements: Json, path: FieldPath): FieldError[] {
  const reqs = objectAt(requirements);
  const limits = objectAt(reqs.limits);
  const requests = objectAt(reqs.requests);
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const errs: FieldError[] = [];
  let cpuOrMemory = false;
  let hugePages = false;
  for (const name of Object.keys(limits).sort()) {
    const q = quantityAt(limits[name]);
    const fieldPath = limPath.key(name);
    errs.push(...validateContainerResourceName(name, fieldPath));
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, fieldPath));
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePageDivisible(name, q)) errs.push(invalid(fieldPath, canonicalQuantity(q), `${canonicalQuantity(q)} is not positive integer multiple of ${name}`));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const name of Object.keys(requests).sort()) {
    const q = quantityAt(requests[name]);
    const fieldPath = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, fieldPath));
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, fieldPath));
    const limit = limits[name] !== undefined ? quantityAt(limits[name]) : undefined;
    if (limit) {
      if (compareQuantities(q, limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, canonicalQuantity(q), `must be equal to ${name} limit of ${canonicalQuantity(limit)}`));
      } else if (compareQuantities(q, limit) > 0) {
        errs.push(invalid(reqPath, canonicalQuantity(q), `must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePageDivisible(name, q)) errs.push(invalid(fieldPath, canonicalQuantity(q), `${canonicalQuantity(q)} is not positive integer multiple of ${name}`));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
