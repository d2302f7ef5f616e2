import { describe, expect, it } from 'vitest';
import { DAY, HOUR, ago, describeColumns, printRow } from './testing.ts';

describe('node printer', () => {
  const node = (labels: Record<string, string>, status: object, spec: object = {}) =>
    printRow('', 'nodes', { metadata: { name: 'node-1', creationTimestamp: ago(12 * DAY), labels }, spec, status });
  const info = { kubeletVersion: 'v1.32.0', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0-31-generic', containerRuntimeVersion: 'docker://27.1.1' };

  it('has the columns of kubectl get nodes', () => {
    expect(describeColumns('', 'nodes')).toEqual([
      'Name [name]',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP (wide)',
      'External-IP (wide)',
      'OS-Image (wide)',
      'Kernel-Version (wide)',
      'Container-Runtime (wide)',
    ]);
  });

  it('prints a ready control-plane node', () => {
    const row = node(
      { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'node-1' },
      {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '192.168.49.2' }],
        nodeInfo: info,
      },
    );
    expect(row).toEqual({
      Name: 'node-1',
      Status: 'Ready',
      Roles: 'control-plane',
      Age: '12d',
      Version: 'v1.32.0',
      'Internal-IP': '192.168.49.2',
      'External-IP': '<none>',
      'OS-Image': 'Ubuntu 24.04 LTS',
      'Kernel-Version': '6.8.0-31-generic',
      'Container-Runtime': 'docker://27.1.1',
    });
  });

  it('prints NotReady, Unknown and SchedulingDisabled', () => {
    expect(node({}, { conditions: [{ type: 'Ready', status: 'False' }] }).Status).toBe('NotReady');
    expect(node({}, { conditions: [{ type: 'Ready', status: 'Unknown' }] }).Status).toBe('NotReady');
    expect(node({}, {}).Status).toBe('Unknown');
    expect(node({}, { conditions: [{ type: 'Ready', status: 'True' }] }, { unschedulable: true }).Status).toBe('Ready,SchedulingDisabled');
    expect(node({}, {}, { unschedulable: true }).Status).toBe('Unknown,SchedulingDisabled');
  });

  it('collects roles from both role labels, sorted, and says <none> without any', () => {
    const row = node({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'ingress' }, {});
    expect(row.Roles).toBe('ingress,worker');
    expect(node({ 'kubernetes.io/role': '' }, {}).Roles).toBe('<none>');
  });

  it('says <unknown> for missing node info', () => {
    expect(node({}, {})).toMatchObject({ Version: '', 'OS-Image': '<unknown>', 'Kernel-Version': '<unknown>', 'Container-Runtime': '<unknown>' });
  });
});

describe('namespace printer', () => {
  it('prints the phase', () => {
    expect(printRow('', 'namespaces', { metadata: { name: 'dev', creationTimestamp: ago(HOUR) }, status: { phase: 'Terminating' } })).toEqual({
      Name: 'dev',
      Status: 'Terminating',
      Age: '60m',
    });
  });
});

describe('config map and secret printers', () => {
  it('counts text and binary keys of a config map', () => {
    const row = printRow('', 'configmaps', {
      metadata: { name: 'settings', creationTimestamp: ago(DAY) },
      data: { 'a.conf': 'x', 'b.conf': 'y' },
      binaryData: { logo: 'iVBORw0=' },
    });
    expect(row).toEqual({ Name: 'settings', Data: 3, Age: '24h' });
    expect(printRow('', 'configmaps', { metadata: { name: 'empty' } }).Data).toBe(0);
  });

  it('prints the type and key count of a secret', () => {
    expect(describeColumns('', 'secrets')).toEqual(['Name [name]', 'Type', 'Data', 'Age']);
    const row = printRow('', 'secrets', {
      metadata: { name: 'tls', creationTimestamp: ago(DAY) },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' },
    });
    expect(row).toEqual({ Name: 'tls', Type: 'kubernetes.io/tls', Data: 2, Age: '24h' });
  });
});

describe('service account printer', () => {
  it('counts the listed secrets', () => {
    expect(printRow('', 'serviceaccounts', { metadata: { name: 'default', creationTimestamp: ago(DAY) } })).toEqual({
      Name: 'default',
      Secrets: 0,
      Age: '24h',
    });
    expect(printRow('', 'serviceaccounts', { metadata: { name: 'ci' }, secrets: [{ name: 'ci-token' }] }).Secrets).toBe(1);
  });
});

describe('resource quota printer', () => {
  it('splits requests from limits and writes quantities canonically', () => {
    const row = printRow('', 'resourcequotas', {
      metadata: { name: 'compute', creationTimestamp: ago(DAY) },
      spec: { hard: { pods: '10' } },
      status: {
        hard: { 'requests.memory': '1Gi', 'limits.cpu': '2', pods: '10', 'requests.cpu': '1000m', 'limits.memory': '2048Mi' },
        used: { 'requests.memory': '512Mi', 'limits.cpu': '500m', pods: '3', 'requests.cpu': '250m' },
      },
    });
    expect(row).toEqual({
      Name: 'compute',
      Request: 'pods: 3/10, requests.cpu: 250m/1, requests.memory: 512Mi/1Gi',
      Limit: 'limits.cpu: 500m/2, limits.memory: 0/2Gi',
      Age: '24h',
    });
  });

  it('prints empty cells before the quota controller filled in the status', () => {
    expect(printRow('', 'resourcequotas', { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } })).toMatchObject({ Request: '', Limit: '' });
  });
});

describe('component status printer', () => {
  it('prints the Healthy condition, with no age column', () => {
    expect(describeColumns('', 'componentstatuses')).toEqual(['Name [name]', 'Status', 'Message', 'Error']);
    const healthy = printRow('', 'componentstatuses', {
      metadata: { name: 'etcd-0' },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    expect(healthy).toEqual({ Name: 'etcd-0', Status: 'Healthy', Message: 'ok', Error: '' });
    const unhealthy = printRow('', 'componentstatuses', {
      metadata: { name: 'scheduler' },
      conditions: [{ type: 'Healthy', status: 'False', error: 'connection refused' }],
    });
    expect(unhealthy).toMatchObject({ Status: 'Unhealthy', Error: 'connection refused' });
    expect(printRow('', 'componentstatuses', { metadata: { name: 'x' } }).Status).toBe('Unknown');
  });
});
