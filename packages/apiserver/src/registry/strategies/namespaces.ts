// Namespaces: DELETE turns them Terminating; the namespace controller empties them and clears
// spec.finalizers (through /finalize), and only then does a DELETE remove them.
import type { KubeObject } from '@k8ts/api';
import type { ResourceStrategy } from '../strategy.ts';

function specFinalizers(object: KubeObject): string[] {
  return ((object.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
}

export const namespaceStrategy: ResourceStrategy = {
  prepareForCreate(namespace) {
    // Every namespace waits for the namespace controller ("kubernetes") before it goes away.
    namespace.spec = { ...((namespace.spec ?? {}) as object), finalizers: ['kubernetes'] };
    namespace.status = { phase: 'Active' };
  },
  keepOnDelete(namespace) {
    return specFinalizers(namespace).length > 0;
  },
  prepareForDelete(namespace) {
    namespace.status = { ...((namespace.status ?? {}) as object), phase: 'Terminating' };
  },
};
