import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { parseJsonStrict } from './json-strict.ts';
import { findTypeError, findUnknownFields, strictDecodingErrors } from './strict.ts';

const deployment = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const service = schema.kindSchema({ group: '', version: 'v1', kind: 'Service' })!;
const secret = schema.kindSchema({ group: '', version: 'v1', kind: 'Secret' })!;
const pod = schema.kindSchema({ group: '', version: 'v1', kind: 'Pod' })!;

describe('findTypeError', () => {
  it.each<[string, JsonValue, string | undefined]>([
    ['a string replicas', { spec: { replicas: '3' } }, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['a fractional replicas', { spec: { replicas: 1.5 } }, 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['an object for a list', { spec: { template: { spec: { containers: {} } } } }, 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
    [
      'a string port deep in a list (no indexes in Go\'s path)',
      { spec: { template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } } } },
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
    ['a list for a struct', { spec: [] }, 'json: cannot unmarshal array into Go struct field Deployment.spec of type v1.DeploymentSpec'],
    ['a number for a label value', { metadata: { labels: { app: 1 } } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['a whole body that is a list', [], 'json: cannot unmarshal array into Go value of type v1.Deployment'],
    ['a valid object', { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } } }, undefined],
  ])('reports %s', (_, value, message) => {
    expect(findTypeError(deployment, value)).toBe(message);
  });

  it('checks the custom JSON types', () => {
    expect(findTypeError(service, { spec: { ports: [{ port: 80, targetPort: true }] } })).toBe(
      'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(findTypeError(service, { spec: { ports: [{ port: 80, targetPort: 'http' }] } })).toBeUndefined();
    expect(findTypeError(pod, { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] } })).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(findTypeError(pod, { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 0.5 } } }] } })).toBeUndefined();
    expect(findTypeError(pod, { metadata: { creationTimestamp: 5 } })).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string');
  });

  it('decodes Secret data as base64', () => {
    expect(findTypeError(secret, { data: { password: 'c2VjcmV0' } })).toBeUndefined();
    expect(findTypeError(secret, { data: { password: 'not base64!' } })).toBe('illegal base64 data at input byte 3');
    expect(findTypeError(secret, { data: { password: 'YQ' } })).toBe('illegal base64 data at input byte 0');
    expect(findTypeError(secret, { data: { password: 'YQ=' } })).toBe('illegal base64 data at input byte 3');
    expect(findTypeError(secret, { data: { password: 'YW\nJj' } })).toBeUndefined();
  });

  it('lets a later error of a type\'s own decoder win over an earlier plain type error, as Go does', () => {
    expect(findTypeError(pod, { spec: { priority: 'x', containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] } })).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe('findUnknownFields', () => {
  it('names unknown properties by their JSON path', () => {
    const value = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicass: 3, template: { spec: { containers: [{ name: 'a', imagee: 'nginx' }] } } } };
    expect(findUnknownFields(deployment, value)).toEqual(['spec.replicass', 'spec.template.spec.containers[0].imagee']);
  });

  it('knows inline fields and treats maps\' keys as data', () => {
    expect(findUnknownFields(deployment, { metadata: { labels: { anything: 'x' }, annotations: { 'a/b': 'c' } } })).toEqual([]);
    expect(findUnknownFields(service, { status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', hostnam: 'x' }] } } })).toEqual(['status.loadBalancer.ingress[0].hostnam']);
  });
});

describe('parseJsonStrict', () => {
  it('parses like JSON.parse and lists repeated keys by path', () => {
    const parsed = parseJsonStrict('{"spec":{"replicas":1,"replicas":2,"template":{"spec":{"containers":[{"name":"a","name":"b"}]}}}}');
    expect(parsed.value).toEqual({ spec: { replicas: 2, template: { spec: { containers: [{ name: 'b' }] } } } });
    expect(parsed.duplicateFields).toEqual(['spec.replicas', 'spec.template.spec.containers[0].name']);
  });

  it('keeps "__proto__" an ordinary key', () => {
    const parsed = parseJsonStrict('{"__proto__":{"x":1}}');
    expect(Object.keys(parsed.value as object)).toEqual(['__proto__']);
  });

  it.each([
    ['{"a": x}', "invalid character 'x' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a": tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a": 1', 'unexpected end of JSON input'],
    ['{} {}', "invalid character '{' after top-level value"],
  ])('throws Go\'s message for %s', (text, message) => {
    expect(() => parseJsonStrict(text)).toThrow(new SyntaxError(message));
  });
});

describe('strictDecodingErrors', () => {
  it('lists unknown and duplicate fields in document order; a repeated unknown field only as unknown', () => {
    const text = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment' }).slice(0, -1) +
      ',"spec":{"unknown1":"val1","unknownDupe":"a","unknownDupe":"b","paused":true,"paused":false,' +
      '"template":{"spec":{"containers":[{"name":"nginx","image":"nginx","unknownNested":"x","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}';
    expect(strictDecodingErrors(deployment, parseJsonStrict(text))).toEqual([
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"',
      'duplicate field "spec.paused"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]);
  });
});
