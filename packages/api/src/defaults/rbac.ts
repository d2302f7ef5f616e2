// rbac.authorization.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/rbac/v1 defaults.go):
// references to roles, users and groups belong to the RBAC group unless they say otherwise;
// ServiceAccounts are core objects and keep the empty group.
import { children, defaultString, ensureChild, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const rbacV1Defaulters: KindDefaulters = {
  RoleBinding: defaultBinding,
  ClusterRoleBinding: defaultBinding,
};

function defaultBinding(binding: Fields): void {
  defaultString(ensureChild(binding, 'roleRef'), 'apiGroup', RBAC_GROUP);
  for (const subject of children(binding, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group') defaultString(subject, 'apiGroup', RBAC_GROUP);
  }
}
