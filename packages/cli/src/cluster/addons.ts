// What `k8ts up` adds to a cluster once it serves, as minikube's default addons and kind's
// install manifests do: a default StorageClass served by the controller-manager's built-in
// local-path provisioner, so a PersistentVolumeClaim without a class gets a volume; and the
// ClusterRole metrics-server's manifest installs, aggregated into view/edit/admin, so users with
// those roles may run `kubectl top` (k8ts' apiserver serves metrics.k8s.io itself). Each is
// created when missing and otherwise left as it is — the addon manager's EnsureExists mode: a
// user's changes to the class stand.
import fs from 'node:fs';
import type { KubeObject } from '@k8ts/api';
import { isAlreadyExists, RestClient } from '@k8ts/client';
import { clientConfig } from '@k8ts/client/client-config.ts';
import { parseKubeconfig } from '@k8ts/client/kubeconfig.ts';

const STORAGE_CLASS = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' };
const CLUSTER_ROLE = { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' };

/** kind's and minikube's default class name; the provisioner is k8ts' own. */
export const DEFAULT_STORAGE_CLASS: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: 'standard',
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
  },
  provisioner: 'k8ts.io/local-path',
  reclaimPolicy: 'Delete',
  // as kind's: a volume is made on the node its first pod is scheduled to
  volumeBindingMode: 'WaitForFirstConsumer',
};

/** metrics-server's aggregated reader role, as its manifest defines it. */
export const METRICS_READER_ROLE: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: {
    name: 'system:aggregated-metrics-reader',
    labels: {
      'k8s-app': 'metrics-server',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    },
  },
  rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
};

/** The addons `up` ensures, by name. */
const ADDONS: Record<string, { gvk: typeof STORAGE_CLASS; object: KubeObject }> = {
  'default-storageclass': { gvk: STORAGE_CLASS, object: DEFAULT_STORAGE_CLASS },
  'metrics-server': { gvk: CLUSTER_ROLE, object: METRICS_READER_ROLE },
};

/** Creates each addon object the cluster lacks; returns the addons created. */
export async function ensureAddons(client: RestClient): Promise<string[]> {
  const created: string[] = [];
  for (const [name, { gvk, object }] of Object.entries(ADDONS)) {
    try {
      await client.forKind(gvk).create(object);
      created.push(name);
    } catch (err) {
      if (!isAlreadyExists(err)) throw new Error(`addon ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return created;
}

/** A client acting as the cluster's admin. */
export function adminClient(adminKubeconfig: string): RestClient {
  const readFile = (file: string) => fs.readFileSync(file, 'utf8');
  return new RestClient(clientConfig(parseKubeconfig(readFile(adminKubeconfig), adminKubeconfig), {}, { readFile }).restConfig, { maxRetries: 3 });
}
