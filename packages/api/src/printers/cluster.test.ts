import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, ago, describeColumns, printRow } from './testing.ts';

describe('lease printer', () => {
  it('prints the holder', () => {
    const row = printRow('coordination.k8s.io', 'leases', {
      metadata: { name: 'kube-scheduler', namespace: 'kube-system', creationTimestamp: ago(HOUR) },
      spec: { holderIdentity: 'cp-1_3f2a', leaseDurationSeconds: 15 },
    });
    expect(row).toEqual({ Name: 'kube-scheduler', Holder: 'cp-1_3f2a', Age: '60m' });
    expect(printRow('coordination.k8s.io', 'leases', { metadata: { name: 'free' }, spec: {} }).Holder).toBe('');
  });
});

describe('priority class printer', () => {
  it('prints value, global default and preemption policy', () => {
    expect(describeColumns('scheduling.k8s.io', 'priorityclasses')).toEqual([
      'Name [name]',
      'Value:integer',
      'Global-Default:boolean',
      'Age',
      'PreemptionPolicy',
    ]);
    const row = printRow('scheduling.k8s.io', 'priorityclasses', {
      metadata: { name: 'system-cluster-critical', creationTimestamp: ago(DAY) },
      value: 2000000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(row).toEqual({ Name: 'system-cluster-critical', Value: 2000000000, 'Global-Default': false, Age: '24h', PreemptionPolicy: 'PreemptLowerPriority' });
  });
});

describe('runtime class printer', () => {
  it('prints the handler', () => {
    expect(printRow('node.k8s.io', 'runtimeclasses', { metadata: { name: 'gvisor', creationTimestamp: ago(DAY) }, handler: 'runsc' })).toEqual({
      Name: 'gvisor',
      Handler: 'runsc',
      Age: '24h',
    });
  });
});

describe('certificate signing request printer', () => {
  const csr = (spec: object, status: object = {}) =>
    printRow('certificates.k8s.io', 'certificatesigningrequests', {
      metadata: { name: 'csr-7xk2p', creationTimestamp: ago(5 * MINUTE) },
      spec: { request: 'LS0t', signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:node-1', ...spec },
      status,
    });

  it('has the columns of kubectl get csr, age second', () => {
    expect(describeColumns('certificates.k8s.io', 'certificatesigningrequests')).toEqual([
      'Name [name]',
      'Age',
      'SignerName',
      'Requestor',
      'RequestedDuration',
      'Condition',
    ]);
  });

  it('prints a pending request', () => {
    expect(csr({})).toEqual({
      Name: 'csr-7xk2p',
      Age: '5m',
      SignerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      Requestor: 'system:node:node-1',
      RequestedDuration: '<none>',
      Condition: 'Pending',
    });
  });

  it('prints the requested duration and the condition summary', () => {
    const issued = csr({ expirationSeconds: 86400 }, { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0tLS1C' });
    expect(issued).toMatchObject({ RequestedDuration: '24h', Condition: 'Approved,Issued' });
    expect(csr({}, { conditions: [{ type: 'Denied', status: 'True' }] }).Condition).toBe('Denied');
    expect(csr({}, { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Failed', status: 'True' }] }).Condition).toBe('Approved,Failed');
    expect(csr({ signerName: '' }).SignerName).toBe('<none>');
  });
});

describe('webhook configuration printers', () => {
  it.each(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'])('counts the webhooks of %s', (resource) => {
    expect(describeColumns('admissionregistration.k8s.io', resource)).toEqual(['Name [name]', 'Webhooks:integer', 'Age']);
    const row = printRow('admissionregistration.k8s.io', resource, {
      metadata: { name: 'policy-hooks', creationTimestamp: ago(DAY) },
      webhooks: [{ name: 'a.example.com' }, { name: 'b.example.com' }],
    });
    expect(row).toEqual({ Name: 'policy-hooks', Webhooks: 2, Age: '24h' });
  });
});
