// Where a cluster keeps its state: $K8TS_HOME/<name> (default ~/.k8ts/<name>), laid out like a
// kubeadm control-plane node's /etc/kubernetes and /var/lib/etcd, but all in one directory so
// that `k8ts delete` is one rm -r and two clusters never share a file.
import path from 'node:path';

export interface ClusterPaths {
  name: string;
  dir: string;
  /** cluster.json: the settings fixed at creation, the chosen ports and the component plan */
  clusterFile: string;
  /** processes.json: what the supervisor is running (pids, start times, restarts) */
  processesFile: string;
  pki: {
    dir: string;
    caCert: string;
    caKey: string;
    apiserverCert: string;
    apiserverKey: string;
    /** the apiserver's client certificate towards kubelets (kubeadm's apiserver-kubelet-client) */
    apiserverKubeletClientCert: string;
    apiserverKubeletClientKey: string;
    serviceAccountKey: string;
    serviceAccountPub: string;
  };
  adminKubeconfig: string;
  kubeconfigsDir: string;
  /** AuthenticationConfiguration file given to the apiserver (--authentication-config) */
  authenticationConfig: string;
  storeDir: string;
  logsDir: string;
}

/** $K8TS_HOME, else ~/.k8ts. */
export function k8tsHome(env: Record<string, string | undefined>, homeDir: string): string {
  return path.resolve(env.K8TS_HOME || path.join(homeDir, '.k8ts'));
}

export function clusterPaths(home: string, name: string): ClusterPaths {
  const dir = path.join(home, name);
  const pki = path.join(dir, 'pki');
  return {
    name,
    dir,
    clusterFile: path.join(dir, 'cluster.json'),
    processesFile: path.join(dir, 'processes.json'),
    pki: {
      dir: pki,
      caCert: path.join(pki, 'ca.crt'),
      caKey: path.join(pki, 'ca.key'),
      apiserverCert: path.join(pki, 'apiserver.crt'),
      apiserverKey: path.join(pki, 'apiserver.key'),
      apiserverKubeletClientCert: path.join(pki, 'apiserver-kubelet-client.crt'),
      apiserverKubeletClientKey: path.join(pki, 'apiserver-kubelet-client.key'),
      serviceAccountKey: path.join(pki, 'sa.key'),
      serviceAccountPub: path.join(pki, 'sa.pub'),
    },
    adminKubeconfig: path.join(dir, 'admin.kubeconfig'),
    kubeconfigsDir: path.join(dir, 'kubeconfigs'),
    authenticationConfig: path.join(dir, 'authentication-config.yaml'),
    storeDir: path.join(dir, 'store'),
    logsDir: path.join(dir, 'logs'),
  };
}

/** kubeconfigs/<component>.kubeconfig: each component's own client certificate, never admin's. */
export function componentKubeconfig(paths: ClusterPaths, component: string): string {
  return path.join(paths.kubeconfigsDir, `${component}.kubeconfig`);
}

export function componentLog(paths: ClusterPaths, component: string): string {
  return path.join(paths.logsDir, `${component}.log`);
}

/**
 * Cluster names become directory names and node-name prefixes, so they follow the rules of a
 * DNS-1123 label (as kind's and minikube's cluster names do). Returns the problem, if any.
 */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a cluster name must not be empty';
  if (name.length > 63) return `cluster name "${name}" is longer than 63 characters`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return `cluster name "${name}" must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`;
  }
  return undefined;
}
