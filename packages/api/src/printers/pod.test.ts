import { describe, expect, it } from 'vitest';
import { printTable } from './index.ts';
import { DAY, MINUTE, NOW, SECOND, ago, describeColumns, printRow } from './testing.ts';
import type { KubeObject } from '../object.ts';

const running = { running: { startedAt: ago(DAY) } };

function pod(status: object, spec: object = { containers: [{ name: 'web', image: 'nginx' }] }, metadata: object = {}) {
  return { metadata: { name: 'web-1', creationTimestamp: ago(DAY + 2 * 3600 * 1000), ...metadata }, spec, status };
}

const printPod = (status: object, spec?: object, metadata?: object) => printRow('', 'pods', pod(status, spec, metadata));

describe('pod printer', () => {
  it('has the columns of kubectl get pods (-o wide)', () => {
    expect(describeColumns('', 'pods')).toEqual([
      'Name [name]',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP (wide)',
      'Node (wide)',
      'Nominated Node (wide)',
      'Readiness Gates (wide)',
    ]);
  });

  it('prints a running pod', () => {
    const row = printPod(
      {
        phase: 'Running',
        podIP: '10.244.1.5',
        podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'web', ready: true, restartCount: 0, state: running }],
      },
      { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx' }] },
    );
    expect(row).toEqual({
      Name: 'web-1',
      Ready: '1/1',
      Status: 'Running',
      Restarts: '0',
      Age: '26h',
      IP: '10.244.1.5',
      Node: 'node-1',
      'Nominated Node': '<none>',
      'Readiness Gates': '<none>',
    });
  });

  it('prints a pending, unscheduled pod with <none> in the wide cells', () => {
    const row = printPod({ phase: 'Pending', nominatedNodeName: 'node-2' });
    expect(row).toMatchObject({ Ready: '0/1', Status: 'Pending', IP: '<none>', Node: '<none>', 'Nominated Node': 'node-2' });
  });

  it('shows what a container waits on', () => {
    const row = printPod({
      phase: 'Pending',
      containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect(row.Status).toBe('ContainerCreating');
  });

  it('counts restarts and says how long ago the last one ended', () => {
    const row = printPod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'web',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(2 * MINUTE + 10 * SECOND) } },
        },
      ],
    });
    expect(row).toMatchObject({ Ready: '0/1', Status: 'CrashLoopBackOff', Restarts: '5 (2m10s ago)' });
  });

  it('takes the latest termination across containers, and a bare count without one', () => {
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    const row = printPod(
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * DAY) } } },
          { name: 'b', ready: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(40 * MINUTE) } } },
        ],
      },
      spec,
    );
    expect(row.Restarts).toBe('3 (40m ago)');
    const noHistory = printPod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 2, state: running }] }, spec);
    expect(noHistory.Restarts).toBe('2');
  });

  it('scans containers last to first, so the first container has the last word', () => {
    const row = printPod(
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } },
          { name: 'b', ready: false, state: { waiting: { reason: 'ErrImagePull' } } },
        ],
      },
      { containers: [{ name: 'a' }, { name: 'b' }] },
    );
    expect(row.Status).toBe('ImagePullBackOff');
  });

  it('names a termination without a reason by its exit code or signal', () => {
    const exited = printPod({ phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 3 } } }] });
    expect(exited.Status).toBe('ExitCode:3');
    const killed = printPod({ phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 137, signal: 9 } } }] });
    expect(killed.Status).toBe('Signal:9');
  });

  it('prints a finished pod as Completed and marks its row Completed', () => {
    const table = printTable(
      '',
      'pods',
      [pod({ phase: 'Succeeded', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }) as KubeObject],
      NOW,
    );
    expect(table.rows[0].cells.slice(1, 3)).toEqual(['0/1', 'Completed']);
    expect(table.rows[0].conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    const failed = printTable('', 'pods', [pod({ phase: 'Failed' }) as KubeObject], NOW);
    expect(failed.rows[0].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
    const running = printTable('', 'pods', [pod({ phase: 'Running' }) as KubeObject], NOW);
    expect(running.rows[0].conditions).toBeUndefined();
  });

  it('keeps a pod with one finished and one running container Running (or NotReady)', () => {
    const spec = { containers: [{ name: 'main' }, { name: 'helper' }] };
    const statuses = [
      { name: 'main', ready: true, state: running },
      { name: 'helper', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    expect(printPod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses }, spec)).toMatchObject({
      Ready: '1/2',
      Status: 'Running',
    });
    expect(printPod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses }, spec).Status).toBe(
      'NotReady',
    );
  });

  describe('init containers', () => {
    const spec = {
      initContainers: [{ name: 'migrate' }, { name: 'warm' }],
      containers: [{ name: 'web' }],
    };
    const done = { name: 'migrate', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };

    it('shows progress as Init:done/total', () => {
      const row = printPod(
        {
          phase: 'Pending',
          initContainerStatuses: [done, { name: 'warm', state: running }],
          containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
        },
        spec,
      );
      expect(row).toMatchObject({ Ready: '0/1', Status: 'Init:1/2' });
    });

    it('treats PodInitializing as progress, and other waiting reasons as the status', () => {
      expect(printPod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'PodInitializing' } } }] }, spec).Status).toBe(
        'Init:0/2',
      );
      const crashing = printPod(
        {
          phase: 'Pending',
          initContainerStatuses: [done, { name: 'warm', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
        spec,
      );
      // Restarts of init containers count while the pod is still initializing.
      expect(crashing).toMatchObject({ Status: 'Init:CrashLoopBackOff', Restarts: '4' });
    });

    it('reports a failed init container by reason, exit code or signal', () => {
      const failed = (terminated: object) =>
        printPod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated } }] }, spec).Status;
      expect(failed({ exitCode: 1, reason: 'Error' })).toBe('Init:Error');
      expect(failed({ exitCode: 2 })).toBe('Init:ExitCode:2');
      expect(failed({ exitCode: 143, signal: 15 })).toBe('Init:Signal:15');
    });

    it('forgets plain init container restarts once the app containers run', () => {
      const row = printPod(
        {
          phase: 'Running',
          initContainerStatuses: [{ ...done, restartCount: 3 }, { name: 'warm', restartCount: 0, state: { terminated: { exitCode: 0 } } }],
          containerStatuses: [{ name: 'web', ready: true, restartCount: 1, state: running }],
        },
        spec,
      );
      expect(row).toMatchObject({ Ready: '1/1', Status: 'Running', Restarts: '1' });
    });

    it('counts sidecars (restartPolicy Always) as containers, with their readiness and restarts', () => {
      const row = printPod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [
            {
              name: 'proxy',
              started: true,
              ready: true,
              restartCount: 2,
              state: running,
              lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MINUTE) } },
            },
          ],
          containerStatuses: [{ name: 'web', ready: true, restartCount: 0, state: running }],
        },
        { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'web' }] },
      );
      expect(row).toMatchObject({ Ready: '2/2', Status: 'Running', Restarts: '2 (5m ago)' });
    });
  });

  it('prints Terminating once deletion started, unless the pod already finished', () => {
    const deleting = { deletionTimestamp: ago(10 * SECOND) };
    const runningPod = { phase: 'Running', containerStatuses: [{ name: 'web', ready: true, state: running }] };
    expect(printPod(runningPod, undefined, deleting).Status).toBe('Terminating');
    expect(printPod({ phase: 'Succeeded' }, undefined, deleting).Status).toBe('Succeeded');
    expect(printPod({ phase: 'Running', reason: 'NodeLost' }, undefined, deleting).Status).toBe('Unknown');
  });

  it('prefers status.reason over the phase, and says SchedulingGated for gated pods', () => {
    expect(printPod({ phase: 'Failed', reason: 'Evicted' }).Status).toBe('Evicted');
    const gated = printPod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(gated.Status).toBe('SchedulingGated');
  });

  it('counts readiness gates whose condition is True', () => {
    const row = printPod(
      { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] },
      { containers: [{ name: 'web' }], readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    );
    expect(row['Readiness Gates']).toBe('1/2');
  });

  it('says <unknown> for the age of a pod without a creation time', () => {
    expect(printRow('', 'pods', { metadata: { name: 'p' } }).Age).toBe('<unknown>');
  });
});

describe('pod template printer', () => {
  it('lists containers, images and pod labels, with no age column', () => {
    const row = printRow('', 'podtemplates', {
      metadata: { name: 'tmpl', creationTimestamp: ago(DAY) },
      template: {
        metadata: { labels: { tier: 'web', app: 'shop' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] },
      },
    });
    expect(row).toEqual({ Name: 'tmpl', Containers: 'web,log', Images: 'nginx:1.27,busybox', 'Pod Labels': 'app=shop,tier=web' });
  });
});
