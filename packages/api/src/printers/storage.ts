// Volumes: PersistentVolumes, PersistentVolumeClaims, StorageClasses and the CSI objects
// (CSIDrivers, CSINodes, VolumeAttachments).
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import { formatQuantity } from './format.ts';
import type { ResourcePrinter } from './types.ts';

// The beta annotation still overrides spec.storageClassName, as it does for the volume binder.
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const ACCESS_MODE_ABBREVIATIONS: [mode: string, short: string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** "RWO,RWX": each mode once, always in this order. */
function accessModes(modes: string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

function storageClassOf(object: KubeObject & { spec?: { storageClassName?: string | null } }): string {
  const annotated = object.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return object.spec?.storageClassName ?? '';
}

interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string } | null;
    storageClassName?: string;
    volumeAttributesClassName?: string | null;
    volumeMode?: string | null;
  };
  status?: { phase?: string; reason?: string };
}

export const persistentVolumePrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Capacity', 'string', 'Storage size of the volume.'),
    column('Access Modes', 'string', 'How the volume can be mounted: RWO, ROX, RWX, RWOP.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is deleted.'),
    column('Status', 'string', 'Available, Bound, Released, Failed, or Terminating.'),
    column('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
    column('StorageClass', 'string', 'StorageClass the volume belongs to.'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the volume.'),
    column('Reason', 'string', 'Why the volume is in its phase.'),
    ageColumn,
    wideColumn('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  row: (object, now) => {
    const volume = object as PersistentVolume;
    const spec = volume.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    return {
      cells: [
        object.metadata.name ?? '',
        formatQuantity(spec.capacity?.storage ?? '0'),
        accessModes(spec.accessModes),
        spec.persistentVolumeReclaimPolicy ?? '',
        object.metadata.deletionTimestamp ? 'Terminating' : (volume.status?.phase ?? ''),
        claim,
        storageClassOf(volume),
        spec.volumeAttributesClassName ?? '<unset>',
        volume.status?.reason ?? '',
        since(object.metadata.creationTimestamp, now),
        spec.volumeMode ?? '<unset>',
      ],
    };
  },
};

interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    volumeName?: string;
    storageClassName?: string | null;
    volumeAttributesClassName?: string | null;
    volumeMode?: string | null;
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string> };
}

export const persistentVolumeClaimPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Pending, Bound, Lost, or Terminating.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'Storage size of the bound volume.'),
    column('Access Modes', 'string', 'How the bound volume can be mounted.'),
    column('StorageClass', 'string', 'StorageClass the claim asks for.'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass the claim asks for.'),
    ageColumn,
    wideColumn('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  row: (object, now) => {
    const claim = object as PersistentVolumeClaim;
    const spec = claim.spec ?? {};
    // Capacity and access modes describe the bound volume, so they stay empty until binding.
    const bound = Boolean(spec.volumeName);
    return {
      cells: [
        object.metadata.name ?? '',
        object.metadata.deletionTimestamp ? 'Terminating' : (claim.status?.phase ?? ''),
        spec.volumeName ?? '',
        bound ? formatQuantity(claim.status?.capacity?.storage ?? '0') : '',
        bound ? accessModes(claim.status?.accessModes) : '',
        storageClassOf(claim),
        spec.volumeAttributesClassName ?? '<unset>',
        since(object.metadata.creationTimestamp, now),
        spec.volumeMode ?? '<unset>',
      ],
    };
  },
};

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

interface StorageClass extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: string | null;
  volumeBindingMode?: string | null;
  allowVolumeExpansion?: boolean | null;
}

export const storageClassPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'Driver that creates volumes of this class.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy given to the volumes it creates.'),
    column('VolumeBindingMode', 'string', 'Immediate, or WaitForFirstConsumer to bind once a pod needs the claim.'),
    column('AllowVolumeExpansion', 'string', 'Whether claims of this class may grow.'),
    ageColumn,
  ],
  row: (object, now) => {
    const storageClass = object as StorageClass;
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((key) => object.metadata.annotations?.[key] === 'true');
    return {
      cells: [
        `${object.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`,
        storageClass.provisioner ?? '',
        storageClass.reclaimPolicy ?? 'Delete',
        storageClass.volumeBindingMode ?? 'Immediate',
        storageClass.allowVolumeExpansion ?? false,
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};

interface CSIDriver extends KubeObject {
  spec?: {
    attachRequired?: boolean | null;
    podInfoOnMount?: boolean | null;
    storageCapacity?: boolean | null;
    tokenRequests?: { audience?: string }[] | null;
    requiresRepublish?: boolean | null;
    volumeLifecycleModes?: string[];
  };
}

export const csiDriverPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('AttachRequired', 'boolean', 'Whether volumes need an attach step (a VolumeAttachment).'),
    column('PodInfoOnMount', 'boolean', 'Whether the driver is told about the pod on mount.'),
    column('StorageCapacity', 'boolean', 'Whether the scheduler checks the driver\'s reported capacity.'),
    column('TokenRequests', 'string', 'Audiences of the service account tokens passed to the driver.'),
    column('RequiresRepublish', 'boolean', 'Whether the kubelet calls NodePublishVolume periodically.'),
    column('Modes', 'string', 'Volume lifecycle modes the driver supports.'),
    ageColumn,
  ],
  row: (object, now) => {
    const spec = (object as CSIDriver).spec ?? {};
    const modes = (spec.volumeLifecycleModes ?? []).join(',');
    const tokenRequests = spec.tokenRequests ? spec.tokenRequests.map((t) => t.audience ?? '').join(',') : '<unset>';
    return {
      cells: [
        object.metadata.name ?? '',
        spec.attachRequired ?? true,
        spec.podInfoOnMount ?? false,
        spec.storageCapacity ?? false,
        tokenRequests,
        spec.requiresRepublish ?? false,
        modes || '<none>',
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};

export const csiNodePrinter: ResourcePrinter = {
  columns: [nameColumn, column('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  row: (object, now) => {
    const drivers = (object as KubeObject & { spec?: { drivers?: unknown[] } }).spec?.drivers ?? [];
    return { cells: [object.metadata.name ?? '', drivers.length, since(object.metadata.creationTimestamp, now)] };
  },
};

interface VolumeAttachment extends KubeObject {
  spec?: { attacher?: string; nodeName?: string; source?: { persistentVolumeName?: string | null } };
  status?: { attached?: boolean };
}

export const volumeAttachmentPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    // Kubernetes really marks this column as a name column too.
    { ...column('Attacher', 'string', 'Driver that attaches the volume.'), format: 'name' },
    column('PV', 'string', 'The persistent volume being attached.'),
    column('Node', 'string', 'The node the volume is attached to.'),
    column('Attached', 'boolean', 'Whether the attach step finished.'),
    ageColumn,
  ],
  row: (object, now) => {
    const attachment = object as VolumeAttachment;
    return {
      cells: [
        object.metadata.name ?? '',
        attachment.spec?.attacher ?? '',
        attachment.spec?.source?.persistentVolumeName ?? '',
        attachment.spec?.nodeName ?? '',
        attachment.status?.attached ?? false,
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};
