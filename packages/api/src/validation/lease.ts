// coordination.k8s.io/v1 Leases (leader election and node heartbeats).
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid } from './field-error.ts';
import { objectAt, optionalNumber, optionalString } from './json.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

function validateLeaseSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec');
  const duration = optionalNumber(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) errs.push(invalid(path.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  const transitions = optionalNumber(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0) errs.push(invalid(path.child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
  const preferred = optionalString(spec.preferredHolder);
  if (preferred && !optionalString(spec.strategy)) errs.push(forbidden(path.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  return errs;
}

export function validateLease(lease: JsonObject): FieldError[] {
  return [...validateObjectMeta(objectAt(lease.metadata), true, nameIsDNSSubdomain), ...validateLeaseSpec(objectAt(lease.spec))];
}

export function validateLeaseUpdate(lease: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(objectAt(lease.metadata), objectAt(old.metadata)), ...validateLeaseSpec(objectAt(lease.spec))];
}
