// In-cluster configuration: a process running in a pod reaches the apiserver through the
// "kubernetes" Service (KUBERNETES_SERVICE_HOST/PORT, set by the kubelet) and authenticates
// with the service-account token mounted into the pod (rest.InClusterConfig).
import { clientConfig, type ClientConfig, type ConfigOverrides } from './client-config.ts';
import { goFileError, loadKubeconfig, processIO, type ConfigIO, type Kubeconfig } from './kubeconfig.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_FILE = `${SERVICE_ACCOUNT_DIR}/token`;
const ROOT_CA_FILE = `${SERVICE_ACCOUNT_DIR}/ca.crt`;
const NAMESPACE_FILE = `${SERVICE_ACCOUNT_DIR}/namespace`;

function readable(io: Pick<ConfigIO, 'readFile'>, path: string): string | undefined {
  try {
    return io.readFile(path);
  } catch {
    return undefined;
  }
}

/** Whether this process looks like it runs in a pod (the service env vars and a token). */
export function inClusterPossible(io: ConfigIO = processIO): boolean {
  return Boolean(io.env.KUBERNETES_SERVICE_HOST && io.env.KUBERNETES_SERVICE_PORT && readable(io, TOKEN_FILE) !== undefined);
}

export function inClusterConfig(io: ConfigIO = processIO): ClientConfig {
  const host = io.env.KUBERNETES_SERVICE_HOST;
  const port = io.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  let token: string;
  try {
    token = io.readFile(TOKEN_FILE).trim();
  } catch (err) {
    throw new Error(goFileError('open', TOKEN_FILE, err));
  }
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    restConfig: {
      host: `https://${hostPort}`,
      bearerToken: token,
      bearerTokenFile: TOKEN_FILE,
      // Without a readable CA the server cannot be verified, and requests will fail saying so.
      tls: readable(io, ROOT_CA_FILE) !== undefined ? { caFile: ROOT_CA_FILE } : {},
    },
    namespace: readable(io, NAMESPACE_FILE)?.trim() || 'default',
    context: '',
  };
}

function isEmpty(config: Kubeconfig): boolean {
  return config.clusters.size === 0 && config.users.size === 0 && config.contexts.size === 0 && config.currentContext === '';
}

/**
 * The configuration kubectl-style flags select: --kubeconfig (else $KUBECONFIG, else
 * ~/.kube/config) with --server, --token, --context, … layered on top. With no kubeconfig and
 * no flags at all, inside a pod, the in-cluster configuration.
 */
export function restConfigFromFlags(flags: ConfigOverrides & { kubeconfig?: string }, io: ConfigIO = processIO): ClientConfig {
  const { kubeconfig, ...overrides } = flags;
  const config = loadKubeconfig({ explicitPath: kubeconfig }, io);
  const anyFlag = Object.values(overrides).some((v) => v !== undefined && v !== '' && v !== false);
  if (!kubeconfig && !anyFlag && isEmpty(config) && inClusterPossible(io)) return inClusterConfig(io);
  return clientConfig(config, overrides, io);
}
