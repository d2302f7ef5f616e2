// Objects for the protobuf tests, written in the full form the JSON API carries them: every field
// Go's JSON writer always emits is present (creationTimestamp: null, empty non-pointer structs,
// non-omitempty scalars), so a protobuf round trip must give back exactly the same JSON.
import type { KubeObject } from '../object.ts';

const created = '2024-05-01T10:00:00Z';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  uid: '6f1c8a1e-1111-4a4a-8b8b-000000000001',
  resourceVersion: '42',
  creationTimestamp: created,
  ...extra,
});

const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  name,
  image,
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'Always',
  ...extra,
});

const podSpec = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  containers,
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
  ...extra,
});

export const pod: KubeObject = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: meta('web-7d4b9c-x2x9z', {
    generateName: 'web-7d4b9c-',
    labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
    annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T09:00:00Z' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    managedFields: [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time: created,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ],
  }),
  spec: podSpec(
    [
      container('nginx', 'nginx:1.27', {
        command: ['nginx', '-g', 'daemon off;'],
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name: 'conf', readOnly: true, mountPath: '/etc/nginx/conf.d' }],
        imagePullPolicy: 'IfNotPresent',
      }),
    ],
    {
      volumes: [{ name: 'conf', configMap: { name: 'nginx-conf', defaultMode: 420 } }],
      nodeName: 'node-1',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      securityContext: { runAsUser: 1000, supplementalGroups: [2000, 3000] },
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
  ),
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: created }],
    hostIP: '10.0.0.11',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    startTime: created,
    containerStatuses: [
      {
        name: 'nginx',
        state: { running: { startedAt: created } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'docker.io/library/nginx:1.27',
        imageID: 'docker-pullable://nginx@sha256:0000',
        containerID: 'docker://abc',
        started: true,
      },
    ],
    qosClass: 'Burstable',
  },
};

export const deployment: KubeObject = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: meta('web', { generation: 3, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } }),
  spec: {
    replicas: 0, // a pointer: zero is kept
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] },
    template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: podSpec([container('nginx', 'nginx')]) },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: created, lastTransitionTime: created, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    ],
  },
};

export const service: KubeObject = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: meta('web'),
  spec: {
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
      { name: 'https', protocol: 'TCP', appProtocol: 'https', port: 443, targetPort: 'https', nodePort: 30443 },
    ],
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    type: 'NodePort',
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
};

export const configMap: KubeObject = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: meta('nginx-conf'),
  data: { 'default.conf': 'server { listen 80; }\n', empty: '' },
  binaryData: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]).toString('base64') },
  immutable: false,
};

export const secret: KubeObject = {
  kind: 'Secret',
  apiVersion: 'v1',
  metadata: meta('db'),
  data: { password: Buffer.from('s3cr3t\n').toString('base64'), 'tls.key': Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64') },
  type: 'Opaque',
};

export const namespace: KubeObject = {
  kind: 'Namespace',
  apiVersion: 'v1',
  metadata: { name: 'team-a', uid: 'ns-uid', resourceVersion: '7', creationTimestamp: created, labels: { 'kubernetes.io/metadata.name': 'team-a' } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

export const hpa: KubeObject = {
  kind: 'HorizontalPodAutoscaler',
  apiVersion: 'autoscaling/v2',
  metadata: meta('web'),
  spec: {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
    ],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    },
  },
  status: {
    lastScaleTime: created,
    currentReplicas: 2,
    desiredReplicas: 3,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '180m', averageUtilization: 90 } } }],
  },
};

export const selfSubjectAccessReview: KubeObject = {
  kind: 'SelfSubjectAccessReview',
  apiVersion: 'authorization.k8s.io/v1',
  metadata: { creationTimestamp: null },
  spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' } },
  status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "admin"' },
};

export const job: KubeObject = {
  kind: 'Job',
  apiVersion: 'batch/v1',
  metadata: meta('pi', { generation: 1, labels: { 'batch.kubernetes.io/job-name': 'pi' } }),
  spec: {
    parallelism: 2,
    completions: 4,
    backoffLimit: 6,
    activeDeadlineSeconds: 600,
    ttlSecondsAfterFinished: 100,
    completionMode: 'NonIndexed',
    suspend: false,
    podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [42, 43] } }] },
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
    manualSelector: false,
    template: {
      metadata: { creationTimestamp: null, labels: { 'batch.kubernetes.io/job-name': 'pi' } },
      spec: podSpec([container('pi', 'perl:5.34', { command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] })], { restartPolicy: 'Never' }),
    },
  },
  status: { startTime: created, active: 2, ready: 1, terminating: 0, uncountedTerminatedPods: {} },
};

export const cronJob: KubeObject = {
  kind: 'CronJob',
  apiVersion: 'batch/v1',
  metadata: meta('hello'),
  spec: {
    schedule: '*/1 * * * *',
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    suspend: false,
    jobTemplate: {
      metadata: { creationTimestamp: null },
      spec: { template: { metadata: { creationTimestamp: null }, spec: podSpec([container('hello', 'busybox:1.28', { args: ['date'] })], { restartPolicy: 'OnFailure' }) } },
    },
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
  },
  status: { active: [{ kind: 'Job', namespace: 'default', name: 'hello-28577', uid: 'job-uid', apiVersion: 'batch/v1', resourceVersion: '99' }], lastScheduleTime: created },
};

export const allFixtures: readonly KubeObject[] = [pod, deployment, service, configMap, secret, namespace, hpa, selfSubjectAccessReview, job, cronJob];
