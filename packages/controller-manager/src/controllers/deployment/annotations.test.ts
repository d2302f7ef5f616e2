import { describe, expect, it } from 'vitest';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, setNewReplicaSetAnnotations } from './annotations.ts';
import type { Deployment, ReplicaSet } from './types.ts';

function deployment(annotations: Record<string, string>): Deployment {
  return {
    metadata: { name: 'web', annotations },
    spec: { replicas: 4, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
  };
}

const replicaSet = (annotations?: Record<string, string>): ReplicaSet => ({ metadata: { name: 'web-abc', ...(annotations ? { annotations } : {}) }, spec: {} });

describe('new ReplicaSet annotations', () => {
  it('carry the change-cause but not last-applied-configuration or the revision, and record desired/max replicas', () => {
    const d = deployment({
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.28',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [REVISION_ANNOTATION]: '7',
    });
    const rs = replicaSet();
    expect(setNewReplicaSetAnnotations(d, rs, 3, false)).toBe(true);
    expect(rs.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.28',
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  it('give a reused ReplicaSet the new revision and keep its old one in revision-history', () => {
    const rs = replicaSet({ [REVISION_ANNOTATION]: '1' });
    setNewReplicaSetAnnotations(deployment({}), rs, 3, true);
    expect(rs.metadata.annotations![REVISION_ANNOTATION]).toBe('3');
    expect(rs.metadata.annotations![REVISION_HISTORY_ANNOTATION]).toBe('1');
    setNewReplicaSetAnnotations(deployment({}), rs, 5, true);
    expect(rs.metadata.annotations![REVISION_HISTORY_ANNOTATION]).toBe('1,3');
  });

  it('never lower a revision, and report no change when nothing changed', () => {
    const rs = replicaSet({ [REVISION_ANNOTATION]: '4' });
    expect(setNewReplicaSetAnnotations(deployment({}), rs, 2, true)).toBe(false);
    expect(rs.metadata.annotations![REVISION_ANNOTATION]).toBe('4');
  });

  it('drop the oldest history entries beyond the length limit', () => {
    const rs = replicaSet({ [REVISION_ANNOTATION]: '30', [REVISION_HISTORY_ANNOTATION]: '10,20' });
    setNewReplicaSetAnnotations(deployment({}), rs, 31, true, 6);
    expect(rs.metadata.annotations![REVISION_HISTORY_ANNOTATION]).toBe('20,30');
  });
});
