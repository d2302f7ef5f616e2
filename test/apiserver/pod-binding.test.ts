// pods/binding, the scheduler's write: it sets spec.nodeName and the PodScheduled condition and
// merges the Binding's annotations, once per pod. As in Kubernetes, the apiserver writes the pod
// on storage directly, so the binding leaves the pod's managedFields as they were: the
// scheduler owns no fields of the pods it places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { failure, parseJson, RawHttp } from './support/raw-http.ts';

const NS = 'binding';
const PODS = `/api/v1/namespaces/${NS}/pods`;

interface Pod {
  metadata: { name: string; annotations?: Record<string, string>; managedFields?: { manager: string; operation: string }[] };
  spec: { nodeName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

describe.each(backends())('pods/binding (store: %s)', (backend) => {
  let plane: ControlPlane;
  let http: RawHttp;

  beforeAll(async () => {
    // No ServiceAccount plugin: nothing here creates the namespace's default ServiceAccount.
    plane = await ControlPlane.start(backend, ['--disable-admission-plugins=ServiceAccount']);
    http = new RawHttp(plane.url, 1);
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
  });
  afterAll(async () => {
    http?.close();
    await plane?.stop();
  });

  it('places the pod once and records no field manager for the binding', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    expect((await http.json('POST', `${PODS}?fieldManager=kubectl-create`, pod)).status).toBe(201);
    const before = parseJson(await http.send({ method: 'GET', path: `${PODS}/web` })) as Pod;

    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', annotations: { placed: 'by-test' } }, target: { kind: 'Node', name: 'node-1' } };
    const bound = await http.json('POST', `${PODS}/web/binding?fieldManager=kube-scheduler`, binding);
    expect(bound.status).toBe(201);
    expect(parseJson(bound)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });

    const after = parseJson(await http.send({ method: 'GET', path: `${PODS}/web` })) as Pod;
    expect(after.spec.nodeName).toBe('node-1');
    expect(after.metadata.annotations).toEqual({ placed: 'by-test' });
    expect(after.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(after.metadata.managedFields).toEqual(before.metadata.managedFields);
    expect(after.metadata.managedFields?.map((f) => f.manager)).toEqual(['kubectl-create']);

    const again = await http.json('POST', `${PODS}/web/binding`, { ...binding, target: { kind: 'Node', name: 'node-2' } });
    expect(parseJson(again)).toEqual(
      failure(409, 'Conflict', 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"', {
        name: 'web',
        group: '',
        kind: 'pods/binding',
      }),
    );
  });
});
