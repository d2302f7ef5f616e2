// The pod every create sends: what a ReplicaSet controller posts for a typical web Deployment
// (owner reference, labels, one container with ports, env, resources, probes and a mounted
// ConfigMap), so defaulting, validation and storage see a realistic object, not a stub.

/** Pod number `index` of the bench: spread round-robin over the namespaces bench-0, bench-1, … */
export function benchPod(index: number, namespaces: number): { namespace: string; name: string } {
  return { namespace: benchNamespace(index % namespaces), name: `web-7d4b9c8f6-${String(index).padStart(5, '0')}` };
}

export function benchNamespace(number: number): string {
  return `bench-${number}`;
}

/** The JSON body of a POST /api/v1/namespaces/{namespace}/pods. */
export function podManifest(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '7d4b9c8f6' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d4b9c8f6',
          uid: '8f0c5a4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
          livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 15, periodSeconds: 20 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  });
}
