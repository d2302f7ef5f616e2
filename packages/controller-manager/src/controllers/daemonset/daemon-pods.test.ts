import { describe, expect, it } from 'vitest';
import { compareByCreationAndBinding, daemonPodTemplate, isPodUpdated, pinToNode, targetNodeName } from './daemon-pods.ts';
import { daemonPod, daemonSet } from './testing.ts';
import { daemonPodSpecOf, type DaemonSet, type Pod } from './types.ts';

describe('daemonPodTemplate', () => {
  it('labels new pods with the revision hash and the template generation', () => {
    const template = daemonPodTemplate(daemonSet('redis'), 'abc123');
    expect(template.metadata?.labels).toEqual({ app: 'redis', 'controller-revision-hash': 'abc123', 'pod-template-generation': '1' });
  });

  it('leaves out the generation label when the apiserver set no template generation', () => {
    const ds: DaemonSet = { ...daemonSet('redis'), metadata: { name: 'redis', namespace: 'default' } };
    expect(daemonPodTemplate(ds, 'abc123').metadata?.labels).toEqual({ app: 'redis', 'controller-revision-hash': 'abc123' });
  });

  it('adds the daemon tolerations, replacing a user toleration of the same taint', () => {
    const ds = daemonSet('redis');
    ds.spec!.template!.spec = {
      ...ds.spec!.template!.spec,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'dedicated', operator: 'Equal', value: 'cache', effect: 'NoSchedule' },
      ],
    };
    const tolerations = daemonPodSpecOf(daemonPodTemplate(ds, 'h')).tolerations;
    expect(tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'dedicated', operator: 'Equal', value: 'cache', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    // The DaemonSet itself is untouched.
    expect(daemonPodSpecOf(ds.spec!.template!).tolerations).toHaveLength(2);
  });
});

describe('pinToNode', () => {
  it('replaces the required node affinity by metadata.name In [node], keeping preferences', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }];
    const template = {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] },
            preferredDuringSchedulingIgnoredDuringExecution: preferred,
          },
        },
      },
    };
    expect(pinToNode(template, 'node-2').spec?.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      },
    });
    expect(pinToNode({}, 'n1').spec?.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } },
    });
  });
});

describe('targetNodeName', () => {
  const pod = (spec: Pod['spec']): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec });

  it('is the bound node, else the node the affinity pins the pod to', () => {
    expect(targetNodeName(pod({ nodeName: 'n1' }))).toBe('n1');
    expect(targetNodeName(pod(pinToNode({ spec: {} }, 'n2').spec))).toBe('n2');
  });

  it('explains a pod that names no node', () => {
    expect(() => targetNodeName(pod({}))).toThrow('no spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution for pod ns/p');
    const ambiguous = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } } };
    expect(() => targetNodeName(pod(ambiguous))).toThrow("the matchFields value of 'metadata.name' is not unique for pod ns/p");
  });
});

describe('isPodUpdated', () => {
  it('matches on the revision hash, or on the template generation for older pods', () => {
    const ds = daemonSet('redis');
    const current = daemonPod(ds, 'a', 'n1', { hash: 'new' });
    expect(isPodUpdated(current, 'new', 2)).toBe(true);
    const old = daemonPod(ds, 'b', 'n1', { hash: 'old' });
    expect(isPodUpdated(old, 'new', 2)).toBe(false);
    old.metadata.labels!['pod-template-generation'] = '2';
    expect(isPodUpdated(old, 'new', 2)).toBe(true);
    expect(isPodUpdated(old, 'new', undefined)).toBe(false);
  });
});

describe('compareByCreationAndBinding', () => {
  it('orders bound pods first, then the oldest, then by name', () => {
    const ds = daemonSet('redis');
    const unbound = { ...daemonPod(ds, 'a-unbound', 'n1', { created: '2025-01-01T00:00:00Z' }), spec: {} };
    const newer = daemonPod(ds, 'b-newer', 'n1', { created: '2025-01-01T00:00:05Z' });
    const older = daemonPod(ds, 'c-older', 'n1', { created: '2025-01-01T00:00:01Z' });
    const twin = daemonPod(ds, 'b-twin', 'n1', { created: '2025-01-01T00:00:01Z' });
    expect([unbound, newer, older, twin].sort(compareByCreationAndBinding).map((p) => p.metadata.name)).toEqual(['b-twin', 'c-older', 'b-newer', 'a-unbound']);
  });
});
