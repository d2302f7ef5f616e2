import { describe, expect, it } from 'vitest';
import { hollowNodeConfigs, nodeConfigFor, type NodeSettings } from './node-config.ts';

const settings: NodeSettings = {
  nodeLabels: ['pool=hollow'],
  registerWithTaints: [],
  maxPods: 110,
  cpu: '4',
  memory: '16Gi',
  ephemeralStorage: '100Gi',
  containerRuntimeVersion: 'fake://1.0.0',
};

describe('node configs', () => {
  it('names hollow nodes by prefix and index, with consecutive addresses', () => {
    const configs = hollowNodeConfigs(3, 'hollow-node-', '10.128.0.254', settings);
    expect(configs.map((c) => [c.nodeName, c.nodeIP])).toEqual([
      ['hollow-node-0', '10.128.0.254'],
      ['hollow-node-1', '10.128.0.255'],
      ['hollow-node-2', '10.128.1.0'],
    ]);
    expect(configs[0]!.labels).toEqual({ pool: 'hollow' });
  });

  it('gives each node a stable machine and boot ID of its own', () => {
    const a = nodeConfigFor('a', '10.0.0.1', settings);
    expect(a.machineID).toMatch(/^[0-9a-f]{32}$/);
    expect(a.bootID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(nodeConfigFor('a', '10.0.0.1', settings).machineID).toBe(a.machineID);
    expect(nodeConfigFor('b', '10.0.0.1', settings).machineID).not.toBe(a.machineID);
  });

  it('rejects a bad first address', () => {
    expect(() => hollowNodeConfigs(1, 'n', '10.0.0', settings)).toThrow('invalid IPv4 address "10.0.0"');
  });
});
