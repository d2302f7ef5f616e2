// The smaller core kinds: ServiceAccounts, Endpoints, Events, PodTemplates, ReplicationControllers.
import type { JsonObject } from '../../object.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, notSupported, required } from '../field-error.ts';
import { go, goStringMap } from '../go-format.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, sortedEntries, stringAt } from '../json.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidPortNum, nameIsDNSSubdomain } from '../names.ts';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';
import { PORT_PROTOCOLS, validateDNS1123Label } from './containers.ts';
import { validateIP, validatePodTemplateSpec } from './pod-spec.ts';
import { validateNonSpecialIP } from './service.ts';

export function validateServiceAccount(sa: JsonObject): FieldError[] {
  return validateObjectMeta(objectAt(sa.metadata), true, nameIsDNSSubdomain);
}

export function validateServiceAccountUpdate(sa: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(objectAt(sa.metadata), objectAt(old.metadata)), ...validateServiceAccount(sa)];
}

function validateEndpointAddress(address: JsonObject, path: FieldPath): FieldError[] {
  const ip = stringAt(address.ip);
  const errs = validateIP(ip, path.child('ip'));
  const hostname = stringAt(address.hostname);
  if (hostname !== '') errs.push(...validateDNS1123Label(hostname, path.child('hostname')));
  const nodeName = optionalString(address.nodeName);
  if (nodeName !== undefined) errs.push(...invalidEach(path.child('nodeName'), nodeName, nameIsDNSSubdomain(nodeName, false)));
  errs.push(...validateNonSpecialIP(ip, path.child('ip')));
  return errs;
}

export function validateEndpoints(endpoints: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(endpoints.metadata), true, nameIsDNSSubdomain);
  listAt(endpoints.subsets).forEach((item, i) => {
    const subset = objectAt(item);
    const path = FieldPath.root('subsets').index(i);
    if (listAt(subset.addresses).length === 0 && listAt(subset.notReadyAddresses).length === 0) {
      errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const field of ['addresses', 'notReadyAddresses']) {
      listAt(subset[field]).forEach((address, j) => errs.push(...validateEndpointAddress(objectAt(address), path.child(field).index(j))));
    }
    const ports = listAt(subset.ports);
    ports.forEach((p, j) => {
      const port = objectAt(p);
      const portPath = path.child('ports').index(j);
      const name = stringAt(port.name);
      if (ports.length > 1 && name === '') errs.push(required(portPath.child('name')));
      else if (name !== '') errs.push(...validateDNS1123Label(name, portPath.child('name')));
      const number = optionalNumber(port.port) ?? 0;
      errs.push(...invalidEach(portPath.child('port'), number, isValidPortNum(number)));
      const protocol = stringAt(port.protocol);
      if (protocol === '') errs.push(required(portPath.child('protocol')));
      else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(portPath.child('protocol'), protocol, PORT_PROTOCOLS));
      const appProtocol = optionalString(port.appProtocol);
      if (appProtocol !== undefined) errs.push(...invalidEach(portPath.child('appProtocol'), appProtocol, isQualifiedName(appProtocol)));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(endpoints: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(objectAt(endpoints.metadata), objectAt(old.metadata)), ...validateEndpoints(endpoints)];
}

/** An Event in the internal field names k8s reports (reportingController, message, involvedObject …),
 *  read from either the core v1 or the events.k8s.io/v1 shape. */
interface EventFields {
  namespace: string;
  eventTimeSet: boolean;
  involvedNamespace: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
}

function coreEventFields(event: JsonObject): EventFields {
  return {
    namespace: stringAt(objectAt(event.metadata).namespace),
    eventTimeSet: typeof event.eventTime === 'string' && event.eventTime !== '',
    involvedNamespace: stringAt(objectAt(event.involvedObject).namespace),
    reportingController: stringAt(event.reportingComponent),
    reportingInstance: stringAt(event.reportingInstance),
    action: stringAt(event.action),
    reason: stringAt(event.reason),
    message: stringAt(event.message),
  };
}

function eventsV1Fields(event: JsonObject): EventFields {
  return {
    namespace: stringAt(objectAt(event.metadata).namespace),
    eventTimeSet: typeof event.eventTime === 'string' && event.eventTime !== '',
    involvedNamespace: stringAt(objectAt(event.regarding).namespace),
    reportingController: stringAt(event.reportingController),
    reportingInstance: stringAt(event.reportingInstance),
    action: stringAt(event.action),
    reason: stringAt(event.reason),
    message: stringAt(event.note),
  };
}

/** legacyValidateEvent: the checks every Event gets, whatever API version wrote it. */
function legacyValidateEvent(e: EventFields, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const involved = FieldPath.root('involvedObject', 'namespace');
  if (!e.eventTimeSet) {
    if (e.involvedNamespace === '') {
      if (e.namespace !== '' && e.namespace !== 'default') errs.push(invalid(involved, e.involvedNamespace, 'does not match event.namespace'));
    } else if (e.namespace !== e.involvedNamespace) {
      errs.push(invalid(involved, e.involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (e.involvedNamespace === '' && e.namespace !== 'default' && e.namespace !== 'kube-system') {
      errs.push(invalid(involved, e.involvedNamespace, 'does not match event.namespace'));
    }
    const reportingPath = FieldPath.root(reportingField);
    if (e.reportingController === '') errs.push(required(reportingPath));
    errs.push(...invalidEach(reportingPath, e.reportingController, isQualifiedName(e.reportingController)));
    if (e.reportingInstance === '') errs.push(required(FieldPath.root('reportingInstance')));
    if (e.reportingInstance.length > 128) errs.push(invalid(FieldPath.root('reportingInstance'), '', 'can have at most 128 characters'));
    if (e.action === '') errs.push(required(FieldPath.root('action')));
    if (e.action.length > 128) errs.push(invalid(FieldPath.root('action'), '', 'can have at most 128 characters'));
    if (e.reason === '') errs.push(required(FieldPath.root('reason')));
    if (e.reason.length > 128) errs.push(invalid(FieldPath.root('reason'), '', 'can have at most 128 characters'));
    if (e.message.length > 1024) errs.push(invalid(FieldPath.root('message'), '', 'can have at most 1024 characters'));
  }
  errs.push(...invalidEach(FieldPath.root('namespace'), e.namespace, isDNS1123Subdomain(e.namespace)));
  return errs;
}

/** Core v1 Events get only the legacy checks (k8s does not even validate their metadata here). */
export function validateCoreEvent(event: JsonObject): FieldError[] {
  return legacyValidateEvent(coreEventFields(event), 'reportingComponent');
}

export function validateEventsV1Event(event: JsonObject): FieldError[] {
  const e = eventsV1Fields(event);
  const errs = legacyValidateEvent(e, 'reportingController');
  errs.push(...validateObjectMeta(objectAt(event.metadata), true, nameIsDNSSubdomain));
  const series = optionalObject(event.series);
  if (series) {
    if ((optionalNumber(series.count) ?? 0) < 2) errs.push(invalid(FieldPath.root('series.count'), '', 'should be at least 2'));
    if (!series.lastObservedTime) errs.push(required(FieldPath.root('series.lastObservedTime')));
  }
  if (!e.eventTimeSet) errs.push(required(FieldPath.root('eventTime')));
  const type = stringAt(event.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid(FieldPath.root('type'), '', `has invalid value: ${type}`));
  if (event.deprecatedFirstTimestamp) errs.push(invalid(FieldPath.root('firstTimestamp'), '', 'needs to be unset'));
  if (event.deprecatedLastTimestamp) errs.push(invalid(FieldPath.root('lastTimestamp'), '', 'needs to be unset'));
  if ((optionalNumber(event.deprecatedCount) ?? 0) !== 0) errs.push(invalid(FieldPath.root('count'), '', 'needs to be unset'));
  const source = objectAt(event.deprecatedSource);
  if (stringAt(source.component) !== '' || stringAt(source.host) !== '') errs.push(invalid(FieldPath.root('source'), '', 'needs to be unset'));
  return errs;
}

/** events.k8s.io/v1 updates: what happened may not be rewritten. */
export function validateEventsV1EventUpdate(event: JsonObject, old: JsonObject): FieldError[] {
  const errs = legacyValidateEvent(eventsV1Fields(event), 'reportingController');
  errs.push(...validateObjectMetaUpdate(objectAt(event.metadata), objectAt(old.metadata)));
  const immutable: [string, string][] = [
    ['regarding', 'involvedObject'], ['reason', 'reason'], ['note', 'message'], ['deprecatedSource', 'source'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
    ['reason', 'reason'], ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'], ['related', 'related'],
    ['reportingController', 'reportingController'], ['reportingInstance', 'reportingInstance'],
  ];
  for (const [field, name] of immutable) errs.push(...validateImmutable(event[field], old[field], FieldPath.root(name)));
  return errs;
}

export function validatePodTemplate(template: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(template.metadata), true, nameIsDNSSubdomain);
  errs.push(...validatePodTemplateSpec(objectAt(template.template), FieldPath.root('template')));
  return errs;
}

export function validatePodTemplateUpdate(template: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(template.metadata), objectAt(old.metadata));
  errs.push(...validatePodTemplateSpec(objectAt(template.template), FieldPath.root('template')));
  return errs;
}

function selectorMatchesLabels(selector: JsonObject, labels: JsonObject): boolean {
  return sortedEntries(selector).every(([k, v]) => labels[k] === v);
}

export function validateReplicationController(rc: JsonObject): FieldError[] {
  const spec = objectAt(rc.spec);
  const path = FieldPath.root('spec');
  const errs = validateObjectMeta(objectAt(rc.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateNonnegative(optionalNumber(spec.minReadySeconds) ?? 0, path.child('minReadySeconds')));
  const selector = objectAt(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(required(path.child('selector')));
  errs.push(...validateNonnegative(optionalNumber(spec.replicas) ?? 0, path.child('replicas')));
  const template = optionalObject(spec.template);
  if (!template) {
    errs.push(required(path.child('template')));
    return errs;
  }
  const labels = objectAt(objectAt(template.metadata).labels);
  if (Object.keys(selector).length > 0 && !selectorMatchesLabels(selector, labels)) {
    errs.push(invalid(path.child('template', 'metadata', 'labels'), go(goStringMap(objectAt(template.metadata).labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path.child('template')));
  const templateSpec = objectAt(template.spec);
  const restartPolicy = stringAt(templateSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(path.child('template', 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (templateSpec.activeDeadlineSeconds !== undefined && templateSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(path.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export function validateReplicationControllerUpdate(rc: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(objectAt(rc.metadata), objectAt(old.metadata)), ...validateReplicationController(rc)];
}
