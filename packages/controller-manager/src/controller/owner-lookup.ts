// How a workload controller's event handlers find the owners an event concerns (client-go's
// resolveControllerRef and the getPodXs helpers): the owner a controller reference names, if it
// is still that object; or, for an orphan, every owner whose selector matches it and so might
// adopt it.
import type { KubeObject } from '@k8ts/api';
import { labelSelectorFromObject, matchesLabels } from '@k8ts/api/selectors/index.ts';
import type { Lister } from '@k8ts/client';

export interface ControllerRefTarget {
  kind: string;
  name: string;
  uid: string;
}

/** The `kind` object `ref` names in `lister`, if it still exists with that uid (not a namesake made since). */
export function resolveControllerRef<T extends KubeObject>(lister: Lister<T>, kind: string, namespace: string, ref: ControllerRefTarget): T | undefined {
  if (ref.kind !== kind) return undefined;
  const owner = lister.get(namespace, ref.name);
  return owner?.metadata.uid === ref.uid ? owner : undefined;
}

/**
 * Every object in `dependent`'s namespace whose selector matches its labels. A missing, empty
 * or unparsable selector matches nothing here (not everything), and an unlabelled dependent is
 * nobody's.
 */
export function ownersSelecting<T extends KubeObject & { spec?: { selector?: unknown } }>(lister: Lister<T>, dependent: KubeObject): T[] {
  const labels = dependent.metadata.labels;
  if (!labels || Object.keys(labels).length === 0) return [];
  return lister
    .byNamespace(dependent.metadata.namespace ?? '')
    .list()
    .filter((owner) => {
      try {
        const selector = labelSelectorFromObject((owner.spec?.selector ?? null) as never);
        return selector !== null && selector.length > 0 && matchesLabels(selector, labels);
      } catch {
        return false;
      }
    });
}
