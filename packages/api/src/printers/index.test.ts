import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { printTable } from './index.ts';
import { NOW, ago, describeColumns, printRow, DAY } from './testing.ts';

// Every resource with its own printer, as [group, resource].
const printed: [string, string][] = [
  ['', 'pods'],
  ['', 'podtemplates'],
  ['', 'replicationcontrollers'],
  ['', 'services'],
  ['', 'endpoints'],
  ['', 'nodes'],
  ['', 'namespaces'],
  ['', 'configmaps'],
  ['', 'secrets'],
  ['', 'serviceaccounts'],
  ['', 'events'],
  ['', 'persistentvolumes'],
  ['', 'persistentvolumeclaims'],
  ['', 'resourcequotas'],
  ['', 'componentstatuses'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['apps', 'controllerrevisions'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['autoscaling', 'horizontalpodautoscalers'],
  ['policy', 'poddisruptionbudgets'],
  ['networking.k8s.io', 'ingresses'],
  ['networking.k8s.io', 'ingressclasses'],
  ['networking.k8s.io', 'networkpolicies'],
  ['discovery.k8s.io', 'endpointslices'],
  ['events.k8s.io', 'events'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  ['coordination.k8s.io', 'leases'],
  ['scheduling.k8s.io', 'priorityclasses'],
  ['node.k8s.io', 'runtimeclasses'],
  ['certificates.k8s.io', 'certificatesigningrequests'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['storage.k8s.io', 'storageclasses'],
  ['storage.k8s.io', 'csidrivers'],
  ['storage.k8s.io', 'csinodes'],
  ['storage.k8s.io', 'volumeattachments'],
];

describe('printTable', () => {
  it.each(printed)('prints one cell per column for a bare %s/%s object', (group, resource) => {
    const table = printTable(group, resource, [{ metadata: { name: 'bare' } }], NOW);
    expect(table.columnDefinitions.length).toBeGreaterThan(2);
    expect(table.columnDefinitions.filter((c) => c.format === 'name').length).toBeGreaterThan(0);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].cells).toHaveLength(table.columnDefinitions.length);
  });

  it('prints one row per object, in order', () => {
    const objects: KubeObject[] = ['a', 'b', 'c'].map((name) => ({ metadata: { name, creationTimestamp: ago(DAY) }, data: {} }));
    const table = printTable('', 'configmaps', objects, NOW);
    expect(table.rows.map((r) => r.cells[0])).toEqual(['a', 'b', 'c']);
    expect(printTable('', 'configmaps', [], NOW).rows).toEqual([]);
  });

  it('hands out column definitions the caller may change without affecting later tables', () => {
    const first = printTable('', 'pods', [], NOW);
    first.columnDefinitions[0].name = 'Changed';
    expect(printTable('', 'pods', [], NOW).columnDefinitions[0].name).toBe('Name');
  });

  it.each([
    ['rbac.authorization.k8s.io', 'roles'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
    ['', 'limitranges'],
    ['apiextensions.k8s.io', 'customresourcedefinitions'],
    ['apps', 'pods'], // the group matters: this is not the core pods resource
  ])('gives %s/%s the default Name and Created At table', (group, resource) => {
    expect(describeColumns(group, resource)).toEqual(['Name [name]', 'Created At:date']);
    expect(printRow(group, resource, { metadata: { name: 'view', creationTimestamp: '2024-03-09T08:07:06Z' } })).toEqual({
      Name: 'view',
      'Created At': '2024-03-09T08:07:06Z',
    });
  });

  it('writes default creation times in UTC to the second, and Go\'s zero time when missing', () => {
    expect(printRow('', 'limitranges', { metadata: { name: 'l', creationTimestamp: '2024-03-09T10:07:06.789+02:00' } })['Created At']).toBe(
      '2024-03-09T08:07:06Z',
    );
    expect(printRow('', 'limitranges', { metadata: { name: 'l' } })['Created At']).toBe('0001-01-01T00:00:00Z');
  });
});
