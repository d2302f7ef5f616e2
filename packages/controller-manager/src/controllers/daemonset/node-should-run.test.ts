import { describe, expect, it } from 'vitest';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import { daemonSet, node } from './testing.ts';
import type { DaemonSet } from './types.ts';

function withPodSpec(ds: DaemonSet, extra: Record<string, unknown>): DaemonSet {
  const template = ds.spec!.template!;
  return { ...ds, spec: { ...ds.spec, template: { ...template, spec: { ...template.spec, ...extra } } } };
}

const run = { shouldRun: true, shouldContinueRunning: true };
const stay = { shouldRun: false, shouldContinueRunning: true };
const never = { shouldRun: false, shouldContinueRunning: false };

describe('nodeShouldRunDaemonPod', () => {
  it('runs on every untainted node by default', () => {
    expect(nodeShouldRunDaemonPod(node('n1'), daemonSet('redis'))).toEqual(run);
  });

  it('honours nodeSelector and required node affinity on labels and on the node name', () => {
    const selecting = withPodSpec(daemonSet('redis'), { nodeSelector: { disk: 'ssd' } });
    expect(nodeShouldRunDaemonPod(node('n1', { disk: 'ssd' }), selecting)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('n2', { disk: 'hdd' }), selecting)).toEqual(never);
    const affinity = withPodSpec(daemonSet('redis'), {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n9'] }] }],
          },
        },
      },
    });
    expect(nodeShouldRunDaemonPod(node('n1', { zone: 'a' }), affinity)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('n9', { zone: 'b' }), affinity)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('n2', { zone: 'b' }), affinity)).toEqual(never);
  });

  it('does not start a pod on a NoSchedule-tainted node but lets a running one stay', () => {
    const tainted = node('n1', {}, [{ key: 'key', value: 'value', effect: 'NoSchedule' }]);
    expect(nodeShouldRunDaemonPod(tainted, daemonSet('redis'))).toEqual(stay);
  });

  it('evicts from a node with an untolerated NoExecute taint', () => {
    const tainted = node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    expect(nodeShouldRunDaemonPod(tainted, daemonSet('redis'))).toEqual(never);
  });

  it('ignores PreferNoSchedule taints and runs where the template tolerates the taint', () => {
    expect(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]), daemonSet('redis'))).toEqual(run);
    const tolerant = withPodSpec(daemonSet('redis'), { tolerations: [{ key: 'key', operator: 'Equal', value: 'value', effect: 'NoSchedule' }] });
    expect(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'key', value: 'value', effect: 'NoSchedule' }]), tolerant)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'key', value: 'other', effect: 'NoSchedule' }]), tolerant)).toEqual(stay);
  });

  it('tolerates the node-problem taints every daemon pod gets', () => {
    for (const taint of [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' as const },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const },
      { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' as const },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' as const },
      { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' as const },
    ]) {
      expect(nodeShouldRunDaemonPod(node('n1', {}, [taint]), daemonSet('redis')), taint.key).toEqual(run);
    }
  });

  it('tolerates network-unavailable only for host-network pods', () => {
    const taint = { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' as const };
    expect(nodeShouldRunDaemonPod(node('n1', {}, [taint]), daemonSet('redis'))).toEqual(stay);
    expect(nodeShouldRunDaemonPod(node('n1', {}, [taint]), withPodSpec(daemonSet('redis'), { hostNetwork: true }))).toEqual(run);
  });

  it('runs only on the node a template names', () => {
    const pinned = withPodSpec(daemonSet('redis'), { nodeName: 'n2' });
    expect(nodeShouldRunDaemonPod(node('n1'), pinned)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('n2'), pinned)).toEqual(run);
  });
});
