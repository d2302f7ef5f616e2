import { describe, expect, it } from 'vitest';
import { pruneToSchema } from './prune.ts';
import { schema } from './registry.ts';

const deployment = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;

describe('pruneToSchema', () => {
  it('drops properties the schema does not define, at every depth, and leftover patch directives', () => {
    const pruned = pruneToSchema(deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', bogus: 1 },
      spec: {
        replicass: 3,
        template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'x', imagee: 'y' }] } },
      },
    });
    expect(pruned).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } },
    });
  });

  it('treats null as unset but keeps maps, quantities and int-or-strings as given', () => {
    const pruned = pruneToSchema(deployment, {
      metadata: { labels: { app: 'web', gone: null }, creationTimestamp: null },
      spec: {
        paused: null,
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
        template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m', memory: 1024 } } }] } },
      },
    });
    expect(pruned).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: {
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
        template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m', memory: 1024 } } }] } },
      },
    });
  });

  it('leaves out the empty maps and lists of omitempty fields, as encoding the Go object does', () => {
    const configMap = schema.kindSchema({ group: '', version: 'v1', kind: 'ConfigMap' })!;
    expect(pruneToSchema(configMap, { metadata: { name: 'c', annotations: {}, labels: { gone: null }, finalizers: [] }, data: {} })).toEqual({
      metadata: { name: 'c' },
    });
    // Empty structs stay (an emptyDir volume is {}), and so do empty lists Go always writes.
    const pruned = pruneToSchema(deployment, {
      spec: { template: { spec: { containers: [], volumes: [{ name: 'scratch', emptyDir: {} }], nodeSelector: {} } } },
    });
    expect(pruned).toEqual({ spec: { template: { spec: { containers: [], volumes: [{ name: 'scratch', emptyDir: {} }] } } } });
  });

  it('keeps embedded raw JSON untouched', () => {
    const crd = schema.kindSchema({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' })!;
    const value = { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', default: { x: null } } } }] } };
    expect(pruneToSchema(crd, value)).toEqual(value);
  });
});
