// The settings `k8ts up` takes, checked: given on the first `up`, they are recorded in
// cluster.json; a later `up` may repeat them but not change them (the store and the nodes were
// made for them).
import type { ClusterSettings, Runtime } from './cluster-record.ts';
import { parseExtraConfig } from './extra-config.ts';

export interface UpFlags {
  nodes?: string;
  'store-members'?: string;
  runtime?: string;
  'kubernetes-version'?: string;
  'extra-config'?: string[];
}

/** Kubernetes' default --service-cluster-ip-range in kubeadm. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const KUBERNETES_VERSION = 'v1.32.0';

const DEFAULTS: ClusterSettings = {
  nodes: 1,
  // Hollow nodes until the Docker runtime is built, so that a new cluster runs pods.
  runtime: 'fake',
  storeMembers: 1,
  kubernetesVersion: KUBERNETES_VERSION,
  serviceClusterIpRange: SERVICE_CLUSTER_IP_RANGE,
};

const MAX_NODES = 1000;

function parseNodes(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_NODES) throw new Error(`--nodes: "${text}" must be a whole number from 0 to ${MAX_NODES}`);
  return n;
}

function parseStoreMembers(text: string): number {
  if (!['1', '3', '5'].includes(text)) throw new Error(`--store-members: "${text}" must be 1, 3 or 5`);
  return Number(text);
}

function parseRuntime(text: string): Runtime {
  if (text !== 'docker' && text !== 'fake') throw new Error(`--runtime: "${text}" must be fake or docker`);
  return text;
}

/** k8ts implements one Kubernetes minor version; "1.32", "v1.32" and "v1.32.4" name it. */
function parseKubernetesVersion(text: string): string {
  const match = /^v?1\.32(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`--kubernetes-version: k8ts implements Kubernetes v1.32; "${text}" is not available`);
  return `v1.32.${match[1] ?? '0'}`;
}

export function resolveSettings(name: string, flags: UpFlags, existing: ClusterSettings | undefined): ClusterSettings {
  const given: Partial<ClusterSettings> = {
    ...(flags.nodes !== undefined ? { nodes: parseNodes(flags.nodes) } : {}),
    ...(flags['store-members'] !== undefined ? { storeMembers: parseStoreMembers(flags['store-members']) } : {}),
    ...(flags.runtime !== undefined ? { runtime: parseRuntime(flags.runtime) } : {}),
    ...(flags['kubernetes-version'] !== undefined ? { kubernetesVersion: parseKubernetesVersion(flags['kubernetes-version']) } : {}),
  };
  const extraConfig = flags['extra-config'];
  extraConfig?.forEach(parseExtraConfig);
  if (!existing) return { ...DEFAULTS, ...given, ...(extraConfig?.length ? { extraConfig } : {}) };
  const flagOf: Record<string, string> = { nodes: 'nodes', storeMembers: 'store-members', runtime: 'runtime', kubernetesVersion: 'kubernetes-version' };
  for (const [key, value] of Object.entries(given)) {
    const recorded = existing[key as keyof ClusterSettings];
    if (recorded !== value) {
      throw new Error(
        `cluster "${name}" was created with --${flagOf[key]} ${recorded}, not ${value}; to change it, delete the cluster (k8ts delete --name ${name}) and create it again`,
      );
    }
  }
  // Component flags may change from one start to the next, as minikube's --extra-config does.
  return extraConfig === undefined ? existing : { ...existing, extraConfig };
}
