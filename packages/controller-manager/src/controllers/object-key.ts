// How the namespaced workload controllers name an object in their work queues and expectations.
import type { KubeObject } from '@k8ts/api';

/** "namespace/name" (cache.MetaNamespaceKeyFunc for a namespaced object). */
export function objectKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
