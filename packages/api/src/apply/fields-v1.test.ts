import { describe, expect, it } from 'vitest';
import { schema } from '../schema/registry.ts';
import { decodeFieldsV1, encodeFieldsV1, fieldSetOf, FieldSet, pathString } from './index.ts';

const podSchema = schema.kindSchema({ group: '', version: 'v1', kind: 'Pod' })!;
const serviceSchema = schema.kindSchema({ group: '', version: 'v1', kind: 'Service' })!;

describe('FieldsV1', () => {
  it('encodes a field set as the apiserver writes it', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['example.com/<guard>'] },
      spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 8080, protocol: 'UDP' }] }] },
    };
    const fields = encodeFieldsV1(fieldSetOf(pod, podSchema));
    expect(fields).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {
        // set items are keyed by value, escaped the way Go's JSON escapes <, > and &
        'f:finalizers': { 'v:"example.com/\\u003cguard\\u003e"': {} },
        'f:labels': { 'f:app': {} },
        'f:name': {},
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"c"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":8080,"protocol":"UDP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
        // nodeSelector is an atomic map: owned as one leaf
        'f:nodeSelector': {},
      },
    });
    // keys come out sorted, so the JSON text is stable
    expect(Object.keys(fields)).toEqual(['f:apiVersion', 'f:kind', 'f:metadata', 'f:spec']);
  });

  it('names items of multi-key lists by all their keys, sorted by key name', () => {
    const service = { spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] } };
    const set = fieldSetOf(service, serviceSchema);
    expect(encodeFieldsV1(set)).toEqual({
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} } } },
    });
    expect(set.paths().map(pathString)).toEqual([
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
      '.spec.ports[port=80,protocol="TCP"].protocol',
      '.spec.ports[port=80,protocol="TCP"].targetPort',
    ]);
  });

  it('decodes what it encodes, and reads members marked with "."', () => {
    const wire = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
    };
    const set = decodeFieldsV1(wire);
    expect(set.paths().map(pathString)).toEqual([
      '.metadata.labels',
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.containers[name="nginx"]',
      '.spec.containers[name="nginx"].image',
    ]);
    expect(encodeFieldsV1(set)).toEqual(wire);
  });

  it('skips path elements of unknown types and rejects malformed ones', () => {
    const set = decodeFieldsV1({ 'f:spec': { 'f:replicas': {}, 'x:future': {} } });
    expect(set.paths().map(pathString)).toEqual(['.spec.replicas']);
    expect(() => decodeFieldsV1({ 'f:spec': { 'k:{not json': {} } })).toThrow('parsing key as path element');
    expect(() => decodeFieldsV1({ f: {} })).toThrow('key must be 2 characters long');
  });
});

describe('FieldSet', () => {
  const set = (...paths: string[][]) => FieldSet.of(...paths.map((p) => p.map((field) => ({ field }))));

  it('keeps children when a parent is removed, unless the difference is recursive', () => {
    const owned = set(['spec', 'replicas'], ['spec', 'template', 'spec'], ['status']);
    expect(owned.difference(set(['spec'])).paths().map(pathString)).toEqual(['.status', '.spec.replicas', '.spec.template.spec']);
    expect(owned.recursiveDifference(set(['spec'])).paths().map(pathString)).toEqual(['.status']);
  });

  it('intersects and unions path by path', () => {
    const a = set(['spec', 'replicas'], ['spec', 'paused']);
    const b = set(['spec', 'replicas'], ['metadata', 'labels']);
    expect(a.intersection(b).paths().map(pathString)).toEqual(['.spec.replicas']);
    expect(a.union(b).paths().map(pathString)).toEqual(['.metadata.labels', '.spec.paused', '.spec.replicas']);
    expect(a.difference(a).isEmpty()).toBe(true);
  });
});
