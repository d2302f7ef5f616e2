// The strategic merge patches kubectl 1.32 was observed sending (kubectl-api-contract §4.3, §4.4),
// applied to live objects as the apiserver stores them (defaults filled in, status present).
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { strategicMergePatch } from './strategic-merge.ts';

const deploymentKind = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const nodeKind = schema.kindSchema({ group: '', version: 'v1', kind: 'Node' })!;
const scaleKind = schema.kindSchema({ group: 'autoscaling', version: 'v1', kind: 'Scale' })!;

const patchDeployment = (original: JsonValue, patch: JsonValue) => strategicMergePatch(original, patch, deploymentKind) as JsonObject;

/** A defaulted container as the apiserver returns it. */
function container(name: string, image: string, extra: JsonObject = {}): JsonObject {
  return {
    name,
    image,
    ...extra,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function liveDeployment(podSpec: JsonObject, strategy: JsonObject = rollingUpdate()): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '5b0f6c3e-2f0e-4c1a-9d55-0a4b8c7d9e10',
      resourceVersion: '1234',
      generation: 2,
      creationTimestamp: '2025-03-01T10:00:00Z',
      labels: { app: 'web' },
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n',
      },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          ...podSpec,
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

function rollingUpdate(): JsonObject {
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
}

/** The live object with one nested member changed, for stating expected results. */
function changed(object: JsonObject, edit: (copy: any) => void): JsonObject {
  const copy = structuredClone(object);
  edit(copy);
  return copy;
}

describe('strategic merge patches kubectl sends', () => {
  const nginx = liveDeployment({ containers: [container('nginx', 'nginx:1.25', { ports: [{ containerPort: 80, protocol: 'TCP' }] })] });

  it('kubectl rollout restart adds the restartedAt annotation to the pod template', () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-05T12:00:00Z' } } } } };
    expect(patchDeployment(nginx, patch)).toEqual(
      changed(nginx, (d) => (d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-05T12:00:00Z' })),
    );
  });

  it('kubectl rollout pause / resume set and remove spec.paused', () => {
    const paused = patchDeployment(nginx, { spec: { paused: true } });
    expect(paused).toEqual(changed(nginx, (d) => (d.spec.paused = true)));
    expect(patchDeployment(paused, { spec: { paused: null } })).toEqual(nginx);
  });

  it('kubectl cordon / uncordon set and remove spec.unschedulable on a Node', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }] },
    };
    const cordoned = strategicMergePatch(node, { spec: { unschedulable: true } }, nodeKind);
    expect(cordoned).toEqual(changed(node, (n) => (n.spec.unschedulable = true)));
    expect(strategicMergePatch(cordoned, { spec: { unschedulable: null } }, nodeKind)).toEqual(node);
  });

  it('kubectl set image changes one container, keeping its defaulted fields', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] } } } };
    expect(patchDeployment(nginx, patch)).toEqual(changed(nginx, (d) => (d.spec.template.spec.containers[0].image = 'nginx:1.28')));
  });

  it('kubectl set image on one container of two keeps both in order', () => {
    const twoContainers = liveDeployment({ containers: [container('app', 'app:1'), container('sidecar', 'envoy:1')] });
    const patch = {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ image: 'envoy:2', name: 'sidecar' }] } } },
    };
    expect(patchDeployment(twoContainers, patch)).toEqual(changed(twoContainers, (d) => (d.spec.template.spec.containers[1].image = 'envoy:2')));
  });

  it('kubectl label via strategic merge adds and removes metadata labels', () => {
    const labelled = patchDeployment(nginx, { metadata: { labels: { tier: 'fe' } } });
    expect(labelled).toEqual(changed(nginx, (d) => (d.metadata.labels.tier = 'fe')));
    expect(patchDeployment(labelled, { metadata: { labels: { tier: null } } })).toEqual(nginx);
  });

  it('kubectl patch --subresource=scale merges into the Scale', () => {
    const scale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } };
    expect(strategicMergePatch(scale, { spec: { replicas: 5 } }, scaleKind)).toEqual(changed(scale, (s) => (s.spec.replicas = 5)));
  });

  it('a set image patch without the container name fails like the real server', () => {
    expect(() => patchDeployment(nginx, { spec: { template: { spec: { containers: [{ image: 'nginx:1.28' }] } } } })).toThrow(
      'map: map[image:nginx:1.28] does not contain declared merge key: name',
    );
  });
});

describe('client-side kubectl apply (3-way patches)', () => {
  it('changes the image, removes env B and scales 2→3', () => {
    const live = liveDeployment({
      containers: [
        container('nginx', 'nginx:1.25', {
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        }),
      ],
    });
    const lastApplied = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"replicas":3}}\n';
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    };
    expect(patchDeployment(live, patch)).toEqual(
      changed(live, (d) => {
        d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = lastApplied;
        d.spec.replicas = 3;
        d.spec.template.spec.containers[0].image = 'nginx:1.26';
        d.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }];
      }),
    );
  });

  it('switches to Recreate, reorders containers, drops a port, swaps volumes and removes tolerations', () => {
    const live = liveDeployment({
      containers: [
        container('a', 'busybox', {
          command: ['sh'],
          ports: [
            { containerPort: 80, protocol: 'TCP' },
            { containerPort: 81, protocol: 'TCP' },
          ],
          volumeMounts: [{ name: 'v1', mountPath: '/data' }],
        }),
        container('b', 'busybox', { args: ['sleep', '1d'] }),
      ],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      volumes: [{ name: 'v1', emptyDir: {} }],
    });
    const patch: JsonValue = {
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
            '$setElementOrder/volumes': [{ name: 'v2' }],
            containers: [
              { args: ['sleep', '2d'], name: 'b' },
              { '$setElementOrder/ports': [{ containerPort: 81 }], name: 'a', ports: [{ $patch: 'delete', containerPort: 80 }] },
            ],
            tolerations: null,
            volumes: [{ configMap: { name: 'x' }, name: 'v2' }, { $patch: 'delete', name: 'v1' }],
          },
        },
      },
    };
    const [a, b] = (live as any).spec.template.spec.containers;
    expect(patchDeployment(live, patch)).toEqual(
      changed(live, (d) => {
        d.spec.strategy = { type: 'Recreate' };
        d.spec.template.spec.containers = [
          { ...b, args: ['sleep', '2d'] },
          { ...a, ports: [{ containerPort: 81, protocol: 'TCP' }] },
        ];
        delete d.spec.template.spec.tolerations;
        d.spec.template.spec.volumes = [{ configMap: { name: 'x' }, name: 'v2' }];
      }),
    );
  });
});
