import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND, ago, describeColumns, printRow } from './testing.ts';

describe('event printer', () => {
  it('has the columns of kubectl get events, with the name last and wide', () => {
    const columns = [
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject (wide)',
      'Source (wide)',
      'Message',
      'First Seen (wide)',
      'Count (wide)',
      'Name (wide) [name]',
    ];
    expect(describeColumns('', 'events')).toEqual(columns);
    expect(describeColumns('events.k8s.io', 'events')).toEqual(columns);
  });

  it('prints a core event', () => {
    const row = printRow('', 'events', {
      metadata: { name: 'web-1.17c2a', namespace: 'default', creationTimestamp: ago(5 * MINUTE) },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx"\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(5 * MINUTE),
      lastTimestamp: ago(30 * SECOND),
      count: 4,
      type: 'Normal',
    });
    expect(row).toEqual({
      'Last Seen': '30s',
      Type: 'Normal',
      Reason: 'Pulled',
      Object: 'pod/web-1',
      Subobject: 'spec.containers{web}',
      Source: 'kubelet, node-1',
      Message: 'Successfully pulled image "nginx"',
      'First Seen': '5m',
      Count: 4,
      Name: 'web-1.17c2a',
    });
  });

  it('falls back to eventTime, the reporting controller and a count of one for new-style events', () => {
    const row = printRow('', 'events', {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Node' },
      reason: 'Scheduled',
      eventTime: '2024-05-01T11:58:00.123456Z',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-cp-1',
      type: 'Normal',
    });
    expect(row).toMatchObject({
      // Micro-time precision: 119.88s ago is still 119s.
      'Last Seen': '119s',
      'First Seen': '119s',
      Object: 'node',
      Source: 'default-scheduler, default-scheduler-cp-1',
      Count: 1,
    });
  });

  it('takes last seen and count from an event series', () => {
    const row = printRow('', 'events', {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      eventTime: ago(20 * MINUTE),
      series: { count: 12, lastObservedTime: ago(MINUTE) },
      reportingComponent: 'kubelet',
    });
    expect(row).toMatchObject({ 'Last Seen': '60s', 'First Seen': '20m', Count: 12, Source: 'kubelet' });
  });

  it('reads events.k8s.io/v1 events by their own field names', () => {
    const row = printRow('events.k8s.io', 'events', {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      regarding: { kind: 'Deployment', name: 'web', namespace: 'default' },
      reason: 'ScalingReplicaSet',
      note: 'Scaled up replica set web-7d4b9c to 3',
      type: 'Normal',
      eventTime: null,
      reportingController: 'deployment-controller',
      deprecatedSource: { component: 'deployment-controller' },
      deprecatedFirstTimestamp: ago(10 * MINUTE),
      deprecatedLastTimestamp: ago(2 * MINUTE),
      deprecatedCount: 2,
    });
    expect(row).toEqual({
      'Last Seen': '2m',
      Type: 'Normal',
      Reason: 'ScalingReplicaSet',
      Object: 'deployment/web',
      Subobject: '',
      Source: 'deployment-controller',
      Message: 'Scaled up replica set web-7d4b9c to 3',
      'First Seen': '10m',
      Count: 2,
      Name: 'web.1',
    });
  });

  it('says <unknown> when an event has no time at all', () => {
    expect(printRow('', 'events', { metadata: { name: 'e' }, involvedObject: {} })).toMatchObject({ 'Last Seen': '<unknown>', 'First Seen': '<unknown>' });
  });
});
