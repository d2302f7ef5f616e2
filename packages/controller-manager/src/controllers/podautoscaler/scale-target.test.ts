import { describe, expect, it } from 'vitest';
import { parseGroupVersion, scaleTargetMappings } from './scale-target.ts';

describe('scale target references', () => {
  it('parse apiVersion as apimachinery does', () => {
    expect(parseGroupVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseGroupVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseGroupVersion(undefined)).toEqual({ group: '', version: '' });
    expect(() => parseGroupVersion('apps/v1/x')).toThrow('unexpected GroupVersion string: apps/v1/x');
  });

  it('map every scalable kind to its resource, whatever version the reference names', () => {
    expect(scaleTargetMappings('apps', 'v1', 'Deployment').map((r) => r.resource)).toEqual(['deployments']);
    expect(scaleTargetMappings('apps', 'v1', 'StatefulSet')[0]?.resource).toBe('statefulsets');
    expect(scaleTargetMappings('', 'v1', 'ReplicationController')[0]?.resource).toBe('replicationcontrollers');
    expect(scaleTargetMappings('apps', 'v1beta1', 'ReplicaSet')[0]?.resource).toBe('replicasets');
  });

  it("fail with the REST mapper's words for an unknown kind", () => {
    expect(() => scaleTargetMappings('', '', 'Deployment')).toThrow('no matches for kind "Deployment" in group ""');
  });
});
