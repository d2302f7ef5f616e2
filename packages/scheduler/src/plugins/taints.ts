// Taint/toleration matching as k8s.io/api/core/v1's helpers define it.
import type { Taint, Toleration } from '../framework/types.ts';

/** Toleration.ToleratesTaint: an empty effect or key matches any; Exists ignores the value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

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
