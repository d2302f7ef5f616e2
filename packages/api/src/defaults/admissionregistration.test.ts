import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('admission webhook defaults', () => {
  it('makes a validating webhook fail closed, match everything equivalent and time out after 10s', () => {
    const out = defaulted({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'ingress-nginx-admission' },
      webhooks: [
        {
          name: 'validate.nginx.ingress.kubernetes.io',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: {
            service: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller-admission', path: '/networking/v1/ingresses' },
          },
          rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
        },
      ],
    });
    expect(out.webhooks).toEqual([
      {
        name: 'validate.nginx.ingress.kubernetes.io',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        clientConfig: {
          service: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller-admission', path: '/networking/v1/ingresses', port: 443 },
        },
        rules: [
          { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'], scope: '*' },
        ],
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 10,
      },
    ]);
  });

  it('does not re-invoke a mutating webhook unless asked', () => {
    const out = defaulted({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'm' },
      webhooks: [
        {
          name: 'm.example.com',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Ignore',
          clientConfig: { url: 'https://m.example.com' },
        },
      ],
    });
    expect(out.webhooks).toEqual([
      {
        name: 'm.example.com',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Ignore',
        clientConfig: { url: 'https://m.example.com' },
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 10,
        reinvocationPolicy: 'Never',
      },
    ]);
  });

  it('defaults ValidatingAdmissionPolicy match constraints and bindings', () => {
    const rule = { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] };
    const policy = defaulted({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'replicas' },
      spec: { matchConstraints: { resourceRules: [rule] }, validations: [{ expression: 'object.spec.replicas <= 5' }] },
    });
    expect(policy.spec).toEqual({
      failurePolicy: 'Fail',
      matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules: [{ ...rule, scope: '*' }] },
      validations: [{ expression: 'object.spec.replicas <= 5' }],
    });
    const binding = defaulted({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'replicas' },
      spec: { policyName: 'replicas', validationActions: ['Deny'], matchResources: {} },
    });
    expect(binding.spec).toEqual({
      policyName: 'replicas',
      validationActions: ['Deny'],
      matchResources: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
    });
  });
});
