import { describe, expect, it } from 'vitest';
import { DAY, ago, describeColumns, printRow } from './testing.ts';

const subjects = [
  { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' },
  { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
  { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
  { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'joe' },
];

describe('role binding printers', () => {
  it.each([
    ['rolebindings', { kind: 'Role', name: 'pod-reader' }, 'Role/pod-reader'],
    ['clusterrolebindings', { kind: 'ClusterRole', name: 'view' }, 'ClusterRole/view'],
  ])('prints %s with the role and its subjects by kind', (resource, roleRef, role) => {
    expect(describeColumns('rbac.authorization.k8s.io', resource)).toEqual([
      'Name [name]',
      'Role',
      'Age',
      'Users (wide)',
      'Groups (wide)',
      'ServiceAccounts (wide)',
    ]);
    const row = printRow('rbac.authorization.k8s.io', resource, {
      metadata: { name: 'readers', creationTimestamp: ago(DAY) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
      subjects,
    });
    expect(row).toEqual({ Name: 'readers', Role: role, Age: '24h', Users: 'jane, joe', Groups: 'devs', ServiceAccounts: 'build/ci' });
  });

  it('prints empty subject cells for a binding without subjects', () => {
    const row = printRow('rbac.authorization.k8s.io', 'rolebindings', { metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' } });
    expect(row).toMatchObject({ Users: '', Groups: '', ServiceAccounts: '' });
  });
});
