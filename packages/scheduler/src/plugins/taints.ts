// Taint/toleration matching as k8s.io/api/core/v1's helpers define it.
import { toleratesTaint } from '@k8ts/api/tolerations.ts';
import type { Taint, Toleration } from '../framework/types.ts';

export { toleratesTaint };

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** v1helper.FindMatchingUntoleratedTaint: the first taint `include` selects that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | null | undefined,
  tolerations: readonly Toleration[],
  include: (taint: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (include(taint) && !tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
