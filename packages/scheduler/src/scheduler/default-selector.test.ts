import type { KubeObject } from '@k8ts/api';
import { matchesLabels } from '@k8ts/api/selectors/index.ts';
import { describe, expect, it } from 'vitest';
import { defaultSelector, type SelectingObjects } from './default-selector.ts';

const obj = (kind: string, namespace: string, selector: unknown): KubeObject => ({ kind, metadata: { name: kind.toLowerCase(), namespace }, spec: { selector } });

function objects(all: KubeObject[]): SelectingObjects {
  const of = (kind: string) => (namespace: string) => all.filter((o) => o.kind === kind && o.metadata.namespace === namespace);
  return { services: of('Service'), replicationControllers: of('ReplicationController'), replicaSets: of('ReplicaSet'), statefulSets: of('StatefulSet') };
}

const pod: KubeObject = { kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', 'pod-template-hash': 'abc', tier: 'fe' } } };

describe('defaultSelector', () => {
  it("combines the selectors of the Services and ReplicaSets that select the pod, in the pod's namespace only", () => {
    const selector = defaultSelector(
      pod,
      objects([
        obj('Service', 'shop', { app: 'web' }),
        obj('ReplicaSet', 'shop', { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }),
        obj('ReplicaSet', 'shop', { matchLabels: { app: 'other' } }),
        obj('Service', 'elsewhere', { tier: 'fe' }),
      ]),
    );
    expect(selector).not.toBeNull();
    expect(matchesLabels(selector, { app: 'web', 'pod-template-hash': 'abc' })).toBe(true);
    expect(matchesLabels(selector, { app: 'web', 'pod-template-hash': 'other' })).toBe(false);
  });

  it('is null when nothing selects the pod (no default spreading), and ignores empty Service selectors', () => {
    expect(defaultSelector(pod, objects([obj('Service', 'shop', {}), obj('StatefulSet', 'shop', { matchLabels: { app: 'db' } })]))).toBeNull();
  });
});
