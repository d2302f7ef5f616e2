import { describe, expect, it } from 'vitest';
import { create, deployment, lines, pod, stored, update } from './testing/fixtures.ts';
import type { JsonObject } from '../object.ts';

const meta = (obj: JsonObject) => obj.metadata as JsonObject;

describe('metadata on create', () => {
  it('requires a name unless generateName is set', () => {
    const p = pod();
    delete meta(p).name;
    expect(lines(create(p))).toEqual(['metadata.name: Required value: name or generateName is required']);
    meta(p).generateName = 'web-';
    meta(p).name = 'web-x7k2p';
    expect(create(p)).toEqual([]);
  });

  it('requires a namespace for namespaced kinds and forbids one on cluster kinds', () => {
    const p = pod();
    delete meta(p).namespace;
    expect(lines(create(p))).toEqual(['metadata.namespace: Required value']);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', namespace: 'default' }, spec: { finalizers: ['kubernetes'] } };
    expect(lines(create(ns))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('checks label keys and values against the whole labels map', () => {
    const p = pod();
    meta(p).labels = { 'app/x/y': 'ok', tier: '-front' };
    expect(lines(create(p))).toEqual([
      "metadata.labels: Invalid value: \"app/x/y\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      "metadata.labels: Invalid value: \"-front\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('limits annotations to 256 KiB in total', () => {
    const p = pod();
    meta(p).annotations = { big: 'x'.repeat(256 * 1024) };
    expect(lines(create(p))).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('wants finalizers qualified unless they are the standard ones', () => {
    const p = pod();
    meta(p).finalizers = ['kubernetes', 'example.com/cleanup', 'cleanup'];
    expect(lines(create(p))).toEqual(['metadata.finalizers[2]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified']);
  });

  it('checks owner references', () => {
    const p = pod();
    meta(p).ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-2', uid: '', controller: true },
    ];
    const found = lines(create(p));
    expect(found[0]).toBe('metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
    expect(found[1]).toMatch(/^metadata\.ownerReferences: Invalid value: \[\]v1\.OwnerReference\{.*\}: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/web-1 and ReplicaSet\/web-2$/);
  });

  it('runs the generic path-segment name rule only after the kind\'s own checks pass', () => {
    const unknownKind = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'a/b' }, spec: {} };
    expect(lines(create(unknownKind))).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
  });
});

describe('metadata on update', () => {
  it('keeps name, namespace and uid', () => {
    const old = stored(deployment());
    const changed = structuredClone(old);
    meta(changed).uid = 'another';
    const found = lines(update(changed, old));
    expect(found).toContain('metadata.uid: Invalid value: "another": field is immutable');
  });

  it('needs a resourceVersion', () => {
    const old = stored(deployment());
    const changed = structuredClone(old);
    delete meta(changed).resourceVersion;
    expect(lines(update(changed, old))).toContain('metadata.resourceVersion: Invalid value: "": must be specified for an update');
  });

  it('carries uid and creationTimestamp over when the update leaves them out', () => {
    const old = stored(deployment());
    const changed = structuredClone(old);
    delete meta(changed).uid;
    delete meta(changed).creationTimestamp;
    expect(update(changed, old)).toEqual([]);
  });

  it('refuses new finalizers on an object being deleted', () => {
    const old = stored(deployment());
    meta(old).deletionTimestamp = '2024-05-02T00:00:00Z';
    const changed = structuredClone(old);
    meta(changed).finalizers = ['example.com/b', 'example.com/a'];
    expect(lines(update(changed, old))).toContain(
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/b"}',
    );
  });

  it('refuses a changed creationTimestamp when the old object has none', () => {
    const old = stored(deployment());
    delete meta(old).creationTimestamp;
    const changed = structuredClone(old);
    meta(changed).creationTimestamp = '2024-05-01T10:00:00Z';
    expect(lines(update(changed, old))).toContain('metadata.creationTimestamp: Invalid value: 2024-05-01 10:00:00 +0000 UTC: field is immutable');
  });
});
