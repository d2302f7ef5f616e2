// Pods: ValidatePodCreate and ValidatePodUpdate. A running pod's spec is almost frozen: only
// images, activeDeadlineSeconds (downwards), new tolerations, removed scheduling gates and a
// negative terminationGracePeriodSeconds → 1 may change.
import type { JsonObject, JsonValue } from '../../object.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, forbidden, invalid, required } from '../field-error.ts';
import { inclusiveRangeError, nameIsDNSSubdomain } from '../names.ts';
import { listAt, objectAt, optionalNumber, semanticEqual, stringAt } from '../json.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import { validateContainersOnlyForPod } from './containers.ts';
import { validatePodSpec, validatePodSpecificAnnotations } from './pod-spec.ts';
import { validateTolerations } from './scheduling.ts';
import { quantityAt } from './resources.ts';
import { compareQuantities, sign } from '../quantity.ts';

const META = FieldPath.root('metadata');
const SPEC = FieldPath.root('spec');
const MAX_INT32 = 2147483647;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validatePodMetadataAndSpec(pod: JsonObject): FieldError[] {
  const meta = objectAt(pod.metadata);
  const spec = objectAt(pod.spec);
  const errs = validateObjectMeta(meta, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, META.child('annotations')));
  errs.push(...validatePodSpec(spec, SPEC, { podName: stringAt(meta.name), resourceIsPod: true }));
  if (stringAt(spec.serviceAccountName) === '') {
    listAt(spec.volumes).forEach((volume, vi) => {
      listAt(objectAt(objectAt(volume).projected).sources).forEach((source, si) => {
        if (objectAt(source).serviceAccountToken) {
          errs.push(forbidden(SPEC.child('volumes').index(vi).child('projected', 'sources').index(si).child('serviceAccountToken'), 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  errs.push(...validateContainersOnlyForPod(spec.containers, SPEC.child('containers')));
  errs.push(...validateContainersOnlyForPod(spec.initContainers, SPEC.child('initContainers')));
  return errs;
}

export function validatePodCreate(pod: JsonObject): FieldError[] {
  const spec = objectAt(pod.spec);
  const errs = validatePodMetadataAndSpec(pod);
  if (listAt(spec.ephemeralContainers).length > 0) errs.push(forbidden(SPEC.child('ephemeralContainers'), 'cannot be set on create'));
  if (stringAt(spec.nodeName) !== '' && listAt(spec.schedulingGates).length > 0) {
    errs.push(forbidden(SPEC.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

function validateContainerUpdates(containers: JsonValue | undefined, old: JsonValue | undefined, path: FieldPath): { errs: FieldError[]; stop: boolean } {
  const list = listAt(containers);
  if (list.length !== listAt(old).length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const image = stringAt(objectAt(c).image);
    if (image === '') errs.push(required(path.index(i).child('image')));
    if (image.trim().length !== image.length) errs.push(invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateAnnotationUpdates(meta: JsonObject, oldMeta: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const annotations = objectAt(meta.annotations);
  const oldAnnotations = objectAt(oldMeta.annotations);
  const path = META.child('annotations');
  for (const key of Object.keys(oldAnnotations).sort()) {
    if (key in annotations && annotations[key] === oldAnnotations[key]) continue;
    if (key.startsWith(APPARMOR_PREFIX)) errs.push(forbidden(path.key(key), 'may not remove or update AppArmor annotations'));
    if (key === MIRROR_POD_ANNOTATION) errs.push(forbidden(path.key(key), 'may not remove or update mirror pod annotation'));
  }
  for (const key of Object.keys(annotations).sort()) {
    if (key in oldAnnotations) continue;
    if (key.startsWith(APPARMOR_PREFIX)) errs.push(forbidden(path.key(key), 'may not add AppArmor annotations'));
    if (key === MIRROR_POD_ANNOTATION) errs.push(forbidden(path.key(key), 'may not add mirror pod annotation'));
  }
  return errs;
}

/** Existing tolerations may only gain a different tolerationSeconds; new ones may be added. */
function validateOnlyAddedTolerations(tolerations: JsonValue | undefined, old: JsonValue | undefined, path: FieldPath): FieldError[] {
  const current = listAt(tolerations).map(objectAt);
  for (const previous of listAt(old).map(objectAt)) {
    const found = current.some((t) => semanticEqual({ ...previous, tolerationSeconds: t.tolerationSeconds ?? null }, { ...t, tolerationSeconds: t.tolerationSeconds ?? null }));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(tolerations, path);
}

function validateOnlyDeletedSchedulingGates(gates: JsonValue | undefined, old: JsonValue | undefined, path: FieldPath): FieldError[] {
  const oldNames = new Set(listAt(old).map((g) => stringAt(objectAt(g).name)));
  const added = new Map<string, number>();
  listAt(gates).forEach((g, i) => added.set(stringAt(objectAt(g).name), i));
  const errs: FieldError[] = [];
  for (const [name, i] of added) {
    if (!oldNames.has(name)) errs.push(forbidden(path.index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${name}'`));
  }
  return errs;
}

type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's QoS class from its containers' cpu/memory requests and limits. */
function computeQOS(spec: JsonObject): QOSClass {
  const containers = [...listAt(spec.containers), ...listAt(spec.initContainers)].map(objectAt);
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    const resources = objectAt(container.resources);
    const requests = objectAt(resources.requests);
    const limits = objectAt(resources.limits);
    for (const name of ['cpu', 'memory']) {
      const request = requests[name] !== undefined ? quantityAt(requests[name]) : undefined;
      const limit = limits[name] !== undefined ? quantityAt(limits[name]) : undefined;
      if ((request && sign(request) !== 0) || (limit && sign(limit) !== 0)) any = true;
      if (!limit || sign(limit) === 0) guaranteed = false;
      else if (request && compareQuantities(request, limit) !== 0) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function validatePodUpdate(pod: JsonObject, old: JsonObject): FieldError[] {
  const meta = objectAt(pod.metadata);
  const oldMeta = objectAt(old.metadata);
  const spec = objectAt(pod.spec);
  const oldSpec = objectAt(old.spec);
  const errs = validateObjectMetaUpdate(meta, oldMeta);
  errs.push(...validatePodMetadataAndSpec(pod));
  errs.push(...validateAnnotationUpdates(meta, oldMeta));
  for (const field of ['containers', 'initContainers']) {
    const { errs: containerErrs, stop } = validateContainerUpdates(spec[field], oldSpec[field], SPEC.child(field));
    errs.push(...containerErrs);
    if (stop) return errs;
  }
  const deadline = optionalNumber(spec.activeDeadlineSeconds);
  const oldDeadline = optionalNumber(oldSpec.activeDeadlineSeconds);
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) {
      errs.push(invalid(SPEC.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oldDeadline !== undefined && oldDeadline < deadline) {
      errs.push(invalid(SPEC.child('activeDeadlineSeconds'), deadline, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldDeadline !== undefined) {
    errs.push(invalid(SPEC.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, SPEC.child('tolerations')));
  errs.push(...validateOnlyDeletedSchedulingGates(spec.schedulingGates, oldSpec.schedulingGates, SPEC.child('schedulingGates')));
  if (semanticEqual(spec, oldSpec)) return errs;

  const oldQOS = stringAt(objectAt(old.status).qosClass) || computeQOS(oldSpec);
  if (oldQOS !== computeQOS(spec)) errs.push(invalid(META, stringAt(objectAt(pod.status).qosClass), 'Pod QoS is immutable'));

  const munged = mungedSpec(spec, oldSpec);
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(forbidden(SPEC, `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(',')}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

/** The new spec with the fields a pod update may change taken from the old one. */
function mungedSpec(spec: JsonObject, old: JsonObject): JsonObject {
  const withOldImages = (field: string) =>
    listAt(spec[field]).map((c, i) => ({ ...objectAt(c), image: objectAt(listAt(old[field])[i]).image ?? null }));
  const munged: JsonObject = { ...spec, containers: withOldImages('containers'), initContainers: withOldImages('initContainers') };
  for (const field of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    if (old[field] === undefined) delete munged[field];
    else munged[field] = old[field];
  }
  const oldGrace = optionalNumber(old.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && optionalNumber(munged.terminationGracePeriodSeconds) === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  return munged;
}

/** A short diff of the top-level spec fields that differ, in the spirit of the go-cmp diff k8s
 *  appends (which prints Go values; JSON is shown here). */
function specDiff(old: JsonObject, updated: JsonObject): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(updated)])].sort();
  for (const key of keys) {
    if (semanticEqual(old[key], updated[key])) continue;
    const field = key.charAt(0).toUpperCase() + key.slice(1);
    if (old[key] !== undefined) lines.push(`- \t${field}: ${JSON.stringify(old[key])},`);
    if (updated[key] !== undefined) lines.push(`+ \t${field}: ${JSON.stringify(updated[key])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}
