// Volume defaults shared by Pods, pod templates, PersistentVolumes and PersistentVolumeClaims
// (k8s.io/kubernetes pkg/apis/core/v1 SetDefaults_Volume, SetDefaults_*VolumeSource,
// SetDefaults_PersistentVolume*, and the +default markers of the in-tree volume types).
import { schema } from '../schema/registry.ts';
import type { JsonObject } from '../object.ts';
import { child, children, defaultPointer, defaultString, descend, ensureChild, isNil, type Fields } from './fields.ts';

/** File mode for projected files when the volume does not say: 0644. */
const DEFAULT_FILE_MODE = 0o644;
/** A projected service-account token lives one hour unless asked otherwise. */
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** The JSON names of a volume's source fields, from the schema (one of them must be set). */
const VOLUME_SOURCES: readonly string[] = [...schema.message('k8s.io.api.core.v1.VolumeSource').properties.keys()];

/** One entry of a pod's `volumes`. */
export function defaultVolume(volume: JsonObject): void {
  // A volume that names no source is scratch space: an emptyDir.
  if (VOLUME_SOURCES.every((key) => isNil(volume[key]))) volume.emptyDir = {};
  const hostPath = child(volume, 'hostPath');
  if (hostPath) defaultHostPath(hostPath);
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = child(volume, key);
    if (source) defaultPointer(source, 'defaultMode', DEFAULT_FILE_MODE);
  }
  const downwardAPI = child(volume, 'downwardAPI');
  if (downwardAPI) defaultDownwardAPIItems(downwardAPI);
  const projected = child(volume, 'projected');
  if (projected) defaultProjections(projected);
  defaultLegacyDriverFields(volume);
  const claimTemplate = descend(volume, 'ephemeral', 'volumeClaimTemplate');
  if (claimTemplate) defaultPersistentVolumeClaimSpec(ensureChild(claimTemplate, 'spec'));
}

function defaultProjections(projected: JsonObject): void {
  for (const projection of children(projected, 'sources')) {
    const downwardAPI = child(projection, 'downwardAPI');
    if (downwardAPI) defaultDownwardAPIItems(downwardAPI);
    const token = child(projection, 'serviceAccountToken');
    if (token) defaultPointer(token, 'expirationSeconds', DEFAULT_TOKEN_EXPIRATION_SECONDS);
  }
}

function defaultDownwardAPIItems(source: JsonObject): void {
  for (const item of children(source, 'items')) {
    const fieldRef = child(item, 'fieldRef');
    if (fieldRef) defaultObjectFieldSelector(fieldRef);
  }
}

/** A fieldRef written without apiVersion refers to the core v1 Pod fields. */
export function defaultObjectFieldSelector(selector: JsonObject): void {
  defaultString(selector, 'apiVersion', 'v1');
}

/** hostPath.type is a pointer whose default is the empty HostPathType: "no checks". */
function defaultHostPath(hostPath: JsonObject): void {
  defaultPointer(hostPath, 'type', '');
}

/**
 * Defaults of the old in-tree drivers, shared by volume and persistent-volume sources
 * (the +default markers on RBD, iSCSI, AzureDisk and ScaleIO sources).
 */
function defaultLegacyDriverFields(source: Fields): void {
  const rbd = child(source, 'rbd');
  if (rbd) {
    defaultString(rbd, 'pool', 'rbd');
    defaultString(rbd, 'user', 'admin');
    defaultString(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const iscsi = child(source, 'iscsi');
  if (iscsi) defaultString(iscsi, 'iscsiInterface', 'default');
  const azureDisk = child(source, 'azureDisk');
  if (azureDisk) {
    defaultPointer(azureDisk, 'cachingMode', 'ReadWrite');
    defaultPointer(azureDisk, 'kind', 'Shared');
    defaultPointer(azureDisk, 'fsType', 'ext4');
    defaultPointer(azureDisk, 'readOnly', false);
  }
  const scaleIO = child(source, 'scaleIO');
  if (scaleIO) {
    defaultString(scaleIO, 'storageMode', 'ThinProvisioned');
    defaultString(scaleIO, 'fsType', 'xfs');
  }
}

/** The volume sources of a PersistentVolumeSpec (also inline in a VolumeAttachment). */
export function defaultPersistentVolumeSource(spec: Fields): void {
  const hostPath = child(spec, 'hostPath');
  if (hostPath) defaultHostPath(hostPath);
  defaultLegacyDriverFields(spec);
}

/** SetDefaults_PersistentVolume: a new volume is Pending until the binder sees it. */
export function defaultPersistentVolume(pv: Fields): void {
  defaultString(ensureChild(pv, 'status'), 'phase', 'Pending');
  const spec = ensureChild(pv, 'spec');
  defaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  defaultPointer(spec, 'volumeMode', 'Filesystem');
  defaultPersistentVolumeSource(spec);
}

/** SetDefaults_PersistentVolumeClaim + its spec (also for StatefulSet volumeClaimTemplates). */
export function defaultPersistentVolumeClaim(pvc: Fields): void {
  defaultString(ensureChild(pvc, 'status'), 'phase', 'Pending');
  defaultPersistentVolumeClaimSpec(ensureChild(pvc, 'spec'));
}

export function defaultPersistentVolumeClaimSpec(spec: Fields): void {
  defaultPointer(spec, 'volumeMode', 'Filesystem');
}
