// policy/v1 PodDisruptionBudgets. k8s checks only the spec here; the name is held to the generic
// path-segment rule every object gets.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, invalid, notSupported } from './field-error.ts';
import { go, goIntOrString, goLabelSelector, goStruct } from './go-format.ts';
import { objectAt, optionalString } from './json.ts';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from './apps.ts';
import { validateLabelSelector, validateObjectMetaUpdate } from './object-meta.ts';

const SPEC = FieldPath.root('spec');

function goPDBSpec(spec: JsonObject): string {
  const intOrString = (v: unknown) => (v === undefined || v === null ? '(*intstr.IntOrString)(nil)' : `&${goIntOrString(v as string | number)}`);
  return goStruct('policy.PodDisruptionBudgetSpec', [
    ['MinAvailable', intOrString(spec.minAvailable)],
    ['Selector', spec.selector ? `&${goLabelSelector(spec.selector)}` : '(*v1.LabelSelector)(nil)'],
    ['MaxUnavailable', intOrString(spec.maxUnavailable)],
    ['UnhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy ? '(*policy.UnhealthyPodEvictionPolicyType)(0xc000000000)' : '(*policy.UnhealthyPodEvictionPolicyType)(nil)'],
  ]);
}

function validatePDBSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(spec.minAvailable) && has(spec.maxUnavailable)) errs.push(invalid(SPEC, go(goPDBSpec(spec)), 'minAvailable and maxUnavailable cannot be both set'));
  for (const field of ['minAvailable', 'maxUnavailable']) {
    if (!has(spec[field])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[field], SPEC.child(field)));
    errs.push(...isNotMoreThan100Percent(spec[field], SPEC.child(field)));
  }
  errs.push(...validateLabelSelector(spec.selector, SPEC.child('selector')));
  const policy = optionalString(spec.unhealthyPodEvictionPolicy);
  if (policy !== undefined && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget') {
    errs.push(notSupported(SPEC.child('unhealthyPodEvictionPolicy'), policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

export function validatePodDisruptionBudget(pdb: JsonObject): FieldError[] {
  return validatePDBSpec(objectAt(pdb.spec));
}

export function validatePodDisruptionBudgetUpdate(pdb: JsonObject, old: JsonObject): FieldError[] {
  return [...validatePDBSpec(objectAt(pdb.spec)), ...validateObjectMetaUpdate(objectAt(pdb.metadata), objectAt(old.metadata))];
}
