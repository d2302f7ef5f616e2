import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('NetworkPolicy defaults', () => {
  it('isolates ingress only and gives ports the TCP protocol', () => {
    const out = defaulted({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-web' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }],
      },
    });
    expect(out.spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { role: 'client' } } }],
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        },
      ],
      policyTypes: ['Ingress'],
    });
  });

  it('isolates egress too when the policy has egress rules', () => {
    const out = defaulted({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'dns-only' },
      spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
    });
    expect((out.spec as Record<string, unknown>).policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('keeps explicit policy types', () => {
    const out = defaulted({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-egress' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    expect(out.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });
});

describe('Ingress and IngressClass defaults', () => {
  it('leaves an Ingress as `kubectl create ingress --rule=ngx.test/=ngx-svc:80 --class=ngx-ink` sends it', () => {
    const spec = {
      ingressClassName: 'ngx-ink',
      rules: [
        {
          host: 'ngx.test',
          http: { paths: [{ backend: { service: { name: 'ngx-svc', port: { number: 80 } } }, path: '/', pathType: 'Exact' }] },
        },
      ],
    };
    const out = defaulted({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ngx-ing' }, spec, status: {} });
    expect(out.spec).toEqual(spec);
    expect(out.status).toEqual({ loadBalancer: {} });
  });

  it('leaves the tutorial IngressClass alone and scopes parameters to the cluster', () => {
    const plain = defaulted({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'ngx-ink' },
      spec: { controller: 'nginx.org/ingress-controller' },
    });
    expect(plain.spec).toEqual({ controller: 'nginx.org/ingress-controller' });
    const withParameters = defaulted({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'lb' },
      spec: { controller: 'example.com/lb', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
    });
    expect((withParameters.spec as { parameters: unknown }).parameters).toEqual({
      apiGroup: 'k8s.example.com',
      kind: 'IngressParameters',
      name: 'external-lb',
      scope: 'Cluster',
    });
  });
});
