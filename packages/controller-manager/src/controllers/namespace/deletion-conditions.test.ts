import { describe, expect, it } from 'vitest';
import { updateDeletionConditions, type DeletionProblems } from './deletion-conditions.ts';

const clean = (): DeletionProblems => ({ content: [], remainingByResource: new Map(), remainingByFinalizer: new Map() });

describe('namespace deletion conditions', () => {
  it('sets all five, False with the ok reasons, when nothing went wrong', () => {
    const { conditions, changed } = updateDeletionConditions([], clean(), 't1');
    expect(changed).toBe(true);
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered', 't1'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed', 't1'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization', 't1'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed', 't1'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished', 't1'],
    ]);
    expect(updateDeletionConditions(conditions, clean(), 't2').changed).toBe(false);
  });

  it('words problems as Kubernetes does, sorted, and moves lastTransitionTime only when the status flips', () => {
    const first = updateDeletionConditions([], clean(), 't1').conditions;
    const problems: DeletionProblems = {
      content: ['zeta failed', 'alpha failed'],
      remainingByResource: new Map([['replicasets.apps', 1], ['pods.', 2], ['secrets.', 0]]),
      remainingByFinalizer: new Map([['kubernetes.io/pvc-protection', 1], ['example.com/a', 3]]),
    };
    const { conditions } = updateDeletionConditions(first, problems, 't2');
    const byType = Object.fromEntries(conditions.map((c) => [c.type, c]));
    expect(byType.NamespaceDeletionContentFailure).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 2 remaining: alpha failed, zeta failed',
      lastTransitionTime: 't2',
    });
    expect(byType.NamespaceContentRemaining!.message).toBe('Some resources are remaining: pods. has 2 resource instances, replicasets.apps has 1 resource instances');
    expect(byType.NamespaceFinalizersRemaining).toMatchObject({
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/a in 3 resource instances, kubernetes.io/pvc-protection in 1 resource instances',
    });
    expect(byType.NamespaceDeletionDiscoveryFailure!.lastTransitionTime).toBe('t1');

    // Still failing, but differently: the message changes, the transition time does not.
    const again = updateDeletionConditions(conditions, { ...problems, remainingByResource: new Map([['pods.', 1]]) }, 't3').conditions;
    const remaining = again.find((c) => c.type === 'NamespaceContentRemaining')!;
    expect([remaining.message, remaining.lastTransitionTime]).toEqual(['Some resources are remaining: pods. has 1 resource instances', 't2']);
  });

  it('keeps conditions of other types', () => {
    const other = { type: 'Example', status: 'True' as const, lastTransitionTime: 't0', reason: 'R', message: 'm' };
    expect(updateDeletionConditions([other], clean(), 't1').conditions[0]).toEqual(other);
  });
});
