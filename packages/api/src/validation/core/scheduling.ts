// Where a pod may run: node/pod affinity, tolerations, node taints and topology spread constraints.
import type { JsonObject } from '../../object.ts';
import type { FieldError, FieldPath } from '../field-error.ts';
import { duplicate, forbidden, invalid, invalidEach, notSupported, required } from '../field-error.ts';
import { go, goQuote, goStruct } from '../go-format.ts';
import type { Json } from '../json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt, stringList } from '../json.ts';
import { isDNS1123Label, isValidLabelValue, nameIsDNSSubdomain } from '../names.ts';
import { validateLabelName, validateLabelSelector } from '../object-meta.ts';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateNodeSelectorRequirement(rq: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = stringList(rq.values);
  const operator = stringAt(rq.operator);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) errs.push(required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) errs.push(forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (operator === 'Gt' || operator === 'Lt') {
    if (values.length !== 1) errs.push(required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errs.push(invalid(path.child('operator'), operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(stringAt(rq.key), path.child('key')));
  return errs;
}

function validateNodeFieldSelectorRequirement(rq: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = stringList(rq.values);
  const operator = stringAt(rq.operator);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1) errs.push(required(path.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalid(path.child('operator'), operator, 'not a valid selector operator'));
  }
  const key = stringAt(rq.key);
  if (key !== 'metadata.name') errs.push(invalid(path.child('key'), key, 'not a valid field selector key'));
  else values.forEach((v, i) => errs.push(...invalidEach(path.child('values').index(i), v, nameIsDNSSubdomain(v, false))));
  return errs;
}

export function validateNodeSelectorTerm(term: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(term.matchExpressions).forEach((rq, j) => errs.push(...validateNodeSelectorRequirement(objectAt(rq), path.child('matchExpressions').index(j))));
  listAt(term.matchFields).forEach((rq, j) => errs.push(...validateNodeFieldSelectorRequirement(objectAt(rq), path.child('matchFields').index(j))));
  return errs;
}

export function validateNodeSelector(selector: JsonObject, path: FieldPath): FieldError[] {
  const termsPath = path.child('nodeSelectorTerms');
  const terms = listAt(selector.nodeSelectorTerms);
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((term, i) => validateNodeSelectorTerm(objectAt(term), termsPath.index(i)));
}

function validateWeight(weight: number, path: FieldPath): FieldError[] {
  return weight <= 0 || weight > 100 ? [invalid(path, weight, 'must be in the range 1-100')] : [];
}

function validatePodAffinityTerm(term: JsonObject, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, path.child('labelSelector'));
  errs.push(...validateLabelSelector(term.namespaceSelector, path.child('namespaceSelector')));
  for (const name of stringList(term.namespaces)) errs.push(...invalidEach(path.child('namespace'), name, isDNS1123Label(name)));
  const topologyKey = stringAt(term.topologyKey);
  if (topologyKey === '') errs.push(required(path.child('topologyKey'), 'can not be empty'));
  errs.push(...validateLabelName(topologyKey, path.child('topologyKey')));
  return errs;
}

function validatePodAffinityKind(affinity: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const requiredPath = path.child('requiredDuringSchedulingIgnoredDuringExecution');
  listAt(affinity.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => errs.push(...validatePodAffinityTerm(objectAt(term), requiredPath.index(i))));
  const preferredPath = path.child('preferredDuringSchedulingIgnoredDuringExecution');
  listAt(affinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, j) => {
    const weighted = objectAt(item);
    errs.push(...validateWeight(optionalNumber(weighted.weight) ?? 0, preferredPath.index(j).child('weight')));
    errs.push(...validatePodAffinityTerm(objectAt(weighted.podAffinityTerm), preferredPath.index(j).child('podAffinityTerm')));
  });
  return errs;
}

export function validateAffinity(affinity: Json, path: FieldPath): FieldError[] {
  const aff = optionalObject(affinity);
  if (!aff) return [];
  const errs: FieldError[] = [];
  const node = optionalObject(aff.nodeAffinity);
  if (node) {
    const nodePath = path.child('nodeAffinity');
    const requiredSelector = optionalObject(node.requiredDuringSchedulingIgnoredDuringExecution);
    if (requiredSelector) errs.push(...validateNodeSelector(requiredSelector, nodePath.child('requiredDuringSchedulingIgnoredDuringExecution')));
    const preferredPath = nodePath.child('preferredDuringSchedulingIgnoredDuringExecution');
    listAt(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
      const term = objectAt(item);
      errs.push(...validateWeight(optionalNumber(term.weight) ?? 0, preferredPath.index(i).child('weight')));
      errs.push(...validateNodeSelectorTerm(objectAt(term.preference), preferredPath.index(i).child('preference')));
    });
  }
  const pod = optionalObject(aff.podAffinity);
  if (pod) errs.push(...validatePodAffinityKind(pod, path.child('podAffinity')));
  const anti = optionalObject(aff.podAntiAffinity);
  if (anti) errs.push(...validatePodAffinityKind(anti, path.child('podAntiAffinity')));
  return errs;
}

function goToleration(t: JsonObject): string {
  const seconds = optionalNumber(t.tolerationSeconds);
  return goStruct('core.Toleration', [
    ['Key', goQuote(stringAt(t.key))],
    ['Operator', goQuote(stringAt(t.operator))],
    ['Value', goQuote(stringAt(t.value))],
    ['Effect', goQuote(stringAt(t.effect))],
    ['TolerationSeconds', seconds === undefined ? '(*int64)(nil)' : '(*int64)(0xc000000000)'],
  ]);
}

export function validateTolerations(tolerations: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(tolerations).forEach((item, i) => {
    const t = objectAt(item);
    const tPath = path.index(i);
    const key = stringAt(t.key);
    const operator = stringAt(t.operator);
    const value = stringAt(t.value);
    const effect = stringAt(t.effect);
    if (key !== '') errs.push(...validateLabelName(key, tPath.child('key')));
    if (key === '' && operator !== 'Exists') {
      errs.push(invalid(tPath.child('operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (optionalNumber(t.tolerationSeconds) !== undefined && effect !== 'NoExecute') {
      errs.push(invalid(tPath.child('effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const problems = isValidLabelValue(value);
      if (problems.length > 0) errs.push(invalid(tPath.child('operator'), value, problems.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') errs.push(invalid(tPath.child('operator'), go(goToleration(t)), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(tPath.child('operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(tPath.child('effect'), effect, TAINT_EFFECTS));
  });
  return errs;
}

/** Node taints: valid key, value and effect, unique by key and effect. */
export function validateNodeTaints(taints: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  listAt(taints).forEach((item, i) => {
    const taint = objectAt(item);
    const taintPath = path.index(i);
    const key = stringAt(taint.key);
    const value = stringAt(taint.value);
    const effect = stringAt(taint.effect);
    errs.push(...validateLabelName(key, taintPath.child('key')));
    const problems = isValidLabelValue(value);
    if (problems.length > 0) errs.push(invalid(taintPath.child('value'), value, problems.join(';')));
    if (effect === '') errs.push(required(taintPath.child('effect')));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(taintPath.child('effect'), effect, TAINT_EFFECTS));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      const rendered = goStruct('core.Taint', [
        ['Key', goQuote(key)],
        ['Value', goQuote(value)],
        ['Effect', goQuote(effect)],
        ['TimeAdded', '(*v1.Time)(nil)'],
      ]);
      errs.push(duplicate(taintPath, go(rendered), 'taints must be unique by key and effect pair'));
      return;
    }
    seen.add(id);
  });
  return errs;
}

export function validateTopologySpreadConstraints(constraints: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = listAt(constraints).map(objectAt);
  list.forEach((c, i) => {
    const cPath = path.index(i);
    const maxSkew = optionalNumber(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(cPath.child('maxSkew'), maxSkew, 'must be greater than zero'));
    const topologyKey = stringAt(c.topologyKey);
    if (topologyKey === '') errs.push(required(cPath.child('topologyKey'), 'can not be empty'));
    const when = stringAt(c.whenUnsatisfiable);
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') errs.push(notSupported(cPath.child('whenUnsatisfiable'), when, ['DoNotSchedule', 'ScheduleAnyway']));
    if (list.slice(i + 1).some((r) => stringAt(r.topologyKey) === topologyKey && stringAt(r.whenUnsatisfiable) === when)) {
      errs.push(duplicate(cPath.child('{topologyKey, whenUnsatisfiable}'), `{${topologyKey}, ${when}}`));
    }
    const minDomains = optionalNumber(c.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0) errs.push(invalid(cPath.child('minDomains'), minDomains, 'must be greater than zero'));
      if (when !== 'DoNotSchedule') errs.push(invalid(cPath.child('minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
    }
    for (const policyField of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const policy = optionalString(c[policyField]);
      if (policy !== undefined && policy !== 'Honor' && policy !== 'Ignore') errs.push(notSupported(cPath.child(policyField), policy, ['Honor', 'Ignore']));
    }
    errs.push(...validateLabelSelector(c.labelSelector, cPath.child('labelSelector')));
  });
  return errs;
}
