// ResourceQuotas and LimitRanges: resource names and quantities, quota scopes, and the ordering of
// a limit range's min ≤ defaultRequest ≤ default ≤ max.
import type { JsonObject } from '../../object.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, duplicate, forbidden, invalid, invalidEach, required } from '../field-error.ts';
import { go, goStringSlice } from '../go-format.ts';
import { listAt, objectAt, optionalObject, stringAt, stringList } from '../json.ts';
import { isQualifiedName, nameIsDNSSubdomain } from '../names.ts';
import type { Quantity } from '../quantity.ts';
import { canonicalQuantity, compareQuantities, goQuantity, parseQuantity, quantityMilliValue, quantityValue } from '../quantity.ts';
import { FIELD_IMMUTABLE, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import {
  isOvercommitAllowed,
  isStandardQuotaResourceName,
  quantityAt,
  validateContainerResourceName,
  validateQuotaResourceName,
  validateResourceName,
  validateResourceQuantityValue,
} from './resources.ts';

const SPEC = FieldPath.root('spec');
const STANDARD_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_SCOPED_RESOURCES = new Set(['pods', 'cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
const CONFLICTING_SCOPES: [string, string][] = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];

function scopeValidForResource(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (['Terminating', 'NotTerminating', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'].includes(scope)) return POD_SCOPED_RESOURCES.has(resource);
  return true;
}

function validateHard(hard: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of Object.keys(hard).sort()) {
    errs.push(...validateQuotaResourceName(name, path.key(name)));
    const q = quantityAt(hard[name]);
    if (q) errs.push(...validateResourceQuantityValue(name, q, path.key(name)));
  }
  return errs;
}

function validateQuotaSpec(spec: JsonObject): FieldError[] {
  const hard = objectAt(spec.hard);
  const errs = validateHard(hard, SPEC.child('hard'));
  const names = Object.keys(hard).sort();
  const scopes = stringList(spec.scopes);
  const scopesValue = go(goStringSlice(scopes, '[]core.ResourceQuotaScope'));
  for (const scope of scopes) {
    if (!STANDARD_SCOPES.includes(scope)) errs.push(invalid(SPEC.child('scopes'), scopesValue, 'unsupported scope'));
    for (const name of names) {
      if (isStandardQuotaResourceName(name) && !scopeValidForResource(scope, name)) {
        errs.push(invalid(SPEC.child('scopes'), scopesValue, 'unsupported scope applied to resource'));
      }
    }
  }
  for (const [a, b] of CONFLICTING_SCOPES) {
    if (scopes.includes(a) && scopes.includes(b)) errs.push(invalid(SPEC.child('scopes'), scopesValue, 'conflicting scopes'));
  }
  const selector = optionalObject(spec.scopeSelector);
  if (selector) {
    const path = SPEC.child('scopeSelector', 'matchExpressions');
    const seen = new Set<string>();
    for (const item of listAt(selector.matchExpressions)) {
      const req = objectAt(item);
      const scope = stringAt(req.scopeName);
      const operator = stringAt(req.operator);
      const values = stringList(req.values);
      if (!STANDARD_SCOPES.includes(scope)) errs.push(invalid(path.child('scopeName'), scope, 'unsupported scope'));
      for (const name of names) {
        if (isStandardQuotaResourceName(name) && !scopeValidForResource(scope, name)) {
          errs.push(invalid(path, go('&core.ScopeSelector{...}'), 'unsupported scope applied to resource'));
        }
      }
      if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && operator !== 'Exists') {
        errs.push(
          invalid(path.child('operator'), operator,
            'must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'),
        );
      }
      if (operator === 'In' || operator === 'NotIn') {
        if (values.length === 0) errs.push(required(path.child('values'), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
      } else if (operator === 'Exists' || operator === 'DoesNotExist') {
        if (values.length !== 0) errs.push(invalid(path.child('values'), go(goStringSlice(values)), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
      } else {
        errs.push(invalid(path.child('operator'), operator, 'not a valid selector operator'));
      }
      seen.add(scope);
    }
    for (const [a, b] of CONFLICTING_SCOPES) {
      if (seen.has(a) && seen.has(b)) errs.push(invalid(path, scopesValue, 'conflicting scopes'));
    }
  }
  return errs;
}

export function validateResourceQuota(quota: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(quota.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateQuotaSpec(objectAt(quota.spec)));
  const status = objectAt(quota.status);
  errs.push(...validateHard(objectAt(status.hard), FieldPath.root('status', 'hard')));
  errs.push(...validateHard(objectAt(status.used), FieldPath.root('status', 'used')));
  return errs;
}

export function validateResourceQuotaUpdate(quota: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(quota.metadata), objectAt(old.metadata));
  errs.push(...validateQuotaSpec(objectAt(quota.spec)));
  const scopes = stringList(objectAt(quota.spec).scopes);
  const oldScopes = new Set(stringList(objectAt(old.spec).scopes));
  const same = new Set(scopes).size === oldScopes.size && scopes.every((s) => oldScopes.has(s));
  if (!same) errs.push(invalid(SPEC.child('scopes'), go(goStringSlice(scopes, '[]core.ResourceQuotaScope')), FIELD_IMMUTABLE));
  return errs;
}

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

function validateLimitTypeName(type: string, path: FieldPath): FieldError[] {
  const errs = invalidEach(path, type, isQualifiedName(type));
  if (errs.length > 0) return errs;
  return !type.includes('/') && !LIMIT_TYPES.includes(type) ? [invalid(path, type, 'must be a standard limit type or fully qualified')] : [];
}

function validateLimitResourceName(type: string, name: string, path: FieldPath): FieldError[] {
  return type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, path) : validateResourceName(name, path);
}

export function validateLimitRange(limitRange: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(limitRange.metadata), true, nameIsDNSSubdomain);
  const types = new Set<string>();
  listAt(objectAt(limitRange.spec).limits).forEach((item, i) => {
    const limit = objectAt(item);
    const path = SPEC.child('limits').index(i);
    const type = stringAt(limit.type);
    errs.push(...validateLimitTypeName(type, path.child('type')));
    if (types.has(type)) errs.push(duplicate(path.child('type'), type));
    types.add(type);
    const keys = new Set<string>();
    const read = (field: string): Map<string, Quantity> => {
      const values = new Map<string, Quantity>();
      const map = objectAt(limit[field]);
      for (const name of Object.keys(map).sort()) {
        errs.push(...validateLimitResourceName(type, name, path.child(field).key(name)));
        keys.add(name);
        const q = quantityAt(map[name]);
        if (q) values.set(name, q);
      }
      return values;
    };
    const max = read('max');
    const min = read('min');
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (Object.keys(objectAt(limit.default)).length > 0) errs.push(forbidden(path.child('default'), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(objectAt(limit.defaultRequest)).length > 0) errs.push(forbidden(path.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = read('default');
      defaultRequests = read('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(required(path.child('limits'), 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratios = read('maxLimitRequestRatio');
    for (const k of [...keys].sort()) {
      const mn = min.get(k);
      const mx = max.get(k);
      const def = defaults.get(k);
      const defReq = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const s = (q: Quantity) => canonicalQuantity(q);
      const raw = (q: Quantity) => go(goQuantity(q));
      if (mn && mx && compareQuantities(mn, mx) > 0) errs.push(invalid(path.child('min').key(k), raw(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (defReq && mn && compareQuantities(mn, defReq) > 0) errs.push(invalid(path.child('defaultRequest').key(k), raw(defReq), `min value ${s(mn)} is greater than default request value ${s(defReq)}`));
      if (defReq && mx && compareQuantities(defReq, mx) > 0) errs.push(invalid(path.child('defaultRequest').key(k), raw(defReq), `default request value ${s(defReq)} is greater than max value ${s(mx)}`));
      if (defReq && def && compareQuantities(defReq, def) > 0) errs.push(invalid(path.child('defaultRequest').key(k), raw(defReq), `default request value ${s(defReq)} is greater than default limit value ${s(def)}`));
      if (def && mn && compareQuantities(mn, def) > 0) errs.push(invalid(path.child('default').key(k), raw(mn), `min value ${s(mn)} is greater than default value ${s(def)}`));
      if (def && mx && compareQuantities(def, mx) > 0) errs.push(invalid(path.child('default').key(k), raw(mx), `default value ${s(def)} is greater than max value ${s(mx)}`));
      if (ratio && compareQuantities(ratio, parseQuantity('1') as Quantity) < 0) errs.push(invalid(path.child('maxLimitRequestRatio').key(k), raw(ratio), `ratio ${s(ratio)} is less than 1`));
      if (ratio && mn && mx) {
        const milli = quantityValue(ratio) < 9223372036854775n && quantityValue(mn) < 9223372036854775n && quantityValue(mx) < 9223372036854775n;
        const ratioValue = milli ? Number(quantityMilliValue(ratio)) / 1000 : Number(quantityValue(ratio));
        const limitRatio = milli ? Number(quantityMilliValue(mx)) / Number(quantityMilliValue(mn)) : Number(quantityValue(mx)) / Number(quantityValue(mn));
        if (ratioValue > limitRatio) {
          errs.push(invalid(path.child('maxLimitRequestRatio').key(k), raw(ratio), `ratio ${s(ratio)} is greater than max/min = ${limitRatio.toFixed(6)}`));
        }
      }
      if (!isOvercommitAllowed(k) && def && defReq && compareQuantities(def, defReq) !== 0) {
        errs.push(invalid(path.child('defaultRequest').key(k), raw(defReq), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`));
      }
    }
  });
  return errs;
}
