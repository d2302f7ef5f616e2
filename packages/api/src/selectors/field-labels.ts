// Which fields each resource can be selected by, and their values for one object. Two k8s
// tables meet here: the field label conversion funcs registered per kind (which labels the
// apiserver accepts, and the error for the rest) and each registry's GetAttrs (the values).
import type { KubeObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { goQuote } from './go-text.ts';
import type { FieldRequirement } from './field-selector.ts';
import { SelectorError } from './selector-error.ts';

type FieldValues = (obj: KubeObject) => Record<string, string>;

interface FieldLabelRules {
  /** Accepted labels beyond metadata.*; the values function returns one entry per label it knows. */
  readonly labels: readonly string[];
  /** Whether the kind's conversion func accepts metadata.namespace (nodes, namespaces and CSRs do not). */
  readonly namespaceLabel: boolean;
  readonly values: FieldValues;
  readonly reject: (label: string) => string;
}

/** The message of most registered conversion funcs. */
const notSupported = (label: string): string => `field label not supported: ${label}`;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Nested JSON lookup; missing or mistyped steps yield undefined. */
function at(obj: unknown, ...path: string[]): unknown {
  let current = obj;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** An int32 status counter as strconv.Itoa prints it (0 when unset). */
function count(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? String(value) : '0';
}

function podFields(pod: KubeObject): Record<string, string> {
  const podIPs = at(pod, 'status', 'podIPs');
  // v1 → internal conversion fills podIPs from podIP when only the old field is set.
  const firstIP = Array.isArray(podIPs) && podIPs.length > 0 ? text(at(podIPs[0], 'ip')) : text(at(pod, 'status', 'podIP'));
  const nodeName = text(at(pod, 'spec', 'nodeName'));
  return {
    'spec.nodeName': nodeName,
    'spec.host': nodeName, // old clients' name for spec.nodeName, converted by the apiserver
    'spec.restartPolicy': text(at(pod, 'spec', 'restartPolicy')),
    'spec.schedulerName': text(at(pod, 'spec', 'schedulerName')),
    'spec.serviceAccountName': text(at(pod, 'spec', 'serviceAccountName')),
    'spec.hostNetwork': at(pod, 'spec', 'hostNetwork') === true ? 'true' : 'false',
    'status.phase': text(at(pod, 'status', 'phase')),
    'status.podIP': firstIP,
    'status.nominatedNodeName': text(at(pod, 'status', 'nominatedNodeName')),
    // status.podIPs is accepted but has no value in k8s' field set, so it is always "".
  };
}

const EVENT_OBJECT_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** Core/v1 and events.k8s.io/v1 events share one storage; read either shape. */
function eventFields(event: KubeObject, prefix: 'involvedObject' | 'regarding'): Record<string, string> {
  const regarding = at(event, 'involvedObject') ?? at(event, 'regarding');
  const reportingController = text(at(event, 'reportingComponent') ?? at(event, 'reportingController'));
  const sourceComponent = text(at(event, 'source', 'component') ?? at(event, 'deprecatedSource', 'component'));
  const fields: Record<string, string> = {};
  for (const name of EVENT_OBJECT_FIELDS) {
    fields[`${prefix}.${name}`] = text(at(regarding, name));
  }
  fields.reason = text(at(event, 'reason'));
  fields[prefix === 'involvedObject' ? 'reportingComponent' : 'reportingController'] = reportingController;
  fields.source = sourceComponent || reportingController;
  fields.type = text(at(event, 'type'));
  return fields;
}

/** Keyed by "group/resource" ("" is the core group). */
const RULES: Record<string, FieldLabelRules> = {
  '/pods': {
    labels: [
      'spec.nodeName',
      'spec.host',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    namespaceLabel: true,
    values: podFields,
    reject: notSupported,
  },
  '/nodes': {
    labels: ['spec.unschedulable'],
    namespaceLabel: false,
    values: (node) => ({ 'spec.unschedulable': at(node, 'spec', 'unschedulable') === true ? 'true' : 'false' }),
    reject: notSupported,
  },
  '/replicationcontrollers': {
    labels: ['status.replicas'],
    namespaceLabel: true,
    values: (rc) => ({ 'status.replicas': count(at(rc, 'status', 'replicas')) }),
    reject: notSupported,
  },
  '/events': {
    labels: [...EVENT_OBJECT_FIELDS.map((f) => `involvedObject.${f}`), 'reason', 'reportingComponent', 'source', 'type'],
    namespaceLabel: true,
    values: (event) => eventFields(event, 'involvedObject'),
    reject: notSupported,
  },
  '/namespaces': {
    labels: ['status.phase'],
    namespaceLabel: false,
    values: (ns) => ({ 'status.phase': text(at(ns, 'status', 'phase')) }),
    reject: notSupported,
  },
  '/secrets': {
    labels: ['type'],
    namespaceLabel: true,
    values: (secret) => ({ type: text(at(secret, 'type')) }),
    reject: notSupported,
  },
  '/services': {
    labels: ['spec.clusterIP', 'spec.type'],
    namespaceLabel: true,
    values: (service) => ({
      'spec.clusterIP': text(at(service, 'spec', 'clusterIP')),
      'spec.type': text(at(service, 'spec', 'type')),
    }),
    reject: notSupported,
  },
  'batch/jobs': {
    labels: ['status.successful'],
    namespaceLabel: true,
    values: (job) => ({ 'status.successful': count(at(job, 'status', 'succeeded')) }),
    reject: (label) => `field label ${goQuote(label)} not supported for batchv1.Job`,
  },
  'certificates.k8s.io/certificatesigningrequests': {
    labels: ['spec.signerName'],
    namespaceLabel: false,
    values: (csr) => ({ 'spec.signerName': text(at(csr, 'spec', 'signerName')) }),
    reject: notSupported,
  },
  'events.k8s.io/events': {
    labels: [...EVENT_OBJECT_FIELDS.map((f) => `regarding.${f}`), 'reason', 'reportingController', 'source', 'type'],
    namespaceLabel: true,
    values: (event) => eventFields(event, 'regarding'),
    reject: notSupported,
  },
};

/** runtime.DefaultMetaV1FieldSelectorConversion: every other kind, including CRDs. */
const DEFAULT_RULES: FieldLabelRules = {
  labels: [],
  namespaceLabel: true,
  values: () => ({}),
  reject: (label) => `${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

function rulesFor(group: string, resource: string): FieldLabelRules {
  const key = `${group}/${resource}`;
  return Object.hasOwn(RULES, key) ? RULES[key] : DEFAULT_RULES;
}

let namespacedResources: Map<string, boolean> | undefined;

/** Namespaced per the registry; resources it does not know (CRDs) are taken as namespaced. */
function isNamespaced(group: string, resource: string): boolean {
  namespacedResources ??= new Map(schema.resources.map((r) => [`${r.group}/${r.resource}`, r.namespaced]));
  return namespacedResources.get(`${group}/${resource}`) ?? true;
}

const supportedCache = new Map<string, ReadonlySet<string>>();

/** The field labels the apiserver accepts in a fieldSelector for this resource. */
export function fieldSelectorSupported(group: string, resource: string): ReadonlySet<string> {
  const cacheKey = `${group}/${resource}`;
  let supported = supportedCache.get(cacheKey);
  if (supported === undefined) {
    const rules = rulesFor(group, resource);
    supported = new Set(['metadata.name', ...(rules.namespaceLabel ? ['metadata.namespace'] : []), ...rules.labels]);
    supportedCache.set(cacheKey, supported);
  }
  return supported;
}

/**
 * The selectable field values of one object, as the resource's GetAttrs computes them:
 * metadata.name, metadata.namespace for namespaced resources, and the resource's own fields.
 */
export function fieldsOf(group: string, resource: string, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
  if (isNamespaced(group, resource)) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
  return { ...rulesFor(group, resource).values(obj), ...fields };
}

/**
 * Rejects the first requirement on a field the resource cannot be selected by, with the
 * apiserver's 400 message, e.g. "field label not supported: spec.foo".
 */
export function validateFieldSelector(group: string, resource: string, requirements: readonly FieldRequirement[]): void {
  const supported = fieldSelectorSupported(group, resource);
  const rejected = requirements.find((r) => !supported.has(r.field));
  if (rejected !== undefined) throw new SelectorError(rulesFor(group, resource).reject(rejected.field));
}
