// storage.k8s.io/v1 StorageClasses: provisioner, parameters, reclaim policy and binding mode, and
// which of them are frozen after creation.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, notSupported, required, tooLong } from './field-error.ts';
import { objectAt, optionalString, semanticEqual, stringAt } from './json.ts';
import { byteLength, isQualifiedName, nameIsDNSSubdomain } from './names.ts';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateNodeSelectorTerm } from './core/scheduling.ts';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateParameters(parameters: JsonObject, path: FieldPath): FieldError[] {
  const keys = Object.keys(parameters).sort();
  if (keys.length > MAX_PARAMETERS) return [tooLong(path, MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const key of keys) {
    if (key.length < 1) errs.push(invalid(path, key, 'field can not be empty.'));
    size += byteLength(key) + byteLength(stringAt(parameters[key]));
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong(path, MAX_PARAMETERS_SIZE));
  return errs;
}

export function validateStorageClass(storageClass: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(storageClass.metadata), false, nameIsDNSSubdomain);
  const provisioner = stringAt(storageClass.provisioner);
  const provisionerPath = FieldPath.root('provisioner');
  if (provisioner === '') errs.push(required(provisionerPath, provisioner));
  else errs.push(...invalidEach(provisionerPath, provisioner.toLowerCase(), isQualifiedName(provisioner.toLowerCase())));
  errs.push(...validateParameters(objectAt(storageClass.parameters), FieldPath.root('parameters')));
  const reclaim = optionalString(storageClass.reclaimPolicy);
  if (reclaim !== undefined && reclaim !== '' && reclaim !== 'Delete' && reclaim !== 'Retain') {
    errs.push(notSupported(FieldPath.root('reclaimPolicy'), reclaim, ['Delete', 'Retain']));
  }
  const mode = optionalString(storageClass.volumeBindingMode);
  if (mode === undefined) errs.push(required(FieldPath.root('volumeBindingMode')));
  else if (mode !== 'Immediate' && mode !== 'WaitForFirstConsumer') {
    errs.push(notSupported(FieldPath.root('volumeBindingMode'), mode, ['Immediate', 'WaitForFirstConsumer']));
  }
  const topologies = storageClass.allowedTopologies;
  if (Array.isArray(topologies)) {
    topologies.forEach((term, i) => {
      const termPath = FieldPath.root('allowedTopologies').index(i);
      const expressions = objectAt(term).matchLabelExpressions;
      if (!Array.isArray(expressions) || expressions.length === 0) errs.push(required(termPath.child('matchLabelExpressions'), 'must have at least one label requirement'));
      else errs.push(...validateNodeSelectorTerm({ matchExpressions: expressions.map((e) => ({ ...objectAt(e), operator: 'In' })) }, termPath));
    });
  }
  return errs;
}

export function validateStorageClassUpdate(storageClass: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(storageClass.metadata), objectAt(old.metadata));
  if (!semanticEqual(storageClass.parameters, old.parameters)) errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
  if (stringAt(storageClass.provisioner) !== stringAt(old.provisioner)) errs.push(forbidden(FieldPath.root('provisioner'), 'updates to provisioner are forbidden.'));
  if (stringAt(storageClass.reclaimPolicy) !== stringAt(old.reclaimPolicy)) errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutable(storageClass.volumeBindingMode, old.volumeBindingMode, FieldPath.root('volumeBindingMode')));
  return errs;
}
