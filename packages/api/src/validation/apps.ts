// apps/v1: Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions
// (pkg/apis/apps/validation and the apps registry strategies).
import type { JsonObject, JsonValue } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid, notSupported, required } from './field-error.ts';
import { go, goIntOrString, goLabelSelector, goStringMap, goStruct, goQuote } from './go-format.ts';
import type { Json } from './json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, semanticEqual, stringAt, stringList } from './json.ts';
import { isQualifiedName, isValidLabelValue, isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain } from './names.ts';
import {
  selectorIsEmpty,
  selectorMatches,
  validateAnnotations,
  validateImmutable,
  validateLabelSelector,
  validateLabels,
  validateNonnegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.ts';
import { validatePodSpecificAnnotations, validatePodTemplateSpec } from './core/pod-spec.ts';

const SPEC = FieldPath.root('spec');

/** Whether metav1.LabelSelectorAsSelector would accept the selector (known operators, valid keys
 *  and values, values present exactly when the operator needs them). */
export function selectorConvertible(selector: Json): boolean {
  if (selector === undefined || selector === null) return true;
  const sel = objectAt(selector);
  for (const [key, value] of Object.entries(objectAt(sel.matchLabels))) {
    if (isQualifiedName(key).length > 0 || isValidLabelValue(String(value)).length > 0) return false;
  }
  for (const item of listAt(sel.matchExpressions)) {
    const req = objectAt(item);
    const values = stringList(req.values);
    const operator = stringAt(req.operator);
    if (isQualifiedName(stringAt(req.key)).length > 0) return false;
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) return false;
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) return false;
    } else {
      return false;
    }
    if (values.some((v) => isValidLabelValue(v).length > 0)) return false;
  }
  return true;
}

/** The template's labels must satisfy a non-empty selector (a nil selector matches nothing). */
function templateLabelsMismatch(selector: Json, template: JsonObject, path: FieldPath): FieldError[] {
  const isNil = selector === undefined || selector === null;
  if (!isNil && selectorIsEmpty(selector)) return [];
  const labels = objectAt(template.metadata).labels;
  return selectorMatches(selector, labels) ? [] : [invalid(path.child('metadata', 'labels'), go(goStringMap(labels)), '`selector` does not match template `labels`')];
}

/** The selector of a controller: required, valid, and not empty. */
function validateControllerSelector(selector: Json, kind: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(SPEC.child('selector'))];
  const errs = validateLabelSelector(selector, SPEC.child('selector'));
  if (selectorIsEmpty(selector)) errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(selector)), `empty selector is invalid for ${kind}`));
  return errs;
}

function validateTemplateForReplicas(spec: JsonObject, kind: string): FieldError[] {
  const templatePath = SPEC.child('template');
  const template = objectAt(spec.template);
  const errs = templateLabelsMismatch(spec.selector, template, templatePath);
  errs.push(...validatePodTemplateSpec(template, templatePath));
  const podSpec = objectAt(template.spec);
  const restartPolicy = stringAt(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(templatePath.child('spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** getIntOrPercentValue: a valid percent's number, else IntValue() (a string goes through Atoi, 0 on failure). */
function intOrPercentValue(value: JsonValue | undefined): number {
  if (typeof value === 'string') {
    if (isValidPercent(value).length === 0) return Number(value.slice(0, -1));
    return /^[+-]?[0-9]+$/.test(value) ? Number(value) : 0;
  }
  return typeof value === 'number' ? value : 0;
}

/** ValidatePositiveIntOrPercent: a non-negative number or a "N%" string. */
export function validatePositiveIntOrPercent(value: JsonValue | undefined, path: FieldPath): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((m) => invalid(path, go(goIntOrString(value)), m));
  return validateNonnegative(typeof value === 'number' ? value : 0, path);
}

export function isNotMoreThan100Percent(value: JsonValue | undefined, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || isValidPercent(value).length > 0) return [];
  return intOrPercentValue(value) > 100 ? [invalid(path, go(goIntOrString(value)), 'must not be greater than 100%')] : [];
}

function goStrategy(strategy: JsonObject, typeName: string): string {
  const rolling = optionalObject(strategy.rollingUpdate);
  return goStruct(typeName, [
    ['Type', goQuote(stringAt(strategy.type))],
    ['RollingUpdate', rolling ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)'],
  ]);
}

function validateDeploymentStrategy(strategy: JsonObject, path: FieldPath): FieldError[] {
  const type = stringAt(strategy.type);
  const rolling = optionalObject(strategy.rollingUpdate);
  if (type === 'Recreate') return rolling ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  if (type !== 'RollingUpdate') return [notSupported(path, go(goStrategy(strategy, 'apps.DeploymentStrategy')), ['Recreate', 'RollingUpdate'])];
  if (!rolling) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
  const rollingPath = path.child('rollingUpdate');
  const errs = validatePositiveIntOrPercent(rolling.maxUnavailable, rollingPath.child('maxUnavailable'));
  errs.push(...validatePositiveIntOrPercent(rolling.maxSurge, rollingPath.child('maxSurge')));
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
    errs.push(invalid(rollingPath.child('maxUnavailable'), go(goIntOrString(rolling.maxUnavailable)), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(rolling.maxUnavailable, rollingPath.child('maxUnavailable')));
  return errs;
}

function validateDeploymentSpec(spec: JsonObject): FieldError[] {
  const errs = validateNonnegative(optionalNumber(spec.replicas) ?? 0, SPEC.child('replicas'));
  errs.push(...validateControllerSelector(spec.selector, 'deployment'));
  if (!selectorConvertible(spec.selector)) errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(spec.selector)), 'invalid label selector'));
  else errs.push(...validateTemplateForReplicas(spec, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(objectAt(spec.strategy), SPEC.child('strategy')));
  const minReadySeconds = optionalNumber(spec.minReadySeconds) ?? 0;
  errs.push(...validateNonnegative(minReadySeconds, SPEC.child('minReadySeconds')));
  const history = optionalNumber(spec.revisionHistoryLimit);
  if (history !== undefined) errs.push(...validateNonnegative(history, SPEC.child('revisionHistoryLimit')));
  const deadline = optionalNumber(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errs.push(...validateNonnegative(deadline, SPEC.child('progressDeadlineSeconds')));
    if (deadline <= minReadySeconds) errs.push(invalid(SPEC.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(deployment: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(deployment.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateDeploymentSpec(objectAt(deployment.spec)));
  return errs;
}

/** For apps/v1 the strategies also freeze the selector. */
function validateSelectorImmutable(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  return validateImmutable(spec.selector, oldSpec.selector, SPEC.child('selector'), (v) => go(goLabelSelector(v)));
}

export function validateDeploymentUpdate(deployment: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(deployment.spec);
  const errs = validateObjectMetaUpdate(objectAt(deployment.metadata), objectAt(old.metadata));
  errs.push(...validateDeploymentSpec(spec));
  errs.push(...validateSelectorImmutable(spec, objectAt(old.spec)));
  return errs;
}

function validateReplicaSetSpec(spec: JsonObject): FieldError[] {
  const errs = validateNonnegative(optionalNumber(spec.replicas) ?? 0, SPEC.child('replicas'));
  errs.push(...validateNonnegative(optionalNumber(spec.minReadySeconds) ?? 0, SPEC.child('minReadySeconds')));
  errs.push(...validateControllerSelector(spec.selector, 'deployment'));
  if (!selectorConvertible(spec.selector)) errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(spec.selector)), 'invalid label selector'));
  else errs.push(...validateTemplateForReplicas(spec, 'ReplicaSet'));
  return errs;
}

export function validateReplicaSet(rs: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(rs.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateReplicaSetSpec(objectAt(rs.spec)));
  return errs;
}

export function validateReplicaSetUpdate(rs: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(rs.spec);
  const errs = validateObjectMetaUpdate(objectAt(rs.metadata), objectAt(old.metadata));
  errs.push(...validateReplicaSetSpec(spec));
  errs.push(...validateSelectorImmutable(spec, objectAt(old.spec)));
  return errs;
}

function validateStatefulSetSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const policy = stringAt(spec.podManagementPolicy);
  if (policy === '') errs.push(required(SPEC.child('podManagementPolicy')));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalid(SPEC.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
  const strategy = objectAt(spec.updateStrategy);
  const strategyType = stringAt(strategy.type);
  const rolling = optionalObject(strategy.rollingUpdate);
  const rollingPath = SPEC.child('updateStrategy', 'rollingUpdate');
  if (strategyType === '') errs.push(required(SPEC.child('updateStrategy')));
  else if (strategyType === 'OnDelete') {
    if (rolling) errs.push(invalid(rollingPath, go('&apps.RollingUpdateStatefulSetStrategy{...}'), "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategyType === 'RollingUpdate') {
    if (rolling) {
      errs.push(...validateNonnegative(optionalNumber(rolling.partition) ?? 0, rollingPath.child('partition')));
      if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null) {
        const maxPath = rollingPath.child('maxUnavailable');
        errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, maxPath));
        if (intOrPercentValue(rolling.maxUnavailable) === 0) errs.push(invalid(maxPath, go(goIntOrString(rolling.maxUnavailable)), 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(rolling.maxUnavailable, maxPath));
      }
    }
  } else {
    errs.push(invalid(SPEC.child('updateStrategy'), go('apps.StatefulSetUpdateStrategy{...}'), "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = optionalObject(spec.persistentVolumeClaimRetentionPolicy);
  if (retention) {
    for (const field of ['whenDeleted', 'whenScaled']) {
      const value = stringAt(retention[field]);
      if (value !== 'Retain' && value !== 'Delete') errs.push(notSupported(SPEC.child('persistentVolumeClaimRetentionPolicy', field), value, ['Retain', 'Delete']));
    }
  }
  errs.push(...validateNonnegative(optionalNumber(spec.replicas) ?? 0, SPEC.child('replicas')));
  errs.push(...validateNonnegative(optionalNumber(spec.minReadySeconds) ?? 0, SPEC.child('minReadySeconds')));
  const ordinals = optionalObject(spec.ordinals);
  if (ordinals) errs.push(...validateNonnegative(optionalNumber(ordinals.start) ?? 0, SPEC.child('ordinals.start')));
  if (spec.selector === undefined || spec.selector === null) errs.push(required(SPEC.child('selector')));
  else {
    errs.push(...validateLabelSelector(spec.selector, SPEC.child('selector')));
    if (selectorIsEmpty(spec.selector)) errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(spec.selector)), 'empty selector is invalid for statefulset'));
  }
  const template = objectAt(spec.template);
  const templatePath = SPEC.child('template');
  if (!selectorConvertible(spec.selector)) errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(spec.selector)), ''));
  else {
    // k8s checks only the template's labels and annotations here (its volumes come partly from
    // volumeClaimTemplates), not the pod spec.
    errs.push(...templateLabelsMismatch(spec.selector, template, templatePath));
    const meta = objectAt(template.metadata);
    errs.push(...validateLabels(meta.labels, templatePath.child('labels')));
    errs.push(...validateAnnotations(meta.annotations, templatePath.child('annotations')));
    errs.push(...validatePodSpecificAnnotations(meta.annotations, objectAt(template.spec), templatePath.child('annotations')));
  }
  const podSpec = objectAt(template.spec);
  const restartPolicy = stringAt(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(templatePath.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

export function validateStatefulSet(sts: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(sts.metadata), true, nameIsDNSLabel);
  errs.push(...validateStatefulSetSpec(objectAt(sts.spec)));
  return errs;
}

const STATEFULSET_MUTABLE = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

export function validateStatefulSetUpdate(sts: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateStatefulSet(sts);
  errs.push(...validateObjectMetaUpdate(objectAt(sts.metadata), objectAt(old.metadata)));
  const spec = objectAt(sts.spec);
  errs.push(...validateStatefulSetSpec(spec));
  const oldSpec = objectAt(old.spec);
  const frozen = (s: JsonObject) => Object.fromEntries(Object.entries(s).filter(([k]) => !STATEFULSET_MUTABLE.includes(k)));
  if (!semanticEqual(frozen(spec), frozen(oldSpec))) {
    errs.push(
      forbidden(SPEC, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
    );
  }
  return errs;
}

function validateDaemonSetSpec(spec: JsonObject): FieldError[] {
  const errs = validateLabelSelector(spec.selector, SPEC.child('selector'));
  const template = objectAt(spec.template);
  const templatePath = SPEC.child('template');
  if (selectorConvertible(spec.selector)) {
    const nil = spec.selector === undefined || spec.selector === null;
    const labels = objectAt(template.metadata).labels;
    if (nil || !selectorMatches(spec.selector, labels) && !selectorIsEmpty(spec.selector)) {
      errs.push(invalid(templatePath.child('metadata', 'labels'), go(goStringMap(labels)), '`selector` does not match template `labels`'));
    }
  }
  if (!(spec.selector === undefined || spec.selector === null) && selectorIsEmpty(spec.selector)) {
    errs.push(invalid(SPEC.child('selector'), go(goLabelSelector(spec.selector)), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(template, templatePath));
  const podSpec = objectAt(template.spec);
  const restartPolicy = stringAt(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(templatePath.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...validateNonnegative(optionalNumber(spec.minReadySeconds) ?? 0, SPEC.child('minReadySeconds')));
  errs.push(...validateDaemonSetUpdateStrategy(objectAt(spec.updateStrategy), SPEC.child('updateStrategy')));
  const history = optionalNumber(spec.revisionHistoryLimit);
  if (history !== undefined) errs.push(...validateNonnegative(history, SPEC.child('revisionHistoryLimit')));
  return errs;
}

function validateDaemonSetUpdateStrategy(strategy: JsonObject, path: FieldPath): FieldError[] {
  const type = stringAt(strategy.type);
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') {
    return [notSupported(path, go(goStrategy(strategy, 'apps.DaemonSetUpdateStrategy').replace('RollingUpdateDeployment', 'RollingUpdateDaemonSet')), ['RollingUpdate', 'OnDelete'])];
  }
  const rolling = optionalObject(strategy.rollingUpdate);
  if (!rolling) return [required(path.child('rollingUpdate'))];
  const rollingPath = path.child('rollingUpdate');
  const errs = validatePositiveIntOrPercent(rolling.maxUnavailable, rollingPath.child('maxUnavailable'));
  errs.push(...validatePositiveIntOrPercent(rolling.maxSurge, rollingPath.child('maxSurge')));
  errs.push(...isNotMoreThan100Percent(rolling.maxUnavailable, rollingPath.child('maxUnavailable')));
  errs.push(...isNotMoreThan100Percent(rolling.maxSurge, rollingPath.child('maxSurge')));
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(rollingPath.child('maxSurge'), go(goIntOrString(rolling.maxSurge)), 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(rollingPath.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

export function validateDaemonSet(ds: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(ds.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateDaemonSetSpec(objectAt(ds.spec)));
  return errs;
}

export function validateDaemonSetUpdate(ds: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(ds.spec);
  const errs = validateObjectMetaUpdate(objectAt(ds.metadata), objectAt(old.metadata));
  errs.push(...validateDaemonSetSpec(spec));
  errs.push(...validateSelectorImmutable(spec, objectAt(old.spec)));
  return errs;
}

export function validateControllerRevision(revision: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(revision.metadata), true, nameIsDNSSubdomain);
  if (revision.data === undefined || revision.data === null) errs.push(required(FieldPath.root('data'), 'data is mandatory'));
  errs.push(...validateNonnegative(optionalNumber(revision.revision) ?? 0, FieldPath.root('revision')));
  return errs;
}

export function validateControllerRevisionUpdate(revision: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(revision.metadata), objectAt(old.metadata));
  errs.push(...validateControllerRevision(revision));
  errs.push(...validateImmutable(revision.data, old.data, FieldPath.root('data'), () => go('runtime.RawExtension{...}')));
  return errs;
}
