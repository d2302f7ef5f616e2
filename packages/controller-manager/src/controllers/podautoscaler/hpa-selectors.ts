// Which HPAs select which pods (Kubernetes' hpa_selector_store): each HPA's target selector as
// last seen by a reconcile, so that two HPAs scaling the same pods — which would fight each
// other — are detected and both refuse to scale. An HPA is registered when the informer sees
// it and forgotten when it is deleted; only registered HPAs get a selector recorded, so a
// reconcile racing a delete cannot bring a deleted HPA back.
import { matchesLabels, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import type { Pod } from '../../controller/workload-types.ts';

export class HpaSelectors {
  private readonly byHpa = new Map<string, { namespace: string; selector: LabelSelector | null } | undefined>();

  register(key: string): void {
    if (!this.byHpa.has(key)) this.byHpa.set(key, undefined);
  }

  forget(key: string): void {
    this.byHpa.delete(key);
  }

  /** Records a registered HPA's selector (the HPA key is "namespace/name"). */
  put(key: string, selector: LabelSelector | null): void {
    if (this.byHpa.has(key)) this.byHpa.set(key, { namespace: key.slice(0, key.indexOf('/')), selector });
  }

  /** The HPAs whose selectors pick any of `pods`, sorted. */
  selecting(pods: readonly Pod[]): string[] {
    const keys = new Set<string>();
    for (const pod of pods) {
      for (const [key, entry] of this.byHpa) {
        if (entry && entry.namespace === pod.metadata.namespace && matchesLabels(entry.selector, pod.metadata.labels)) keys.add(key);
      }
    }
    return [...keys].sort();
  }
}
