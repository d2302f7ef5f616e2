import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '@k8ts/api';
import { claimOwnerRefsForPolicy, isClaimOwnerUpToDate } from './claim-retention.ts';
import { statefulSet } from './testing.ts';
import type { PersistentVolumeClaim, Pod, RetentionPolicyType, StatefulSet } from './types.ts';

function setWith(whenDeleted: RetentionPolicyType, whenScaled: RetentionPolicyType): StatefulSet {
  const set = statefulSet('web', { replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
  set.metadata.uid = 'set-uid';
  return set;
}

const pod = (ordinal: number): Pod => ({ metadata: { name: `web-${ordinal}`, namespace: 'default', uid: `pod-uid-${ordinal}` } });
const claim = (ownerReferences?: OwnerReference[]): PersistentVolumeClaim => ({ metadata: { name: 'www-web-0', namespace: 'default', ...(ownerReferences ? { ownerReferences } : {}) } });
const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
const podRef = (ordinal: number) => ({ apiVersion: 'v1', kind: 'Pod', name: `web-${ordinal}`, uid: `pod-uid-${ordinal}`, controller: true, blockOwnerDeletion: true });

describe('claim retention', () => {
  it('wants no owner under Retain/Retain', () => {
    const set = setWith('Retain', 'Retain');
    expect(isClaimOwnerUpToDate(claim(), set, pod(0))).toBe(true);
    expect(isClaimOwnerUpToDate(claim([setRef]), set, pod(0))).toBe(false);
    expect(claimOwnerRefsForPolicy(claim([setRef]), set, pod(0))).toEqual([]);
  });

  it('whenDeleted Delete: the set controls every claim', () => {
    const set = setWith('Delete', 'Retain');
    expect(isClaimOwnerUpToDate(claim(), set, pod(0))).toBe(false);
    expect(claimOwnerRefsForPolicy(claim(), set, pod(0))).toEqual([setRef]);
    expect(isClaimOwnerUpToDate(claim([setRef]), set, pod(5))).toBe(true);
  });

  it('whenScaled Delete: a scaled-away pod controls its claim, a kept one none', () => {
    const set = setWith('Retain', 'Delete');
    expect(isClaimOwnerUpToDate(claim(), set, pod(1))).toBe(true);
    expect(isClaimOwnerUpToDate(claim(), set, pod(2))).toBe(false);
    expect(claimOwnerRefsForPolicy(claim(), set, pod(2))).toEqual([podRef(2)]);
  });

  it('Delete/Delete: the set while the ordinal is kept, the pod once it is scaled away', () => {
    const set = setWith('Delete', 'Delete');
    expect(claimOwnerRefsForPolicy(claim(), set, pod(1))).toEqual([setRef]);
    expect(claimOwnerRefsForPolicy(claim([setRef]), set, pod(2))).toEqual([podRef(2)]);
    expect(isClaimOwnerUpToDate(claim([podRef(2)]), set, pod(2))).toBe(true);
  });

  it('keeps other owners, and leaves claims of an earlier set of the same name alone', () => {
    const set = setWith('Delete', 'Retain');
    const other = { apiVersion: 'example.com/v1', kind: 'Backup', name: 'b', uid: 'backup-uid' };
    expect(claimOwnerRefsForPolicy(claim([other]), set, pod(0))).toEqual([other, setRef]);
    const stale = { ...setRef, uid: 'old-set-uid' };
    expect(isClaimOwnerUpToDate(claim([stale]), set, pod(0))).toBe(true);
  });

  it('adds nothing on top of another controller', () => {
    const set = setWith('Delete', 'Delete');
    const foreign = { apiVersion: 'example.com/v1', kind: 'Operator', name: 'o', uid: 'op-uid', controller: true };
    expect(isClaimOwnerUpToDate(claim([foreign]), set, pod(0))).toBe(true);
    expect(claimOwnerRefsForPolicy(claim([foreign, setRef]), set, pod(0))).toEqual([foreign]);
  });
});
