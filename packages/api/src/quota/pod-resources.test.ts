import { describe, expect, it } from 'vitest';
import { podLimits, podRequests, type PodShape } from './pod-resources.ts';
import { resourceListJson } from './resource-list.ts';

const container = (requests: Record<string, string>, limits: Record<string, string> = {}, restartPolicy?: string) => ({
  resources: { requests, limits },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('pod requests and limits', () => {
  it('adds overhead to requests, and to limits only where a limit is set', () => {
    const pod: PodShape = { spec: { containers: [container({ cpu: '100m', memory: '64Mi' }, { memory: '128Mi' })], overhead: { cpu: '10m', memory: '16Mi' } } };
    expect(resourceListJson(podRequests(pod))).toEqual({ cpu: '110m', memory: '80Mi' });
    expect(resourceListJson(podLimits(pod))).toEqual({ memory: '144Mi' });
    expect(resourceListJson(podRequests(pod, { excludeOverhead: true }))).toEqual({ cpu: '100m', memory: '64Mi' });
  });

  it('counts a sidecar alongside the app and every later init container', () => {
    const pod: PodShape = {
      spec: {
        initContainers: [container({ memory: '10Mi' }, {}, 'Always'), container({ memory: '100Mi' })],
        containers: [container({ memory: '50Mi' })],
      },
    };
    // max(app 50Mi + sidecar 10Mi, init 100Mi + sidecar 10Mi)
    expect(resourceListJson(podRequests(pod))).toEqual({ memory: '110Mi' });
  });
});
