import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { fieldSelectorSupported, fieldsOf, validateFieldSelector } from './field-labels.ts';
import { matchesFields, parseFieldSelector } from './field-selector.ts';
import { SelectorError } from './selector-error.ts';

function rejection(group: string, resource: string, selector: string): string {
  try {
    validateFieldSelector(group, resource, parseFieldSelector(selector));
  } catch (error) {
    expect(error).toBeInstanceOf(SelectorError);
    return (error as Error).message;
  }
  throw new Error(`${selector} was accepted for ${group}/${resource}`);
}

describe('fieldSelectorSupported', () => {
  it('lists the labels kubectl and the controllers select pods by', () => {
    const pods = fieldSelectorSupported('', 'pods');
    for (const label of ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'spec.hostNetwork', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName']) {
      expect(pods.has(label), label).toBe(true);
    }
    expect(pods.has('spec.containers')).toBe(false);
  });

  it('gives every resource metadata.name, and metadata.namespace unless its kind refuses it', () => {
    expect([...fieldSelectorSupported('apps', 'deployments')]).toEqual(['metadata.name', 'metadata.namespace']);
    expect([...fieldSelectorSupported('storage.k8s.io', 'storageclasses')]).toEqual(['metadata.name', 'metadata.namespace']);
    expect([...fieldSelectorSupported('', 'nodes')]).toEqual(['metadata.name', 'spec.unschedulable']);
    expect([...fieldSelectorSupported('', 'namespaces')]).toEqual(['metadata.name', 'status.phase']);
  });

  it('knows the events fields of both event APIs', () => {
    expect(fieldSelectorSupported('', 'events').has('involvedObject.uid')).toBe(true);
    expect(fieldSelectorSupported('', 'events').has('reportingComponent')).toBe(true);
    expect(fieldSelectorSupported('events.k8s.io', 'events').has('regarding.name')).toBe(true);
    expect(fieldSelectorSupported('events.k8s.io', 'events').has('involvedObject.name')).toBe(false);
  });
});

describe('validateFieldSelector', () => {
  it.each([
    ['', 'pods', 'spec.foo=x', 'field label not supported: spec.foo'],
    ['', 'nodes', 'metadata.namespace=default', 'field label not supported: metadata.namespace'],
    ['', 'events', 'message=x', 'field label not supported: message'],
    ['batch', 'jobs', 'status.failed=1', 'field label "status.failed" not supported for batchv1.Job'],
    ['apps', 'deployments', 'spec.replicas=1', '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['networking.k8s.io', 'ingresses', 'foo.bar=baz', '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ])('rejects %s/%s %j with the apiserver message', (group, resource, selector, message) => {
    expect(rejection(group, resource, selector)).toBe(message);
  });

  it('reports the first unsupported term in sorted order', () => {
    expect(rejection('', 'pods', 'zz=1,aa=2,metadata.name=x')).toBe('field label not supported: aa');
  });

  it('accepts the selectors kubectl sends', () => {
    const accepted: [string, string, string][] = [
      ['', 'pods', 'spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed'],
      ['', 'events', 'involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.uid=u1,involvedObject.kind=Pod'],
      ['apps', 'deployments', 'metadata.name=web'],
      ['', 'secrets', 'type=kubernetes.io/tls'],
      ['', 'services', 'spec.clusterIP!=None,spec.type=NodePort'],
      ['certificates.k8s.io', 'certificatesigningrequests', 'spec.signerName=kubernetes.io/kubelet-serving'],
    ];
    for (const [group, resource, selector] of accepted) {
      expect(() => validateFieldSelector(group, resource, parseFieldSelector(selector))).not.toThrow();
    }
  });
});

describe('fieldsOf', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
    status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] },
  };

  it('computes a pod\'s selectable fields as the pod registry does', () => {
    expect(fieldsOf('', 'pods', pod)).toEqual({
      'metadata.name': 'web-1',
      'metadata.namespace': 'default',
      'spec.nodeName': 'node-1',
      'spec.host': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
    });
  });

  it('drives drain and describe-node style selection', () => {
    const fields = fieldsOf('', 'pods', pod);
    expect(matchesFields(parseFieldSelector('spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed'), fields)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.host=node-2'), fields)).toBe(false);
    // status.podIPs is accepted but has no value in k8s' field set.
    expect(matchesFields(parseFieldSelector('status.podIPs=10.0.0.5'), fields)).toBe(false);
  });

  it('prints booleans and counters as Go does', () => {
    const node: KubeObject = { metadata: { name: 'node-1' }, spec: { unschedulable: true } };
    expect(fieldsOf('', 'nodes', node)).toEqual({ 'metadata.name': 'node-1', 'spec.unschedulable': 'true' });
    expect(fieldsOf('', 'nodes', { metadata: { name: 'node-2' } })['spec.unschedulable']).toBe('false');
    const job: KubeObject = { metadata: { name: 'pi', namespace: 'ci' }, status: { succeeded: 3 } };
    expect(fieldsOf('batch', 'jobs', job)['status.successful']).toBe('3');
    expect(fieldsOf('', 'replicationcontrollers', { metadata: { name: 'rc', namespace: 'ns' } })['status.replicas']).toBe('0');
  });

  it('reads events of either API shape, falling back to the reporting controller for source', () => {
    const coreEvent: KubeObject = {
      metadata: { name: 'web-1.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      type: 'Normal',
      reportingComponent: 'kubelet',
    };
    const fields = fieldsOf('', 'events', coreEvent);
    expect(fields['involvedObject.fieldPath']).toBe('spec.containers{web}');
    expect(fields['involvedObject.resourceVersion']).toBe('');
    expect(fields.source).toBe('kubelet');
    const newEvent: KubeObject = {
      metadata: { name: 'e', namespace: 'default' },
      regarding: { kind: 'Deployment', name: 'web' },
      reportingController: 'deployment-controller',
      deprecatedSource: { component: 'legacy' },
      reason: 'ScalingReplicaSet',
    };
    expect(fieldsOf('events.k8s.io', 'events', newEvent)).toMatchObject({
      'regarding.kind': 'Deployment',
      'regarding.name': 'web',
      reportingController: 'deployment-controller',
      source: 'legacy',
      reason: 'ScalingReplicaSet',
    });
  });

  it('has metadata.namespace only for namespaced resources', () => {
    expect(fieldsOf('', 'secrets', { metadata: { name: 's', namespace: 'ns' }, type: 'Opaque' })).toEqual({
      'metadata.name': 's',
      'metadata.namespace': 'ns',
      type: 'Opaque',
    });
    expect(fieldsOf('storage.k8s.io', 'storageclasses', { metadata: { name: 'standard' } })).toEqual({ 'metadata.name': 'standard' });
  });
});
