import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { defaulted } from './test-support.ts';

function workload(kind: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, labels: { app: name } }, spec };
}

function template(name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { metadata: { labels: { app: name } }, spec: { containers: [container], ...extra } };
}

/** A template as the apiserver returns it: the container and pod spec defaults filled in. */
function defaultedTemplate(name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    metadata: { creationTimestamp: null, labels: { app: name } },
    spec: {
      containers: [
        { resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...container },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      ...extra,
    },
  };
}

describe('Deployment defaults', () => {
  it('completes what `kubectl create deployment web --image=nginx` sends', () => {
    const out = defaulted({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: template('web', { name: 'nginx', image: 'nginx', resources: {} }),
      },
      status: {},
    });
    expect(out.spec).toEqual({
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: defaultedTemplate('web', { name: 'nginx', image: 'nginx', imagePullPolicy: 'Always' }),
    });
    expect(out.status).toEqual({});
  });

  it('defaults replicas to 1 and keeps a partial rolling update', () => {
    const out = defaulted(
      workload('Deployment', 'ngx-dep', {
        selector: { matchLabels: { app: 'ngx-dep' } },
        strategy: { rollingUpdate: { maxSurge: 1 } },
        minReadySeconds: 15,
        template: template('ngx-dep', { name: 'nginx', image: 'nginx:alpine' }),
      }),
    );
    expect(out.spec).toMatchObject({
      replicas: 1,
      minReadySeconds: 15,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
    });
  });

  it('adds no rolling-update parameters to a Recreate strategy', () => {
    const out = defaulted(
      workload('Deployment', 'db', { strategy: { type: 'Recreate' }, template: template('db', { name: 'db', image: 'mariadb:10' }) }),
    );
    expect((out.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
  });
});

describe('ReplicaSet defaults', () => {
  it('defaults replicas and the template', () => {
    const out = defaulted(
      workload('ReplicaSet', 'frontend', {
        selector: { matchLabels: { app: 'frontend' } },
        template: template('frontend', { name: 'php', image: 'php:8' }),
      }),
    );
    expect(out.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'frontend' } },
      template: defaultedTemplate('frontend', { name: 'php', image: 'php:8', imagePullPolicy: 'IfNotPresent' }),
    });
  });
});

describe('DaemonSet defaults', () => {
  it('completes the tutorial redis DaemonSet', () => {
    const toleration = { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule', operator: 'Exists' };
    const out = defaulted(
      workload('DaemonSet', 'redis-ds', {
        selector: { matchLabels: { app: 'redis-ds' } },
        template: template(
          'redis-ds',
          { name: 'redis', image: 'redis:5-alpine', ports: [{ containerPort: 6379 }] },
          { tolerations: [toleration] },
        ),
      }),
    );
    expect(out.spec).toEqual({
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'redis-ds' } },
      template: defaultedTemplate(
        'redis-ds',
        { name: 'redis', image: 'redis:5-alpine', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 6379, protocol: 'TCP' }] },
        { tolerations: [toleration] },
      ),
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    });
    // A DaemonSet's status counters are not omitempty in Go, so a new one shows zeros.
    expect(out.status).toEqual({ currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 });
  });

  it('adds no rolling-update parameters to OnDelete', () => {
    const out = defaulted(
      workload('DaemonSet', 'ds', { updateStrategy: { type: 'OnDelete' }, template: template('ds', { name: 'c', image: 'c:1' }) }),
    );
    expect((out.spec as Record<string, unknown>).updateStrategy).toEqual({ type: 'OnDelete' });
  });
});

describe('StatefulSet defaults', () => {
  it('completes the tutorial redis StatefulSet with a volume claim template', () => {
    const out = defaulted(
      workload('StatefulSet', 'redis-pv-sts', {
        serviceName: 'redis-pv-svc',
        replicas: 2,
        selector: { matchLabels: { app: 'redis-pv-sts' } },
        volumeClaimTemplates: [
          {
            metadata: { name: 'redis-100m-pvc' },
            spec: { storageClassName: 'nfs-client', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Mi' } } },
          },
        ],
        template: template('redis-pv-sts', {
          name: 'redis',
          image: 'redis:5-alpine',
          ports: [{ containerPort: 6379 }],
          volumeMounts: [{ name: 'redis-100m-pvc', mountPath: '/data' }],
        }),
      }),
    );
    expect(out.spec).toEqual({
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'redis-pv-sts' } },
      serviceName: 'redis-pv-svc',
      template: defaultedTemplate('redis-pv-sts', {
        name: 'redis',
        image: 'redis:5-alpine',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 6379, protocol: 'TCP' }],
        volumeMounts: [{ name: 'redis-100m-pvc', mountPath: '/data' }],
      }),
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'redis-100m-pvc' },
          spec: {
            accessModes: ['ReadWriteMany'],
            resources: { requests: { storage: '100Mi' } },
            storageClassName: 'nfs-client',
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
    });
    expect(out.status).toEqual({ availableReplicas: 0, replicas: 0 });
  });

  it('creates rollingUpdate only when it also defaulted the strategy type', () => {
    const given = defaulted(
      workload('StatefulSet', 'web', { updateStrategy: { type: 'RollingUpdate' }, template: template('web', { name: 'c', image: 'c:1' }) }),
    );
    expect((given.spec as Record<string, unknown>).updateStrategy).toEqual({ type: 'RollingUpdate' });
    const onDelete = defaulted(
      workload('StatefulSet', 'web', { updateStrategy: { type: 'OnDelete' }, template: template('web', { name: 'c', image: 'c:1' }) }),
    );
    expect((onDelete.spec as Record<string, unknown>).updateStrategy).toEqual({ type: 'OnDelete' });
    const partition = defaulted(
      workload('StatefulSet', 'web', {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
        template: template('web', { name: 'c', image: 'c:1' }),
      }),
    );
    expect((partition.spec as Record<string, unknown>).updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 2, partition: 0 },
    });
  });

  it('keeps the claim retention policy and management policy it was given', () => {
    const out = defaulted(
      workload('StatefulSet', 'web', {
        podManagementPolicy: 'Parallel',
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' },
        template: template('web', { name: 'c', image: 'c:1' }),
      }),
    );
    expect(out.spec).toMatchObject({
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    });
  });
});
