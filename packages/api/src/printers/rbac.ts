// RoleBindings and ClusterRoleBindings. Roles and ClusterRoles have no printer in Kubernetes and
// get the default Name/Created At table.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import type { ResourcePrinter, TableColumn, TableRowCells } from './types.ts';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface Binding extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: Subject[] | null;
}

function bindingColumns(kind: string): TableColumn[] {
  return [
    nameColumn,
    column('Role', 'string', 'The role granted, as Kind/name.'),
    ageColumn,
    wideColumn('Users', 'string', `Users the ${kind} grants the role to.`),
    wideColumn('Groups', 'string', `Groups the ${kind} grants the role to.`),
    wideColumn('ServiceAccounts', 'string', `Service accounts the ${kind} grants the role to, as namespace/name.`),
  ];
}

function bindingRow(object: KubeObject, now: Date): TableRowCells {
  const binding = object as Binding;
  const subjects = binding.subjects ?? [];
  const named = (kind: string) => subjects.filter((s) => s.kind === kind);
  return {
    cells: [
      object.metadata.name ?? '',
      `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
      since(object.metadata.creationTimestamp, now),
      named('User').map((s) => s.name).join(', '),
      named('Group').map((s) => s.name).join(', '),
      named('ServiceAccount').map((s) => `${s.namespace ?? ''}/${s.name}`).join(', '),
    ],
  };
}

export const roleBindingPrinter: ResourcePrinter = { columns: bindingColumns('binding'), row: bindingRow };
export const clusterRoleBindingPrinter: ResourcePrinter = { columns: bindingColumns('cluster binding'), row: bindingRow };
