// Cluster machinery: Leases, PriorityClasses, RuntimeClasses, CertificateSigningRequests and
// admission webhook configurations.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { humanDuration, since } from './duration.ts';
import type { ResourcePrinter } from './types.ts';

export const leasePrinter: ResourcePrinter = {
  columns: [nameColumn, column('Holder', 'string', 'Identity currently holding the lease.'), ageColumn],
  row: (object, now) => {
    const holder = (object as KubeObject & { spec?: { holderIdentity?: string | null } }).spec?.holderIdentity;
    return { cells: [object.metadata.name ?? '', holder ?? '', since(object.metadata.creationTimestamp, now)] };
  },
};

interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string | null;
}

export const priorityClassPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'Priority given to pods of this class; higher schedules first.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn,
    // Printed only by `-o wide`, though Kubernetes leaves the column at priority 0.
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  row: (object, now) => {
    const priorityClass = object as PriorityClass;
    return {
      cells: [
        object.metadata.name ?? '',
        priorityClass.value ?? 0,
        priorityClass.globalDefault ?? false,
        since(object.metadata.creationTimestamp, now),
        priorityClass.preemptionPolicy ?? '',
      ],
    };
  },
};

export const runtimeClassPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Handler', 'string', 'Container runtime handler pods of this class run with.'), ageColumn],
  row: (object, now) => ({
    cells: [object.metadata.name ?? '', typeof object.handler === 'string' ? object.handler : '', since(object.metadata.creationTimestamp, now)],
  }),
};

interface CertificateSigningRequest extends KubeObject {
  spec?: { signerName?: string; username?: string; expirationSeconds?: number | null };
  status?: { conditions?: { type: string }[]; certificate?: string };
}

export const certificateSigningRequestPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'Signer asked to issue the certificate.'),
    column('Requestor', 'string', 'User who created the request.'),
    column('RequestedDuration', 'string', 'Validity the requester asked for.'),
    column('Condition', 'string', 'Approved or Denied (or Pending), plus Failed and Issued.'),
  ],
  row: (object, now) => {
    const request = object as CertificateSigningRequest;
    const spec = request.spec ?? {};
    const seconds = spec.expirationSeconds;
    return {
      cells: [
        object.metadata.name ?? '',
        since(object.metadata.creationTimestamp, now),
        spec.signerName || '<none>',
        spec.username ?? '',
        seconds === undefined || seconds === null ? '<none>' : humanDuration(seconds * 1000),
        csrCondition(request),
      ],
    };
  },
};

function csrCondition(request: CertificateSigningRequest): string {
  const types = new Set((request.status?.conditions ?? []).map((c) => c.type));
  // Validation keeps Approved and Denied apart; Failed and Issued are added to either.
  let condition = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) condition += ',Failed';
  if (request.status?.certificate) condition += ',Issued';
  return condition;
}

export const webhookConfigurationPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), ageColumn],
  row: (object, now) => ({
    cells: [
      object.metadata.name ?? '',
      Array.isArray(object.webhooks) ? object.webhooks.length : 0,
      since(object.metadata.creationTimestamp, now),
    ],
  }),
};
