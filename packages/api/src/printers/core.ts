// The remaining core/v1 kinds: Nodes, Namespaces, ConfigMaps, Secrets, ServiceAccounts,
// ResourceQuotas and ComponentStatuses.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import { compareStrings, formatQuantity } from './format.ts';
import type { ResourcePrinter } from './types.ts';

interface Node extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

export const nodePrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Whether the node is Ready, and whether scheduling on it is disabled.'),
    column('Roles', 'string', 'Roles from the node-role.kubernetes.io/<role> labels.'),
    ageColumn,
    column('Version', 'string', 'Kubelet version the node reports.'),
    wideColumn('Internal-IP', 'string', 'First internal address of the node.'),
    wideColumn('External-IP', 'string', 'First external address of the node.'),
    wideColumn('OS-Image', 'string', 'Operating system the node reports.'),
    wideColumn('Kernel-Version', 'string', 'Kernel version the node reports.'),
    wideColumn('Container-Runtime', 'string', 'Container runtime and version the node reports.'),
  ],
  row: (object, now) => {
    const node = object as Node;
    const info = node.status?.nodeInfo ?? {};
    const address = (type: string) => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
    const roles = nodeRoles(node);
    return {
      cells: [
        object.metadata.name ?? '',
        nodeStatus(node),
        roles.length > 0 ? roles.join(',') : '<none>',
        since(object.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};

function nodeStatus(node: Node): string {
  // Only the Ready condition speaks for the node; the last one of that type wins, as in a Go map.
  const ready = node.status?.conditions?.filter((c) => c.type === 'Ready').at(-1);
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort(compareStrings);
}

export const namespacePrinter: ResourcePrinter = {
  columns: [nameColumn, column('Status', 'string', 'Active, or Terminating while its contents are deleted.'), ageColumn],
  row: (object, now) => {
    const status = (object as KubeObject & { status?: { phase?: string } }).status;
    return { cells: [object.metadata.name ?? '', status?.phase ?? '', since(object.metadata.creationTimestamp, now)] };
  },
};

const countKeys = (map: unknown): number => (map && typeof map === 'object' ? Object.keys(map).length : 0);

export const configMapPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Data', 'string', 'Number of keys, text and binary.'), ageColumn],
  row: (object, now) => ({
    cells: [object.metadata.name ?? '', countKeys(object.data) + countKeys(object.binaryData), since(object.metadata.creationTimestamp, now)],
  }),
};

export const secretPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Type', 'string', 'Kind of secret, e.g. Opaque or kubernetes.io/tls.'), column('Data', 'string', 'Number of keys.'), ageColumn],
  row: (object, now) => ({
    cells: [
      object.metadata.name ?? '',
      // type defaults to Opaque; a stored secret always carries it.
      typeof object.type === 'string' ? object.type : 'Opaque',
      countKeys(object.data),
      since(object.metadata.creationTimestamp, now),
    ],
  }),
};

export const serviceAccountPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Secrets', 'string', 'Number of secrets listed on the account.'), ageColumn],
  row: (object, now) => ({
    cells: [
      object.metadata.name ?? '',
      Array.isArray(object.secrets) ? object.secrets.length : 0,
      since(object.metadata.creationTimestamp, now),
    ],
  }),
};

interface ResourceQuota extends KubeObject {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export const resourceQuotaPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Used out of hard limits, for everything but limits.*.'),
    column('Limit', 'string', 'Used out of hard limits, for limits.* resources.'),
    ageColumn,
  ],
  row: (object, now) => {
    const { hard = {}, used = {} } = (object as ResourceQuota).status ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort(compareStrings)) {
      const cell = `${resource}: ${formatQuantity(used[resource] ?? '0')}/${formatQuantity(hard[resource])}`;
      (resource.startsWith('limits.') ? limits : requests).push(cell);
    }
    return { cells: [object.metadata.name ?? '', requests.join(', '), limits.join(', '), since(object.metadata.creationTimestamp, now)] };
  },
};

interface ComponentStatus extends KubeObject {
  conditions?: { type: string; status: string; message?: string; error?: string }[];
}

export const componentStatusPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Healthy or Unhealthy, from the Healthy condition.'),
    column('Message', 'string', 'Message of the Healthy condition.'),
    column('Error', 'string', 'Error of the Healthy condition.'),
  ],
  row: (object) => {
    const healthy = (object as ComponentStatus).conditions?.find((c) => c.type === 'Healthy');
    const status = healthy === undefined ? 'Unknown' : healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
    return { cells: [object.metadata.name ?? '', status, healthy?.message ?? '', healthy?.error ?? ''] };
  },
};
