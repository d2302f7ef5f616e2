import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, ago, describeColumns, printRow } from './testing.ts';

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy:v1' }] } };
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: ago(3 * DAY) });

describe('deployment printer', () => {
  it('has the columns of kubectl get deployments', () => {
    expect(describeColumns('apps', 'deployments')).toEqual([
      'Name [name]',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers (wide)',
      'Images (wide)',
      'Selector (wide)',
    ]);
  });

  it('prints ready/desired and the rollout counts', () => {
    const row = printRow('apps', 'deployments', {
      metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'front' } }, template },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(row).toEqual({
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '3d',
      Containers: 'web,sidecar',
      Images: 'nginx:1.27,envoy:v1',
      Selector: 'app=web,tier=front',
    });
  });

  it('prints a fresh deployment with no status as 0/desired, and an empty selector as empty', () => {
    const row = printRow('apps', 'deployments', { metadata: meta('new'), spec: { replicas: 2, selector: {}, template } });
    expect(row).toMatchObject({ Ready: '0/2', 'Up-to-date': 0, Available: 0, Selector: '' });
  });

  it('renders set-based selectors in key order', () => {
    const row = printRow('apps', 'deployments', {
      metadata: meta('web'),
      spec: {
        replicas: 1,
        selector: {
          matchLabels: { zone: 'a' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['prod', 'canary'] },
            { key: 'legacy', operator: 'DoesNotExist' },
            { key: 'app', operator: 'Exists' },
          ],
        },
        template,
      },
    });
    expect(row.Selector).toBe('app,env in (canary,prod),!legacy,zone=a');
  });

  it('says <invalid> for a selector with an unknown operator', () => {
    const row = printRow('apps', 'deployments', {
      metadata: meta('web'),
      spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Near', values: ['b'] }] }, template },
    });
    expect(row.Selector).toBe('<invalid>');
  });
});

describe('replica set printer', () => {
  it('prints desired, current and ready as integers', () => {
    expect(describeColumns('apps', 'replicasets').slice(0, 5)).toEqual(['Name [name]', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age']);
    const row = printRow('apps', 'replicasets', {
      metadata: meta('web-7d4b9c'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c' } }, template },
      status: { replicas: 3, readyReplicas: 1 },
    });
    expect(row).toMatchObject({ Desired: 3, Current: 3, Ready: 1, Selector: 'app=web,pod-template-hash=7d4b9c' });
  });

  it('says <none> for an empty selector', () => {
    expect(printRow('apps', 'replicasets', { metadata: meta('rs'), spec: { replicas: 0, selector: {}, template } })).toMatchObject({
      Desired: 0,
      Current: 0,
      Selector: '<none>',
    });
  });
});

describe('replication controller printer', () => {
  it('prints its label-map selector', () => {
    const row = printRow('', 'replicationcontrollers', {
      metadata: meta('legacy'),
      spec: { replicas: 2, selector: { app: 'legacy' }, template },
      status: { replicas: 2, readyReplicas: 2 },
    });
    expect(row).toEqual({
      Name: 'legacy',
      Desired: 2,
      Current: 2,
      Ready: 2,
      Age: '3d',
      Containers: 'web,sidecar',
      Images: 'nginx:1.27,envoy:v1',
      Selector: 'app=legacy',
    });
  });
});

describe('stateful set printer', () => {
  it('prints ready/desired', () => {
    expect(describeColumns('apps', 'statefulsets')).toEqual(['Name [name]', 'Ready', 'Age', 'Containers (wide)', 'Images (wide)']);
    const row = printRow('apps', 'statefulsets', {
      metadata: meta('db'),
      spec: { replicas: 3, template },
      status: { replicas: 2, readyReplicas: 1 },
    });
    expect(row).toMatchObject({ Ready: '1/3', Age: '3d', Containers: 'web,sidecar' });
  });
});

describe('daemon set printer', () => {
  it('prints the scheduling counts and node selector', () => {
    const row = printRow('apps', 'daemonsets', {
      metadata: meta('fluentd'),
      spec: {
        selector: { matchLabels: { name: 'fluentd' } },
        template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } },
      },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    });
    expect(row).toEqual({
      Name: 'fluentd',
      Desired: 3,
      Current: 3,
      Ready: 2,
      'Up-to-date': 3,
      Available: 2,
      'Node Selector': 'kubernetes.io/os=linux',
      Age: '3d',
      Containers: 'fluentd',
      Images: 'fluentd:v1',
      Selector: 'name=fluentd',
    });
  });

  it('says <none> without a node selector', () => {
    expect(printRow('apps', 'daemonsets', { metadata: meta('ds'), spec: { template } })['Node Selector']).toBe('<none>');
  });
});

describe('controller revision printer', () => {
  it('names the controller as kind.group/name', () => {
    const row = printRow('apps', 'controllerrevisions', {
      metadata: {
        ...meta('fluentd-6d5f8c'),
        creationTimestamp: ago(5 * MINUTE),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u1', controller: true }],
      },
      revision: 2,
    });
    expect(row).toEqual({ Name: 'fluentd-6d5f8c', Controller: 'daemonset.apps/fluentd', Revision: 2, Age: '5m' });
  });

  it('leaves the group out for core owners and says <none> without a controller', () => {
    const core = printRow('apps', 'controllerrevisions', {
      metadata: { name: 'r', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }] },
      revision: 1,
    });
    expect(core.Controller).toBe('pod/p');
    const orphan = printRow('apps', 'controllerrevisions', {
      metadata: { name: 'r', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 's', uid: 'u' }] },
      revision: 1,
    });
    expect(orphan.Controller).toBe('<none>');
  });
});
