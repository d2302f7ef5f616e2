// PersistentVolumes and PersistentVolumeClaims: access modes, capacity/requests, one volume source,
// and what may change after creation.
import type { JsonObject } from '../../object.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, forbidden, invalidEach, notSupported, required } from '../field-error.ts';
import { go, goStringMap } from '../go-format.ts';
import { objectAt, optionalObject, optionalString, semanticEqual, stringAt, stringList } from '../json.ts';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../names.ts';
import { compareQuantities } from '../quantity.ts';
import { validateImmutable, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import { validatePathNoBacksteps } from './paths.ts';
import { quantityAt, validateBasicResource, validatePositiveQuantity, validateResourceQuantityValue } from './resources.ts';
import { validateNodeSelector } from './scheduling.ts';
import { validateCSIDriverName } from './volumes.ts';

const SPEC = FieldPath.root('spec');
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
/** PersistentVolumeSource members in k8s' order, JSON name → name in its "more than 1" error. */
const PV_SOURCES: [string, string][] = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['nfs', 'nfs'], ['rbd', 'rbd'], ['quobyte', 'quobyte'], ['cephfs', 'cephFS'],
  ['iscsi', 'iscsi'], ['cinder', 'cinder'], ['fc', 'fc'], ['flexVolume', 'flexVolume'], ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'], ['scaleIO', 'scaleIO'], ['local', 'local'], ['storageos', 'storageos'], ['csi', 'csi'],
];

function validateAccessModes(modes: string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let once = false;
  let other = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(path, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') once = true;
    else if (ACCESS_MODES.includes(mode)) other = true;
  }
  if (once && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validatePVSource(kind: string, source: JsonObject, path: FieldPath): FieldError[] {
  switch (kind) {
    case 'hostPath':
    case 'local': {
      const target = stringAt(source.path);
      if (target === '') return [required(path.child('path'))];
      const errs = validatePathNoBacksteps(target, path.child('path'));
      const type = optionalString(source.type);
      const types = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
      if (kind === 'hostPath' && type !== undefined && !types.includes(type)) errs.push(notSupported(path.child('type'), type, types));
      return errs;
    }
    case 'nfs': {
      const errs: FieldError[] = [];
      const target = stringAt(source.path);
      if (stringAt(source.server) === '') errs.push(required(path.child('server')));
      if (target === '') errs.push(required(path.child('path')));
      if (!target.startsWith('/')) errs.push(...invalidEach(path.child('path'), target, ['must be an absolute path']));
      return errs;
    }
    case 'csi': {
      const errs: FieldError[] = [];
      const driver = stringAt(source.driver);
      errs.push(...(driver === '' ? [required(path.child('driver'))] : validateCSIDriverName(driver, path.child('driver'))));
      if (stringAt(source.volumeHandle) === '') errs.push(required(path.child('volumeHandle')));
      return errs;
    }
    default:
      return [];
  }
}

function validatePVSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const modes = stringList(spec.accessModes);
  if (modes.length === 0) errs.push(required(SPEC.child('accessModes')));
  errs.push(...validateAccessModes(modes, SPEC.child('accessModes')));
  const capacity = objectAt(spec.capacity);
  const capacityPath = SPEC.child('capacity');
  const names = Object.keys(capacity).sort();
  if (names.length === 0) errs.push(required(capacityPath));
  if (!('storage' in capacity) || names.length > 1) errs.push(notSupported(capacityPath, go(goStringMap(capacity, 'core.ResourceList')), ['storage']));
  for (const name of names) {
    const q = quantityAt(capacity[name]);
    if (!q) continue;
    errs.push(...validateBasicResource(q, capacityPath.key(name)));
    errs.push(...validatePositiveQuantity(q, capacityPath.key(name)));
  }
  const reclaim = stringAt(spec.persistentVolumeReclaimPolicy);
  if (reclaim !== '' && !RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported(SPEC.child('persistentVolumeReclaimPolicy'), reclaim, RECLAIM_POLICIES));
  const affinity = optionalObject(spec.nodeAffinity);
  if (affinity) {
    const requiredTerms = optionalObject(affinity.required);
    if (requiredTerms) errs.push(...validateNodeSelector(requiredTerms, SPEC.child('nodeAffinity', 'required')));
    else errs.push(required(SPEC.child('nodeAffinity', 'required'), 'must specify required node constraints'));
  }
  let count = 0;
  for (const [kind, errorName] of PV_SOURCES) {
    const source = optionalObject(spec[kind]);
    if (!source) continue;
    if (count > 0 && kind !== 'flexVolume') {
      errs.push(forbidden(SPEC.child(errorName), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validatePVSource(kind, source, SPEC.child(kind)));
    if (kind === 'local' && !affinity) errs.push(required(SPEC.child('nodeAffinity'), 'Local volume requires node affinity'));
  }
  if (count === 0) errs.push(required(SPEC, 'must specify a volume type'));
  const hostPath = optionalObject(spec.hostPath);
  if (hostPath && reclaim === 'Recycle' && stringAt(hostPath.path).replace(/\/+$/, '') === '') {
    errs.push(forbidden(SPEC.child('persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  }
  const storageClass = stringAt(spec.storageClassName);
  if (storageClass !== '') errs.push(...invalidEach(SPEC.child('storageClassName'), storageClass, nameIsDNSSubdomain(storageClass, false)));
  const volumeMode = optionalString(spec.volumeMode);
  if (volumeMode !== undefined && !VOLUME_MODES.includes(volumeMode)) errs.push(notSupported(SPEC.child('volumeMode'), volumeMode, VOLUME_MODES));
  return errs;
}

export function validatePersistentVolume(pv: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(pv.metadata), false, nameIsDNSSubdomain);
  errs.push(...validatePVSpec(objectAt(pv.spec)));
  return errs;
}

export function validatePersistentVolumeUpdate(pv: JsonObject, old: JsonObject): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const spec = objectAt(pv.spec);
  const oldSpec = objectAt(old.spec);
  const source = (s: JsonObject) => Object.fromEntries(PV_SOURCES.map(([k]) => [k, s[k] ?? null]));
  if (!semanticEqual(source(spec), source(oldSpec))) {
    errs.push(forbidden(FieldPath.root('spec', 'persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  }
  errs.push(...validateImmutable(spec.volumeMode, oldSpec.volumeMode, FieldPath.root('volumeMode')));
  return errs;
}

function validatePVCSpec(spec: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const modes = stringList(spec.accessModes);
  if (modes.length === 0) errs.push(required(path.child('accessModes'), 'at least 1 access mode is required'));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  errs.push(...validateAccessModes(modes, path.child('accessModes')));
  const requests = objectAt(objectAt(spec.resources).requests);
  const storagePath = path.child('resources').key('storage');
  const storage = requests.storage !== undefined ? quantityAt(requests.storage) : undefined;
  if (requests.storage === undefined) errs.push(required(storagePath));
  else if (storage) {
    const positive = validatePositiveQuantity(storage, storagePath);
    errs.push(...(positive.length > 0 ? positive : validateResourceQuantityValue('storage', storage, storagePath)));
  }
  const storageClass = optionalString(spec.storageClassName);
  if (storageClass) errs.push(...invalidEach(path.child('storageClassName'), storageClass, nameIsDNSSubdomain(storageClass, false)));
  const volumeMode = optionalString(spec.volumeMode);
  if (volumeMode !== undefined && !VOLUME_MODES.includes(volumeMode)) errs.push(notSupported(path.child('volumeMode'), volumeMode, VOLUME_MODES));
  for (const refField of ['dataSource', 'dataSourceRef']) {
    const ref = optionalObject(spec[refField]);
    if (!ref) continue;
    const refPath = path.child(refField);
    if (stringAt(ref.name) === '') errs.push(required(refPath.child('name')));
    const kind = stringAt(ref.kind);
    if (kind === '') errs.push(required(refPath.child('kind')));
    const group = stringAt(ref.apiGroup);
    if (group === '' && kind !== 'PersistentVolumeClaim') errs.push(...invalidEach(refPath, kind, ["must be 'PersistentVolumeClaim' when referencing the default apiGroup"]));
    if (group !== '') errs.push(...invalidEach(refPath.child('apiGroup'), group, isDNS1123Subdomain(group)));
  }
  return errs;
}

export function validatePersistentVolumeClaim(pvc: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(pvc.metadata), true, nameIsDNSSubdomain);
  errs.push(...validatePVCSpec(objectAt(pvc.spec), SPEC));
  return errs;
}

/** Claims are immutable except resources.requests (bound claims may grow) and a first volumeName. */
export function validatePersistentVolumeClaimUpdate(pvc: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(pvc.metadata), objectAt(old.metadata));
  errs.push(...validatePersistentVolumeClaim(pvc));
  const spec = objectAt(pvc.spec);
  const oldSpec = objectAt(old.spec);
  const newClone: JsonObject = structuredClone(spec);
  const oldClone: JsonObject = structuredClone(oldSpec);
  if (stringAt(oldSpec.volumeName) === '') oldClone.volumeName = newClone.volumeName ?? null;
  if (oldSpec.storageClassName === undefined && spec.storageClassName !== undefined) newClone.storageClassName = oldSpec.storageClassName ?? null;
  const bound = stringAt(objectAt(pvc.status).phase) === 'Bound';
  if (bound) {
    const resources = objectAt(newClone.resources);
    newClone.resources = { ...resources, requests: { ...objectAt(resources.requests), storage: objectAt(objectAt(oldSpec.resources).requests).storage ?? null } };
  }
  newClone.volumeAttributesClassName = oldClone.volumeAttributesClassName ?? null;
  if (!semanticEqual(newClone, oldClone)) {
    errs.push(forbidden(SPEC, 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = quantityAt(objectAt(objectAt(spec.resources).requests).storage);
  const oldSize = quantityAt(objectAt(objectAt(oldSpec.resources).requests).storage);
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) {
    errs.push(forbidden(FieldPath.root('spec', 'resources', 'requests', 'storage'), 'field can not be less than previous value'));
  }
  errs.push(...validateImmutable(spec.volumeMode, oldSpec.volumeMode, FieldPath.root('volumeMode')));
  return errs;
}
