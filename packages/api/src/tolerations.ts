// Taint/toleration matching as k8s.io/api/core/v1's helpers define it (Toleration.ToleratesTaint),
// shared by the scheduler's TaintToleration plugin and the controller-manager's taint eviction.

export interface TaintLike {
  key: string;
  value?: string;
  effect: string;
}

export interface TolerationLike {
  key?: string;
  /** "" means Equal */
  operator?: string;
  value?: string;
  effect?: string;
}

/** An empty effect or key matches any (with Exists); Equal compares values; Exists ignores them. */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
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
