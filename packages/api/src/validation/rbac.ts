// rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings. RBAC names only have to be
// valid URL path segments (they often contain ":").
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, invalid, invalidEach, notSupported, required } from './field-error.ts';
import { go, goQuote, goStringSlice, goStruct } from './go-format.ts';
import { listAt, objectAt, optionalObject, semanticEqual, stringAt, stringList } from './json.ts';
import { nameIsDNSSubdomain, pathSegmentName } from './names.ts';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: JsonObject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (listAt(rule.verbs).length === 0) errs.push(required(path.child('verbs'), 'verbs must contain at least one value'));
  const urls = stringList(rule.nonResourceURLs);
  if (urls.length > 0) {
    const value = go(goStringSlice(urls));
    if (namespaced) errs.push(invalid(path.child('nonResourceURLs'), value, 'namespaced rules cannot apply to non-resource URLs'));
    if (listAt(rule.apiGroups).length > 0 || listAt(rule.resources).length > 0 || listAt(rule.resourceNames).length > 0) {
      errs.push(invalid(path.child('nonResourceURLs'), value, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (listAt(rule.apiGroups).length === 0) errs.push(required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (listAt(rule.resources).length === 0) errs.push(required(path.child('resources'), 'resource rules must supply at least one resource'));
  if (listAt(rule.resourceNames).length > 0 && listAt(rule.resources).length > 1) {
    errs.push(required(path.child('resourceNames'), 'resource names cannot apply to multiple resources'));
  }
  return errs;
}

function validateRules(role: JsonObject, namespaced: boolean): FieldError[] {
  return listAt(role.rules).flatMap((rule, i) => validatePolicyRule(objectAt(rule), namespaced, FieldPath.root('rules').index(i)));
}

export function validateRole(role: JsonObject): FieldError[] {
  return [...validateObjectMeta(objectAt(role.metadata), true, pathSegmentName), ...validateRules(role, true)];
}

export function validateRoleUpdate(role: JsonObject, old: JsonObject): FieldError[] {
  return [...validateRole(role), ...validateObjectMetaUpdate(objectAt(role.metadata), objectAt(old.metadata))];
}

export function validateClusterRole(role: JsonObject): FieldError[] {
  const errs = [...validateObjectMeta(objectAt(role.metadata), false, pathSegmentName), ...validateRules(role, false)];
  const aggregation = optionalObject(role.aggregationRule);
  if (aggregation) {
    const path = FieldPath.root('aggregationRule', 'clusterRoleSelectors');
    const selectors = listAt(aggregation.clusterRoleSelectors);
    if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((selector, i) => errs.push(...validateLabelSelector(selector, path.index(i))));
  }
  return errs;
}

export function validateClusterRoleUpdate(role: JsonObject, old: JsonObject): FieldError[] {
  return [...validateClusterRole(role), ...validateObjectMetaUpdate(objectAt(role.metadata), objectAt(old.metadata))];
}

function validateSubject(subject: JsonObject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringAt(subject.name);
  const apiGroup = stringAt(subject.apiGroup);
  if (name === '') errs.push(required(path.child('name')));
  switch (stringAt(subject.kind)) {
    case 'ServiceAccount':
      if (name !== '') errs.push(...invalidEach(path.child('name'), name, nameIsDNSSubdomain(name, false)));
      if (apiGroup !== '') errs.push(notSupported(path.child('apiGroup'), apiGroup, ['']));
      if (!namespaced && stringAt(subject.namespace) === '') errs.push(required(path.child('namespace')));
      break;
    case 'User':
    case 'Group':
      if (name === '') errs.push(invalid(path.child('name'), name, `${stringAt(subject.kind).toLowerCase()} name cannot be empty`));
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(path.child('kind'), stringAt(subject.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(binding: JsonObject, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(objectAt(binding.metadata), namespaced, pathSegmentName);
  const roleRef = objectAt(binding.roleRef);
  const apiGroup = stringAt(roleRef.apiGroup);
  if (apiGroup !== RBAC_GROUP) errs.push(notSupported(FieldPath.root('roleRef', 'apiGroup'), apiGroup, [RBAC_GROUP]));
  const kind = stringAt(roleRef.kind);
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errs.push(notSupported(FieldPath.root('roleRef', 'kind'), kind, kinds));
  const name = stringAt(roleRef.name);
  if (name === '') errs.push(required(FieldPath.root('roleRef', 'name')));
  else errs.push(...invalidEach(FieldPath.root('roleRef', 'name'), name, pathSegmentName(name, false)));
  listAt(binding.subjects).forEach((subject, i) => errs.push(...validateSubject(objectAt(subject), namespaced, FieldPath.root('subjects').index(i))));
  return errs;
}

function goRoleRef(ref: JsonObject): string {
  return goStruct('rbac.RoleRef', [
    ['APIGroup', goQuote(stringAt(ref.apiGroup))],
    ['Kind', goQuote(stringAt(ref.kind))],
    ['Name', goQuote(stringAt(ref.name))],
  ]);
}

function validateBindingUpdate(binding: JsonObject, old: JsonObject, namespaced: boolean): FieldError[] {
  const errs = [...validateBinding(binding, namespaced), ...validateObjectMetaUpdate(objectAt(binding.metadata), objectAt(old.metadata))];
  if (!semanticEqual(binding.roleRef, old.roleRef)) errs.push(invalid(FieldPath.root('roleRef'), go(goRoleRef(objectAt(binding.roleRef))), 'cannot change roleRef'));
  return errs;
}

export const validateRoleBinding = (binding: JsonObject) => validateBinding(binding, true);
export const validateClusterRoleBinding = (binding: JsonObject) => validateBinding(binding, false);
export const validateRoleBindingUpdate = (binding: JsonObject, old: JsonObject) => validateBindingUpdate(binding, old, true);
export const validateClusterRoleBindingUpdate = (binding: JsonObject, old: JsonObject) => validateBindingUpdate(binding, old, false);
