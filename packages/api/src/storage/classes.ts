// StorageClass facts the binder and the scheduler share: which class is the default, and
// whether a claim's binding waits for its first consumer.
import { claimClass } from './volume-matching.ts';
import { ANN_BETA_IS_DEFAULT_CLASS, ANN_IS_DEFAULT_CLASS, type PersistentVolumeClaim, type StorageClass } from './types.ts';

export function isDefaultClass(sc: StorageClass): boolean {
  const annotations = sc.metadata.annotations ?? {};
  return annotations[ANN_IS_DEFAULT_CLASS] === 'true' || annotations[ANN_BETA_IS_DEFAULT_CLASS] === 'true';
}

/** GetDefaultClass: of several defaults the newest wins, then the first by name. */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const created = (c: StorageClass) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => created(b) - created(a) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))[0];
}

/**
 * IsDelayBindingMode: the claim's class binds WaitForFirstConsumer. A claim without a class,
 * or naming a class that does not exist (yet), binds immediately.
 */
export function isDelayBinding(claim: PersistentVolumeClaim, classNamed: (name: string) => StorageClass | undefined): boolean {
  const name = claimClass(claim);
  if (name === '') return false;
  return classNamed(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}
