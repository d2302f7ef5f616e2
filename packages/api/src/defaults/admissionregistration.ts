// admissionregistration.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/admissionregistration/v1
// defaults.go): webhooks fail closed, match equivalent versions of a resource, select every
// namespace and object, and get ten seconds.
import type { JsonObject } from '../object.ts';
import { child, children, defaultPointer, descend, ensureChild, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

export const admissionregistrationV1Defaulters: KindDefaulters = {
  ValidatingWebhookConfiguration: (configuration) => defaultWebhooks(configuration, false),
  MutatingWebhookConfiguration: (configuration) => defaultWebhooks(configuration, true),
  ValidatingAdmissionPolicy: defaultValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding: (binding) => {
    const matchResources = descend(binding, 'spec', 'matchResources');
    if (matchResources) defaultMatchResources(matchResources);
  },
};

function defaultWebhooks(configuration: Fields, mutating: boolean): void {
  for (const webhook of children(configuration, 'webhooks')) {
    defaultPointer(webhook, 'failurePolicy', 'Fail');
    defaultPointer(webhook, 'matchPolicy', 'Equivalent');
    defaultPointer(webhook, 'namespaceSelector', {});
    defaultPointer(webhook, 'objectSelector', {});
    defaultPointer(webhook, 'timeoutSeconds', 10);
    // A mutating webhook is not called again after later mutations unless it asks to be.
    if (mutating) defaultPointer(webhook, 'reinvocationPolicy', 'Never');
    defaultRuleScopes(webhook, 'rules');
    const service = descend(webhook, 'clientConfig', 'service');
    if (service) defaultPointer(service, 'port', 443);
  }
}

function defaultValidatingAdmissionPolicy(policy: Fields): void {
  const spec = ensureChild(policy, 'spec');
  defaultPointer(spec, 'failurePolicy', 'Fail');
  const matchConstraints = child(spec, 'matchConstraints');
  if (matchConstraints) defaultMatchResources(matchConstraints);
}

function defaultMatchResources(match: JsonObject): void {
  defaultPointer(match, 'matchPolicy', 'Equivalent');
  defaultPointer(match, 'namespaceSelector', {});
  defaultPointer(match, 'objectSelector', {});
  defaultRuleScopes(match, 'resourceRules');
  defaultRuleScopes(match, 'excludeResourceRules');
}

/** A rule that does not say matches both cluster-scoped and namespaced resources. */
function defaultRuleScopes(parent: Fields, key: string): void {
  for (const rule of children(parent, key)) defaultPointer(rule, 'scope', '*');
}
