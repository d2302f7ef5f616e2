import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('RBAC binding defaults', () => {
  it('puts roles, users and groups in the RBAC group and ServiceAccounts in the core group', () => {
    const out = defaulted({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-pods', namespace: 'default' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'bob' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'nginx-ingress', namespace: 'nginx-ingress' },
      ],
    });
    expect(out.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(out.subjects).toEqual([
      { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'nginx-ingress', namespace: 'nginx-ingress' },
    ]);
  });

  it('defaults ClusterRoleBindings the same way and keeps explicit groups', () => {
    const out = defaulted({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'nginx-ingress' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nginx-ingress' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: 'example.com' }],
    });
    expect(out.subjects).toEqual([{ kind: 'User', name: 'alice', apiGroup: 'example.com' }]);
  });
});
