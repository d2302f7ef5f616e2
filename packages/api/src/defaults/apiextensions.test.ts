import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

const VERSION = { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } };

describe('CustomResourceDefinition defaults', () => {
  it('derives singular and list kind, converts nothing and records the storage version', () => {
    const out = defaulted({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'crontabs.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] },
        versions: [{ ...VERSION, name: 'v1beta1', storage: false }, VERSION],
      },
    });
    expect(out.spec).toEqual({
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
      versions: [{ ...VERSION, name: 'v1beta1', storage: false }, VERSION],
      conversion: { strategy: 'None' },
    });
    // acceptedNames is a non-pointer struct whose kind and plural Go always writes.
    expect(out.status).toEqual({ acceptedNames: { kind: '', plural: '' }, storedVersions: ['v1'] });
  });

  it('defaults the conversion webhook service port', () => {
    const out = defaulted({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'crontabs.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabItems' },
        versions: [VERSION],
        conversion: {
          strategy: 'Webhook',
          webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'default', name: 'conv' } } },
        },
      },
    });
    expect(out.spec).toMatchObject({
      names: { singular: 'crontab', listKind: 'CronTabItems' },
      conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'default', name: 'conv', port: 443 } } } },
    });
  });
});
