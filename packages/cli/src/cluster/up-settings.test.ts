import { describe, expect, it } from 'vitest';
import { resolveSettings } from './up-settings.ts';

describe('resolveSettings', () => {
  it('fills in the defaults of a new cluster: one hollow node (fake runtime), one store member, Kubernetes v1.32', () => {
    expect(resolveSettings('dev', {}, undefined)).toEqual({
      nodes: 1,
      runtime: 'fake',
      storeMembers: 1,
      kubernetesVersion: 'v1.32.0',
      serviceClusterIpRange: '10.96.0.0/12',
    });
  });

  it('takes the flags of a new cluster', () => {
    const settings = resolveSettings('dev', { nodes: '3', runtime: 'docker', 'kubernetes-version': '1.32.4', 'store-members': '1' }, undefined);
    expect(settings).toMatchObject({ nodes: 3, runtime: 'docker', kubernetesVersion: 'v1.32.4', storeMembers: 1 });
  });

  it('takes a replicated store of 3 or 5 members, and no member count without a majority to spare', () => {
    expect(resolveSettings('dev', { 'store-members': '3' }, undefined).storeMembers).toBe(3);
    expect(resolveSettings('dev', { 'store-members': '5' }, undefined).storeMembers).toBe(5);
    expect(() => resolveSettings('dev', { 'store-members': '2' }, undefined)).toThrow('--store-members: "2" must be 1, 3 or 5');
  });

  it('rejects bad values with what is allowed', () => {
    expect(() => resolveSettings('dev', { nodes: '-1' }, undefined)).toThrow('--nodes: "-1" must be a whole number from 0 to 1000');
    expect(() => resolveSettings('dev', { runtime: 'containerd' }, undefined)).toThrow('--runtime: "containerd" must be fake or docker');
    expect(() => resolveSettings('dev', { 'kubernetes-version': 'v1.31.0' }, undefined)).toThrow(
      '--kubernetes-version: k8ts implements Kubernetes v1.32; "v1.31.0" is not available',
    );
  });

  it('keeps an existing cluster\'s settings, accepts them repeated, and refuses to change them', () => {
    const existing = resolveSettings('dev', { nodes: '2' }, undefined);
    expect(resolveSettings('dev', {}, existing)).toBe(existing);
    expect(resolveSettings('dev', { nodes: '2', runtime: 'fake' }, existing)).toBe(existing);
    expect(() => resolveSettings('dev', { nodes: '3' }, existing)).toThrow(
      'cluster "dev" was created with --nodes 2, not 3; to change it, delete the cluster (k8ts delete --name dev) and create it again',
    );
  });

  it('takes --extra-config on any start: a later start may change it, and one without it keeps the recorded flags', () => {
    const created = resolveSettings('dev', { 'extra-config': ['controller-manager.v=2'] }, undefined);
    expect(created.extraConfig).toEqual(['controller-manager.v=2']);
    expect(resolveSettings('dev', {}, created).extraConfig).toEqual(['controller-manager.v=2']);
    expect(resolveSettings('dev', { 'extra-config': ['scheduler.v=4'] }, created).extraConfig).toEqual(['scheduler.v=4']);
    expect(() => resolveSettings('dev', { 'extra-config': ['bogus'] }, undefined)).toThrow('--extra-config: "bogus" must be');
  });
});
