// networking.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/networking/v1 defaults.go).
// Ingress has none: pathType is required in v1, not defaulted.
import { child, children, defaultPointer, ensureChild, isEmpty, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

export const networkingV1Defaulters: KindDefaulters = {
  NetworkPolicy: defaultNetworkPolicy,
  IngressClass: defaultIngressClass,
};

function defaultNetworkPolicy(policy: Fields): void {
  const spec = ensureChild(policy, 'spec');
  for (const direction of ['ingress', 'egress']) {
    for (const rule of children(spec, direction)) {
      for (const port of children(rule, 'ports')) defaultPointer(port, 'protocol', 'TCP');
    }
  }
  // Every policy isolates ingress; it isolates egress only if it has egress rules.
  if (isEmpty(spec.policyTypes)) {
    spec.policyTypes = isEmpty(spec.egress) ? ['Ingress'] : ['Ingress', 'Egress'];
  }
}

function defaultIngressClass(ingressClass: Fields): void {
  const parameters = child(ensureChild(ingressClass, 'spec'), 'parameters');
  if (parameters) defaultPointer(parameters, 'scope', 'Cluster');
}
