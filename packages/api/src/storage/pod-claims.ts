// The PersistentVolumeClaims a pod uses: the claims its volumes name, and the claim of each
// generic ephemeral volume, which the ephemeral-volume controller names "<pod>-<volume>".
import type { KubeObject } from '../object.ts';

export interface PodClaim {
  name: string;
  /** a generic ephemeral volume's claim (created for the pod, not by the user) */
  ephemeral: boolean;
}

interface PodVolume {
  name?: string;
  persistentVolumeClaim?: { claimName?: string } | null;
  ephemeral?: unknown;
}

export function podClaims(pod: KubeObject): PodClaim[] {
  const volumes = ((pod as { spec?: { volumes?: PodVolume[] | null } }).spec?.volumes ?? []) as PodVolume[];
  const claims: PodClaim[] = [];
  for (const volume of volumes) {
    if (volume.persistentVolumeClaim?.claimName) claims.push({ name: volume.persistentVolumeClaim.claimName, ephemeral: false });
    else if (volume.ephemeral) claims.push({ name: `${pod.metadata.name ?? ''}-${volume.name ?? ''}`, ephemeral: true });
  }
  return claims;
}
