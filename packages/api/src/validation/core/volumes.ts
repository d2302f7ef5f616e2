// Pod volumes (pkg/apis/core/validation ValidateVolumes): unique DNS-label names and exactly one
// volume source, with the checks of the sources tutorials use (emptyDir, hostPath, configMap,
// secret, persistentVolumeClaim, nfs, downwardAPI, projected, csi, ephemeral).
import type { JsonObject } from '../../object.ts';
import type { FieldError, FieldPath } from '../field-error.ts';
import { duplicate, forbidden, invalid, invalidEach, notSupported, required, tooLong } from '../field-error.ts';
import type { Json } from '../json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt } from '../json.ts';
import { byteLength, isDNS1123Subdomain, nameIsDNSSubdomain } from '../names.ts';
import { sign } from '../quantity.ts';
import { validateDNS1123Label, validateObjectFieldSelector, validateResourceFieldSelector } from './containers.ts';
import { validateLocalDescendingPath, validateLocalNonReservedPath, validatePathNoBacksteps } from './paths.ts';
import { quantityAt } from './resources.ts';

/** VolumeSource members in the order k8s checks them, JSON name → the name its "more than 1" error
 *  uses (k8s spells two of them differently there). */
const VOLUME_SOURCES: [string, string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
];

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

function validateMode(value: Json, path: FieldPath): FieldError[] {
  const mode = optionalNumber(value);
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [invalid(path, mode, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(kp: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (stringAt(kp.key) === '') errs.push(required(path.child('key')));
  const target = stringAt(kp.path);
  if (target === '') errs.push(required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(target, path.child('path')));
  errs.push(...validateMode(kp.mode, path.child('mode')));
  return errs;
}

function validateKeyToPaths(items: Json, path: FieldPath): FieldError[] {
  return listAt(items).flatMap((item, i) => validateKeyToPath(objectAt(item), path.index(i)));
}

/** The checks of one present volume source (sources without rules here only count). */
function validateSource(kind: string, source: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'emptyDir': {
      const limit = source.sizeLimit !== undefined && source.sizeLimit !== null ? quantityAt(source.sizeLimit) : undefined;
      if (limit && sign(limit) < 0) errs.push(forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath': {
      const hostPath = stringAt(source.path);
      if (hostPath === '') return [required(path.child('path'))];
      errs.push(...validatePathNoBacksteps(hostPath, path.child('path')));
      const type = optionalString(source.type);
      if (type !== undefined && !HOST_PATH_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, HOST_PATH_TYPES));
      break;
    }
    case 'secret':
      if (stringAt(source.secretName) === '') errs.push(required(path.child('secretName')));
      errs.push(...validateMode(source.defaultMode, path.child('defaultMode')));
      errs.push(...validateKeyToPaths(source.items, path.child('items')));
      break;
    case 'configMap':
      if (stringAt(source.name) === '') errs.push(required(path.child('name')));
      errs.push(...validateMode(source.defaultMode, path.child('defaultMode')));
      errs.push(...validateKeyToPaths(source.items, path.child('items')));
      break;
    case 'persistentVolumeClaim':
      if (stringAt(source.claimName) === '') errs.push(required(path.child('claimName')));
      break;
    case 'nfs': {
      const nfsPath = stringAt(source.path);
      if (stringAt(source.server) === '') errs.push(required(path.child('server')));
      if (nfsPath === '') errs.push(required(path.child('path')));
      if (!nfsPath.startsWith('/')) errs.push(invalid(path.child('path'), nfsPath, 'must be an absolute path'));
      break;
    }
    case 'gitRepo':
      if (stringAt(source.repository) === '') errs.push(required(path.child('repository')));
      errs.push(...validateLocalDescendingPath(stringAt(source.directory), path.child('directory')));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(source.defaultMode, path.child('defaultMode')));
      for (const item of listAt(source.items)) errs.push(...validateDownwardAPIFile(objectAt(item), path));
      break;
    case 'projected':
      errs.push(...validateMode(source.defaultMode, path.child('defaultMode')));
      errs.push(...validateProjectionSources(source, path));
      break;
    case 'csi': {
      const driver = stringAt(source.driver);
      errs.push(...(driver === '' ? [required(path.child('driver'))] : validateCSIDriverName(driver, path.child('driver'))));
      break;
    }
    case 'ephemeral':
      if (!optionalObject(source.volumeClaimTemplate)) errs.push(required(path.child('volumeClaimTemplate')));
      break;
  }
  return errs;
}

export function validateCSIDriverName(driver: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (driver === '') errs.push(required(path));
  if (byteLength(driver) > 63) errs.push(tooLong(path, 63));
  errs.push(...invalidEach(path, driver, isDNS1123Subdomain(driver.toLowerCase())));
  return errs;
}

function validateDownwardAPIFile(file: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const target = stringAt(file.path);
  if (target === '') errs.push(required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(target, path.child('path')));
  const fieldRef = optionalObject(file.fieldRef);
  const resourceFieldRef = optionalObject(file.resourceFieldRef);
  if (fieldRef) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, path.child('fieldRef')));
    if (resourceFieldRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(resourceFieldRef, path.child('resourceFieldRef'), true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, path.child('mode')));
  return errs;
}

/** Projected volumes: each source has one kind, and no two sources write the same path. */
function validateProjectionSources(projected: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const allPaths = new Set<string>();
  const claimPath = (target: string, conflictValue: string) => {
    if (target === '') return;
    if (allPaths.has(target)) errs.push(invalid(path, conflictValue, 'conflicting duplicate paths'));
    else allPaths.add(target);
  };
  listAt(projected.sources).forEach((item, i) => {
    const source = objectAt(item);
    const sourcePath = path.child('sources').index(i);
    let count = 0;
    for (const kind of ['secret', 'configMap']) {
      const ref = optionalObject(source[kind]);
      if (!ref) continue;
      count++;
      const refPath = sourcePath.child(kind);
      if (stringAt(ref.name) === '') errs.push(required(refPath.child('name')));
      listAt(ref.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(objectAt(kp), refPath.child('items').index(j)));
        claimPath(stringAt(objectAt(kp).path), stringAt(ref.name));
      });
    }
    const downward = optionalObject(source.downwardAPI);
    if (downward) {
      count++;
      for (const file of listAt(downward.items)) {
        errs.push(...validateDownwardAPIFile(objectAt(file), sourcePath.child('downwardAPI')));
        claimPath(stringAt(objectAt(file).path), stringAt(objectAt(file).path));
      }
    }
    const token = optionalObject(source.serviceAccountToken);
    if (token) {
      count++;
      const refPath = sourcePath.child('serviceAccountToken');
      const expiration = optionalNumber(token.expirationSeconds) ?? 0;
      if (expiration < 10 * 60) errs.push(invalid(refPath.child('expirationSeconds'), expiration, 'may not specify a duration less than 10 minutes'));
      if (expiration > 2 ** 32) errs.push(invalid(refPath.child('expirationSeconds'), expiration, 'may not specify a duration larger than 2^32 seconds'));
      const target = stringAt(token.path);
      if (target === '') errs.push(required(path.child('path')));
      else errs.push(...validateLocalNonReservedPath(target, path.child('path')));
      claimPath(target, target);
    }
    if (optionalObject(source.clusterTrustBundle)) {
      count++;
      claimPath(stringAt(objectAt(source.clusterTrustBundle).path), stringAt(objectAt(source.clusterTrustBundle).path));
    }
    if (count > 1) errs.push(forbidden(sourcePath, 'may not specify more than 1 volume type'));
  });
  return errs;
}

export interface VolumeResult {
  volumes: Map<string, JsonObject>;
  errors: FieldError[];
}

/** ValidateVolumes: returns the valid volumes by name (mounts may only refer to these). */
export function validateVolumes(volumes: Json, podName: string, path: FieldPath): VolumeResult {
  const errors: FieldError[] = [];
  const byName = new Map<string, JsonObject>();
  const createdClaims = new Set<string>();
  if (podName !== '') {
    for (const v of listAt(volumes)) if (optionalObject(objectAt(v).ephemeral)) createdClaims.add(`${podName}-${stringAt(objectAt(v).name)}`);
  }
  listAt(volumes).forEach((item, i) => {
    const volume = objectAt(item);
    const volumePath = path.index(i);
    const name = stringAt(volume.name);
    const own: FieldError[] = [];
    let count = 0;
    for (const [kind, errorName] of VOLUME_SOURCES) {
      const source = optionalObject(volume[kind]);
      if (!source) continue;
      if (count > 0) {
        own.push(forbidden(volumePath.child(errorName), 'may not specify more than 1 volume type'));
        continue;
      }
      count++;
      own.push(...validateSource(kind, source, volumePath.child(kind)));
      if (kind === 'ephemeral' && podName !== '' && name !== '') {
        const claimName = `${podName}-${name}`;
        for (const message of nameIsDNSSubdomain(claimName, false)) own.push(invalid(volumePath.child('name'), name, `PVC name "${claimName}": ${message}`));
      }
    }
    if (count === 0) own.push(required(volumePath, 'must specify a volume type'));
    if (name === '') own.push(required(volumePath.child('name')));
    else own.push(...validateDNS1123Label(name, volumePath.child('name')));
    if (byName.has(name)) own.push(duplicate(volumePath.child('name'), name));
    if (own.length === 0) byName.set(name, volume);
    else errors.push(...own);
    const claimName = stringAt(objectAt(volume.persistentVolumeClaim).claimName);
    if (optionalObject(volume.persistentVolumeClaim) && createdClaims.has(claimName)) {
      errors.push(invalid(volumePath.child('persistentVolumeClaim', 'claimName'), claimName, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return { volumes: byName, errors };
}
