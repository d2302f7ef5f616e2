// ObjectMeta, labels, annotations and label selectors, as k8s.io/apimachinery/pkg/api/validation
// and pkg/apis/meta/v1/validation check them, plus core's extra rule for finalizer names.
import type { JsonObject, JsonValue } from '../object.ts';
import type { BadValue, FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, required, tooLong } from './field-error.ts';
import { go, goQuote, goStringSlice, goStruct, goTime } from './go-format.ts';
import { listAt, objectAt, optionalNumber, semanticEqual, sortedEntries, stringAt, stringList } from './json.ts';
import type { Json } from './json.ts';
import type { NameRule } from './names.ts';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue } from './names.ts';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateNonnegative(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [invalid(path, value, IS_NEGATIVE)] : [];
}

/** ValidateImmutableField: the new value must (semantically) equal the old one. */
export function validateImmutable(newValue: Json, oldValue: Json, path: FieldPath, render: (v: Json) => BadValue = goScalar): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [invalid(path, render(newValue), FIELD_IMMUTABLE)];
}

/** A JSON scalar (or an absent pointer) as Go prints it; other shapes fall back to their JSON text. */
export function goScalar(value: Json): BadValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return go(JSON.stringify(value));
}

export function validateLabelName(name: string, path: FieldPath): FieldError[] {
  return invalidEach(path, name, isQualifiedName(name));
}

/** Label keys and values; errors name the whole labels map, as k8s does. */
export function validateLabels(labels: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of sortedEntries(labels)) {
    errs.push(...validateLabelName(key, path));
    const text = stringAt(value);
    errs.push(...invalidEach(path, text, isValidLabelValue(text)));
  }
  return errs;
}

export function validateAnnotations(annotations: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [key, value] of sortedEntries(annotations)) {
    errs.push(...invalidEach(path, key, isQualifiedName(key.toLowerCase())));
    total += byteLength(key) + byteLength(stringAt(value));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** metav1 LabelSelector: matchLabels, and each requirement's operator/values/key. */
export function validateLabelSelector(selector: Json, path: FieldPath): FieldError[] {
  if (selector === undefined || selector === null) return [];
  const sel = objectAt(selector);
  const errs = validateLabels(sel.matchLabels, path.child('matchLabels'));
  listAt(sel.matchExpressions).forEach((expression, i) => {
    const req = objectAt(expression);
    const reqPath = path.child('matchExpressions').index(i);
    const values = stringList(req.values);
    const operator = stringAt(req.operator);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errs.push(required(reqPath.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(reqPath.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(reqPath.child('operator'), operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(stringAt(req.key), reqPath.child('key')));
    values.forEach((value, j) => errs.push(...invalidEach(reqPath.child('values').index(j), value, isValidLabelValue(value))));
  });
  return errs;
}

/** Whether a metav1 LabelSelector matches a set of labels (nil matches nothing, empty everything). */
export function selectorMatches(selector: Json, labels: Json): boolean {
  if (selector === undefined || selector === null) return false;
  const sel = objectAt(selector);
  const have = objectAt(labels);
  for (const [key, value] of sortedEntries(sel.matchLabels)) if (have[key] !== value) return false;
  for (const expression of listAt(sel.matchExpressions)) {
    const req = objectAt(expression);
    const key = stringAt(req.key);
    const values = stringList(req.values);
    const present = Object.prototype.hasOwnProperty.call(have, key);
    const value = stringAt(have[key]);
    switch (stringAt(req.operator)) {
      case 'In':
        if (!present || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function selectorIsEmpty(selector: Json): boolean {
  const sel = objectAt(selector);
  return Object.keys(objectAt(sel.matchLabels)).length + listAt(sel.matchExpressions).length === 0;
}

function goOwnerReference(ref: JsonObject): string {
  const pointer = (v: JsonValue | undefined) => (typeof v === 'boolean' ? '(*bool)(0xc000000000)' : '(*bool)(nil)');
  return goStruct('v1.OwnerReference', [
    ['APIVersion', goQuote(stringAt(ref.apiVersion))],
    ['Kind', goQuote(stringAt(ref.kind))],
    ['Name', goQuote(stringAt(ref.name))],
    ['UID', goQuote(stringAt(ref.uid))],
    ['Controller', pointer(ref.controller)],
    ['BlockOwnerDeletion', pointer(ref.blockOwnerDeletion)],
  ]);
}

export function validateOwnerReferences(refs: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const item of listAt(refs)) {
    const ref = objectAt(item);
    const apiVersion = stringAt(ref.apiVersion);
    const slash = apiVersion.indexOf('/');
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    if (version === '') errs.push(invalid(path.child('apiVersion'), apiVersion, 'version must not be empty'));
    if (stringAt(ref.kind) === '') errs.push(invalid(path.child('kind'), '', 'kind must not be empty'));
    if (stringAt(ref.name) === '') errs.push(invalid(path.child('name'), '', 'name must not be empty'));
    if (stringAt(ref.uid) === '') errs.push(invalid(path.child('uid'), '', 'uid must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(invalid(path, go(goOwnerReference(ref)), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${stringAt(ref.kind)}/${stringAt(ref.name)}`;
      if (firstController !== '') {
        const all = `[]v1.OwnerReference{${listAt(refs).map((r) => goOwnerReference(objectAt(r))).join(', ')}}`;
        errs.push(
          invalid(path, go(all), `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** apimachinery's finalizer checks: each name qualified, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: Json, path: FieldPath): FieldError[] {
  const names = stringList(finalizers);
  const errs: FieldError[] = [];
  for (const name of names) errs.push(...invalidEach(path, name, isQualifiedName(name)));
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    errs.push(invalid(path, go(goStringSlice(finalizers)), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** core's extra rule: an unqualified finalizer must be one of the standard ones. */
export function validateKubeFinalizerName(name: string, path: FieldPath): FieldError[] {
  return !name.includes('/') && !STANDARD_FINALIZERS.has(name)
    ? [invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')]
    : [];
}

function validateFieldManager(manager: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (byteLength(manager) > 128) errs.push(tooLong(path, 128));
  let position = 0;
  for (const ch of manager) {
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalid(path, manager, `invalid character U+${code} (at position ${position})`));
    }
    position += byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(entries).forEach((item, i) => {
    const entry = objectAt(item);
    const entryPath = path.index(i);
    const operation = stringAt(entry.operation);
    if (operation !== 'Apply' && operation !== 'Update') {
      errs.push(invalid(entryPath.child('operation'), operation, 'must be `Apply` or `Update`'));
    }
    const fieldsType = stringAt(entry.fieldsType);
    if (fieldsType !== '' && fieldsType !== 'FieldsV1') errs.push(invalid(entryPath.child('fieldsType'), fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(stringAt(entry.manager), entryPath.child('manager')));
    if (byteLength(stringAt(entry.subresource)) > 256) errs.push(tooLong(entryPath.child('subresource'), 256));
  });
  return errs;
}

/** ValidateObjectMetaAccessor: name/generateName per the kind's rule, namespace, labels, … */
export function validateObjectMetaGeneric(meta: JsonObject, requiresNamespace: boolean, nameRule: NameRule, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = stringAt(meta.generateName);
  const name = stringAt(meta.name);
  const namespace = stringAt(meta.namespace);
  if (generateName !== '') errs.push(...invalidEach(path.child('generateName'), generateName, nameRule(generateName, true)));
  if (name === '') errs.push(required(path.child('name'), 'name or generateName is required'));
  else errs.push(...invalidEach(path.child('name'), name, nameRule(name, false)));
  if (requiresNamespace) {
    if (namespace === '') errs.push(required(path.child('namespace')));
    else errs.push(...invalidEach(path.child('namespace'), namespace, isDNS1123Label(namespace)));
  } else if (namespace !== '') {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(optionalNumber(meta.generation) ?? 0, path.child('generation')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  return errs;
}

/** core's ValidateObjectMeta: the generic checks plus standard-or-qualified finalizer names. */
export function validateObjectMeta(meta: JsonObject, requiresNamespace: boolean, nameRule: NameRule, path = FieldPath.root('metadata')): FieldError[] {
  const errs = validateObjectMetaGeneric(meta, requiresNamespace, nameRule, path);
  stringList(meta.finalizers).forEach((name, i) => errs.push(...validateKubeFinalizerName(name, path.child('finalizers').index(i))));
  return errs;
}

/** ValidateObjectMetaAccessorUpdate. The apiserver has already carried uid, creationTimestamp,
 *  deletionTimestamp and deletionGracePeriodSeconds over from the old object when the update left
 *  them out (rest.BeforeUpdate); the same carry-over is applied here before comparing. */
export function validateObjectMetaUpdateGeneric(meta: JsonObject, oldMeta: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const effective = (key: string) => (meta[key] === undefined || meta[key] === null || meta[key] === '' ? oldMeta[key] : meta[key]);
  if (oldMeta.deletionTimestamp) {
    const oldFinalizers = new Set(stringList(oldMeta.finalizers));
    const added = [...new Set(stringList(meta.finalizers).filter((f) => !oldFinalizers.has(f)))].sort();
    if (added.length > 0) {
      errs.push(forbidden(path.child('finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`));
    }
  }
  if (stringAt(meta.resourceVersion) === '') errs.push(invalid(path.child('resourceVersion'), '', 'must be specified for an update'));
  const generation = optionalNumber(meta.generation) ?? optionalNumber(oldMeta.generation) ?? 0;
  if (generation < (optionalNumber(oldMeta.generation) ?? 0)) errs.push(invalid(path.child('generation'), generation, 'must not be decremented'));
  errs.push(...validateImmutable(meta.name ?? '', oldMeta.name ?? '', path.child('name')));
  errs.push(...validateImmutable(meta.namespace ?? '', oldMeta.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutable(effective('uid'), oldMeta.uid, path.child('uid')));
  const time = (v: Json): BadValue => (v ? go(goTime(v)) : null);
  const creation = oldMeta.creationTimestamp ? oldMeta.creationTimestamp : meta.creationTimestamp;
  errs.push(...validateImmutable(creation, oldMeta.creationTimestamp, path.child('creationTimestamp'), (v) => (v ? go(goTime(v)) : go('0001-01-01 00:00:00 +0000 UTC'))));
  errs.push(...validateImmutable(oldMeta.deletionTimestamp ? oldMeta.deletionTimestamp : meta.deletionTimestamp, oldMeta.deletionTimestamp, path.child('deletionTimestamp'), time));
  errs.push(...validateImmutable(effective('deletionGracePeriodSeconds'), oldMeta.deletionGracePeriodSeconds, path.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  return errs;
}

/** core's ValidateObjectMetaUpdate: the generic checks plus finalizer names. */
export function validateObjectMetaUpdate(meta: JsonObject, oldMeta: JsonObject, path = FieldPath.root('metadata')): FieldError[] {
  const errs = validateObjectMetaUpdateGeneric(meta, oldMeta, path);
  stringList(meta.finalizers).forEach((name, i) => errs.push(...validateKubeFinalizerName(name, path.child('finalizers').index(i))));
  return errs;
}
