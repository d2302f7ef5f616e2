import { describe, expect, it } from 'vitest';
import { parseNodeLabels, parseTaints } from './node-flags.ts';
import { initialNode, nodeStatus, nodeStatusChanged, type NodeConfig } from './node-object.ts';

const T0 = Date.UTC(2025, 0, 1);

const config: NodeConfig = {
  nodeName: 'hollow-node-1',
  hostname: 'hollow-node-1',
  nodeIP: '10.0.0.11',
  labels: parseNodeLabels(['node-role.kubernetes.io/control-plane=', 'zone=a']),
  taints: parseTaints(['node-role.kubernetes.io/control-plane=:NoSchedule']),
  cpu: '4',
  memory: '16Gi',
  maxPods: 110,
  ephemeralStorage: '100Gi',
  containerRuntimeVersion: 'fake://1.0.0',
  machineID: 'm',
  bootID: 'b',
};

describe('the registered Node', () => {
  it('carries the default labels, the flags\' labels and taints', () => {
    const node = initialNode(config, T0);
    expect(node.metadata.labels).toEqual({
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'hollow-node-1',
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/control-plane': '',
      zone: 'a',
    });
    expect(node.spec!.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it('offers its capacity, less the eviction reserve as allocatable', () => {
    const status = initialNode(config, T0).status!;
    expect(status.capacity).toEqual({ cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' });
    expect(status.allocatable).toMatchObject({ cpu: '4', memory: '16284Mi', pods: '110', 'ephemeral-storage': String((100n * 2n ** 30n * 9n) / 10n) });
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.11' },
      { type: 'Hostname', address: 'hollow-node-1' },
    ]);
    expect(status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0', containerRuntimeVersion: 'fake://1.0.0', operatingSystem: 'linux', architecture: 'amd64' });
  });

  it('reports Ready with the kubelet reason, moving only the heartbeat later', () => {
    const first = nodeStatus(config, undefined, T0);
    expect(first.conditions!.find((c) => c.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'True',
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
      lastHeartbeatTime: '2025-01-01T00:00:00Z',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    const later = nodeStatus(config, first, T0 + 10_000);
    expect(later.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ lastHeartbeatTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:00Z' });
    expect(nodeStatusChanged(first, later)).toBe(false);
    expect(nodeStatusChanged(first, nodeStatus({ ...config, maxPods: 50 }, first, T0))).toBe(true);
  });

  it('rejects malformed flag values with the kubelet\'s messages', () => {
    expect(() => parseTaints(['foo=bar:Sometimes'])).toThrow('invalid taint effect: Sometimes, unsupported taint effect');
    expect(() => parseNodeLabels(['justakey'])).toThrow('malformed pair, expect string=string');
    expect(parseTaints(['dedicated=gpu:NoExecute'])).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
  });
});
