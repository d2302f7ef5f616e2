import { schema, type JsonValue } from '@k8ts/api';
import { strategicMergePatch } from '@k8ts/api/patch/index.ts';
import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../pod/pod-types.ts';
import { podStatusPatchBody } from './pod-status-patch.ts';

const podSchema = schema.kindSchema({ group: '', version: 'v1', kind: 'Pod' })!;

function apply(status: PodStatus, patch: unknown): PodStatus {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u' }, status } as unknown as JsonValue;
  return (strategicMergePatch(pod, patch as JsonValue, podSchema) as unknown as { status: PodStatus }).status;
}

const scheduled: PodStatus = {
  phase: 'Pending',
  conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
  qosClass: 'BestEffort',
};

const running: PodStatus = {
  phase: 'Running',
  conditions: [
    { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: '2025-01-01T00:00:01Z' },
    { type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:01Z' },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
  ],
  podIP: '10.244.1.2',
  podIPs: [{ ip: '10.244.1.2' }],
  containerStatuses: [{ name: 'web', state: { running: { startedAt: '2025-01-01T00:00:01Z' } }, lastState: {}, ready: true, restartCount: 0, image: 'nginx', imageID: '' }],
  qosClass: 'BestEffort',
};

describe('pod status patch', () => {
  it('carries the uid and turns the old status into the new one, in the kubelet order', () => {
    const body = podStatusPatchBody('u', scheduled, running)!;
    expect(body.metadata).toEqual({ uid: 'u' });
    expect(apply(scheduled, body)).toEqual(running);
  });

  it('replaces container states wholesale and nulls removed fields', () => {
    const terminated: PodStatus = {
      ...running,
      phase: 'Succeeded',
      podIP: undefined,
      containerStatuses: [{ ...running.containerStatuses![0]!, state: { terminated: { exitCode: 0, reason: 'Completed' } }, ready: false }],
    };
    delete terminated.podIP;
    const body = podStatusPatchBody('u', running, terminated)!;
    expect((body.status as Record<string, unknown>).podIP).toBeNull();
    const result = apply(running, body);
    expect(result.containerStatuses![0]!.state).toEqual({ terminated: { exitCode: 0, reason: 'Completed' } });
    expect(result.podIP).toBeUndefined();
  });

  it('sends only the conditions that changed', () => {
    const later = structuredClone(running);
    later.conditions![1] = { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: '2025-01-01T00:01:00Z' };
    const body = podStatusPatchBody('u', running, later)!;
    expect((body.status as { conditions: { type: string }[] }).conditions.map((c) => c.type)).toEqual(['Ready']);
    expect(apply(running, body)).toEqual(later);
  });

  it('clears the reason and message of a condition that became True', () => {
    const notReady = structuredClone(running);
    notReady.conditions![1] = { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]', lastTransitionTime: '2025-01-01T00:00:00Z' };
    expect(apply(notReady, podStatusPatchBody('u', notReady, running))).toEqual(running);
  });

  it('is undefined when nothing changed', () => {
    expect(podStatusPatchBody('u', running, structuredClone(running))).toBeUndefined();
  });
});
