import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { defaulted } from './test-support.ts';

function object(kind: string, fields: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'x' }): KubeObject {
  return { apiVersion: 'v1', kind, metadata, ...fields };
}

/** The pod template spec defaults (no Pod-only fields such as enableServiceLinks). */
const TEMPLATE_SPEC_DEFAULTS = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

describe('Service defaults', () => {
  it('completes a ClusterIP Service written by hand (allocation of clusterIP/ipFamilies is not defaulting)', () => {
    const out = defaulted(object('Service', { spec: { selector: { app: 'ngx-dep' }, ports: [{ port: 80 }] } }, { name: 'ngx-svc' }));
    expect(out.spec).toEqual({
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'ngx-dep' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    expect(out.status).toEqual({ loadBalancer: {} });
  });

  it('keeps a named target port and an explicit protocol', () => {
    const out = defaulted(
      object('Service', { spec: { ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] } }),
    );
    expect((out.spec as { ports: unknown }).ports).toEqual([{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }]);
  });

  it('gives NodePort Services the Cluster external traffic policy', () => {
    const out = defaulted(
      object('Service', { spec: { type: 'NodePort', selector: { app: 'ngx' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] } }),
    );
    expect(out.spec).toEqual({
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }],
      selector: { app: 'ngx' },
      sessionAffinity: 'None',
      type: 'NodePort',
    });
  });

  it('allocates node ports for LoadBalancer Services and marks reported IPs as VIPs', () => {
    const out = defaulted(
      object('Service', {
        spec: { type: 'LoadBalancer', selector: { app: 'hello-node' }, ports: [{ port: 8080 }] },
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example' }] } },
      }),
    );
    expect(out.spec).toMatchObject({ allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' });
    expect(out.status).toEqual({ loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }, { hostname: 'lb.example' }] } });
  });

  it('treats a ClusterIP Service with external IPs as externally accessible', () => {
    const out = defaulted(object('Service', { spec: { externalIPs: ['192.0.2.1'], ports: [{ port: 80 }] } }));
    expect((out.spec as { externalTrafficPolicy?: string }).externalTrafficPolicy).toBe('Cluster');
  });

  it('gives ExternalName Services no traffic policies', () => {
    const out = defaulted(object('Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }));
    expect(out.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  });

  it('completes ClientIP affinity with a three-hour timeout and drops affinity config for None', () => {
    const clientIP = defaulted(object('Service', { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } }));
    expect((clientIP.spec as Record<string, unknown>).sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const none = defaulted(
      object('Service', { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] } }),
    );
    expect(none.spec).not.toHaveProperty('sessionAffinityConfig');
  });
});

describe('Namespace, Secret, ConfigMap defaults', () => {
  it('labels a namespace with its name and makes it Active (the kubernetes finalizer is set on create, not here)', () => {
    const out = defaulted(object('Namespace', {}, { name: 'test-ns' }));
    expect(out.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'test-ns' });
    expect(out.spec).toEqual({});
    expect(out.status).toEqual({ phase: 'Active' });
  });

  it('corrects a wrong name label rather than trusting it', () => {
    const out = defaulted(object('Namespace', {}, { name: 'a', labels: { 'kubernetes.io/metadata.name': 'b', team: 'x' } }));
    expect(out.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'a', team: 'x' });
  });

  it('makes a Secret Opaque unless it has a type', () => {
    const out = defaulted(object('Secret', { data: { name: 'cm9vdA==', pwd: 'MTIzNDU2' } }, { name: 'user' }));
    expect(out.type).toBe('Opaque');
    expect(out.data).toEqual({ name: 'cm9vdA==', pwd: 'MTIzNDU2' });
    expect(defaulted(object('Secret', { type: 'kubernetes.io/tls' })).type).toBe('kubernetes.io/tls');
  });

  it('leaves a ConfigMap as written', () => {
    const out = defaulted(object('ConfigMap', { data: { count: '10', debug: 'on' } }, { name: 'info' }));
    expect(out).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'info', creationTimestamp: null },
      data: { count: '10', debug: 'on' },
    });
  });
});

describe('volume kinds', () => {
  it('defaults a hostPath PersistentVolume and marks it Pending', () => {
    const out = defaulted(
      object(
        'PersistentVolume',
        {
          spec: {
            storageClassName: 'host-test',
            accessModes: ['ReadWriteOnce'],
            capacity: { storage: '10Mi' },
            hostPath: { path: '/tmp/host-10m-pv/' },
          },
        },
        { name: 'host-10m-pv' },
      ),
    );
    expect(out.spec).toEqual({
      storageClassName: 'host-test',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Mi' },
      hostPath: { path: '/tmp/host-10m-pv/', type: '' },
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
    expect(out.status).toEqual({ phase: 'Pending' });
  });

  it('defaults an NFS PersistentVolume with an explicit reclaim policy', () => {
    const out = defaulted(
      object('PersistentVolume', {
        spec: { persistentVolumeReclaimPolicy: 'Recycle', nfs: { server: '192.168.10.208', path: '/tmp/nfs/1g-pv' } },
      }),
    );
    expect(out.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Recycle',
      volumeMode: 'Filesystem',
      nfs: { server: '192.168.10.208', path: '/tmp/nfs/1g-pv' },
    });
  });

  it('defaults a PersistentVolumeClaim', () => {
    const out = defaulted(
      object(
        'PersistentVolumeClaim',
        { spec: { storageClassName: 'host-test', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Mi' } } } },
        { name: 'host-5m-pvc' },
      ),
    );
    expect(out.spec).toEqual({
      storageClassName: 'host-test',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Mi' } },
      volumeMode: 'Filesystem',
    });
    expect(out.status).toEqual({ phase: 'Pending' });
  });
});

describe('LimitRange defaults', () => {
  it('derives a Container default limit from max and the default request from the limit', () => {
    const out = defaulted(
      object('LimitRange', {
        spec: {
          limits: [
            {
              type: 'Container',
              max: { cpu: '2', memory: '1Gi' },
              default: { cpu: '500m' },
              min: { cpu: '100m', 'ephemeral-storage': '1Mi' },
            },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      }),
    );
    expect((out.spec as { limits: unknown }).limits).toEqual([
      {
        type: 'Container',
        max: { cpu: '2', memory: '1Gi' },
        min: { cpu: '100m', 'ephemeral-storage': '1Mi' },
        default: { cpu: '500m', memory: '1Gi' },
        defaultRequest: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Mi' },
      },
      { type: 'Pod', max: { cpu: '4' } },
    ]);
  });

  it('adds nothing to a Container item with no bounds (empty maps are not written)', () => {
    const out = defaulted(object('LimitRange', { spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '10m' } }] } }));
    expect((out.spec as { limits: unknown }).limits).toEqual([{ type: 'Container', defaultRequest: { cpu: '10m' } }]);
  });
});

describe('other core kinds', () => {
  it('derives a ReplicationController selector and labels from its template', () => {
    const out = defaulted(
      object(
        'ReplicationController',
        { spec: { template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } } },
        { name: 'nginx' },
      ),
    );
    expect(out.metadata.labels).toEqual({ app: 'nginx' });
    expect(out.spec).toEqual({
      replicas: 1,
      selector: { app: 'nginx' },
      template: {
        metadata: { labels: { app: 'nginx' }, creationTimestamp: null },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          ...TEMPLATE_SPEC_DEFAULTS,
        },
      },
    });
  });

  it('derives nothing from a template without labels', () => {
    const out = defaulted(
      object('ReplicationController', { spec: { template: { metadata: { labels: {} }, spec: { containers: [] } } } }, { name: 'rc' }),
    );
    expect(out.metadata).not.toHaveProperty('labels');
    expect(out.spec).not.toHaveProperty('selector');
  });

  it('defaults the pod spec of a PodTemplate', () => {
    const out = defaulted(object('PodTemplate', { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } }));
    expect((out.template as { spec: unknown }).spec).toMatchObject(TEMPLATE_SPEC_DEFAULTS);
    expect((out.template as { spec: object }).spec).not.toHaveProperty('enableServiceLinks');
  });

  it('gives Endpoints ports the TCP protocol', () => {
    const out = defaulted(
      object('Endpoints', {
        subsets: [{ addresses: [{ ip: '10.10.1.87' }], ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }],
      }),
    );
    expect(out.subsets).toEqual([
      { addresses: [{ ip: '10.10.1.87' }], ports: [{ port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    ]);
  });

  it('lets a Node allocate its whole capacity when it reports no allocatable', () => {
    const out = defaulted(object('Node', { status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } }, { name: 'worker' }));
    const status = out.status as Record<string, unknown>;
    expect(status.allocatable).toEqual({ cpu: '2', memory: '4Gi', pods: '110' });
    expect(status.allocatable).not.toBe(status.capacity);
    const reported = defaulted(object('Node', { status: { capacity: { cpu: '2' }, allocatable: { cpu: '1900m' } } }));
    expect((reported.status as Record<string, unknown>).allocatable).toEqual({ cpu: '1900m' });
  });
});
