// scheduling.k8s.io/v1 PriorityClasses: the "system-" prefix is reserved for the two built-in
// classes, user classes stay at or below one billion, and value and preemptionPolicy are frozen.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, notSupported, required } from './field-error.ts';
import { objectAt, optionalNumber, optionalString, stringAt } from './json.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (value !== expected) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: JsonObject): FieldError[] {
  const meta = objectAt(pc.metadata);
  const errs = validateObjectMeta(meta, false, nameIsDNSSubdomain);
  const name = stringAt(meta.name);
  const value = optionalNumber(pc.value) ?? 0;
  if (name.startsWith('system-')) {
    const problem = systemClassError(name, value, pc.globalDefault === true);
    if (problem) {
      errs.push(forbidden(FieldPath.root('metadata', 'name'), `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
    }
  } else if (value > HIGHEST_USER_PRIORITY) {
    errs.push(forbidden(FieldPath.root('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const preemption = optionalString(pc.preemptionPolicy);
  if (preemption !== undefined) {
    if (preemption === '') errs.push(required(FieldPath.root('preemptionPolicy')));
    else if (preemption !== 'PreemptLowerPriority' && preemption !== 'Never') {
      errs.push(notSupported(FieldPath.root('preemptionPolicy'), preemption, ['PreemptLowerPriority', 'Never']));
    }
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(pc.metadata), objectAt(old.metadata));
  if ((optionalNumber(pc.value) ?? 0) !== (optionalNumber(old.value) ?? 0)) errs.push(forbidden(FieldPath.root('value'), 'may not be changed in an update.'));
  errs.push(...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, FieldPath.root('preemptionPolicy')));
  return errs;
}
