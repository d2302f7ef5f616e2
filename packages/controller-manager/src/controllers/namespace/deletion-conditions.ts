// The five status conditions the namespace controller keeps on a Terminating namespace, so
// `kubectl describe ns` says why it is stuck. Each attempt sets every one of them: True with the
// problem when the attempt met it, otherwise False with the "all is well" reason. A condition's
// lastTransitionTime moves only when its status flips.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** What one deletion attempt ran into. */
export interface DeletionProblems {
  /** discovery failed (for some groups) */
  discovery?: string;
  /** a discovered group version could not be parsed */
  groupVersion?: string;
  /** one message per resource whose content could not be deleted */
  content: string[];
  /** resource ("pods.", "replicasets.apps") → instances still there */
  remainingByResource: Map<string, number>;
  /** finalizer → instances it still holds */
  remainingByFinalizer: Map<string, number>;
}

/** In the order Kubernetes adds them. */
const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

type ConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

function counted(counts: ReadonlyMap<string, number>, format: (name: string, n: number) => string): string[] {
  return [...counts.entries()]
    .filter(([, n]) => n > 0)
    .map(([name, n]) => format(name, n))
    .sort();
}

/** The failing conditions an attempt's problems amount to. */
function failures(problems: DeletionProblems): Map<ConditionType, { reason: string; message: string }> {
  const failed = new Map<ConditionType, { reason: string; message: string }>();
  if (problems.discovery) failed.set('NamespaceDeletionDiscoveryFailure', { reason: 'DiscoveryFailed', message: problems.discovery });
  if (problems.groupVersion) failed.set('NamespaceDeletionGroupVersionParsingFailure', { reason: 'GroupVersionParsingFailed', message: problems.groupVersion });
  if (problems.content.length > 0) {
    const messages = [...problems.content].sort();
    failed.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
    });
  }
  const resources = counted(problems.remainingByResource, (r, n) => `${r} has ${n} resource instances`);
  if (problems.remainingByResource.size > 0) {
    failed.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.join(', ')}` });
  }
  const finalizers = counted(problems.remainingByFinalizer, (f, n) => `${f} in ${n} resource instances`);
  if (problems.remainingByFinalizer.size > 0) {
    failed.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    });
  }
  return failed;
}

/** The conditions after an attempt (others kept as they are), and whether anything changed. */
export function updateDeletionConditions(
  existing: readonly NamespaceCondition[],
  problems: DeletionProblems,
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = existing.map((c) => ({ ...c }));
  const failed = failures(problems);
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const failure = failed.get(type);
    const next = { status: failure ? ('True' as const) : ('False' as const), ...(failure ?? OK[type]) };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: next.status, lastTransitionTime: now, reason: next.reason, message: next.message });
      changed = true;
    } else if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      Object.assign(old, next);
      changed = true;
    }
  }
  return { conditions, changed };
}
