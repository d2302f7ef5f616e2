// From a kubeconfig plus command-line overrides to a RestConfig (clientcmd's DirectClientConfig):
// pick the context (--context, else current-context), its cluster and user (each overridable),
// layer the flag values (--server, --token, …) on top, check the result is usable with
// clientcmd's messages, and build the RestConfig. As in client-go, credentials and CA settings
// are only used for https servers: against http:// every request goes out anonymous.
import { goFileError, type ConfigIO, type Kubeconfig, type KubeconfigCluster, type KubeconfigUser } from './kubeconfig.ts';
import { isTransportTls, type RestConfig } from './rest-config.ts';

/** kubectl's connection flags. */
export interface ConfigOverrides {
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  username?: string;
  password?: string;
  requestTimeoutMs?: number;
}

export interface ClientConfig {
  restConfig: RestConfig;
  /** the namespace commands default to: --namespace, else the context's, else "default" */
  namespace: string;
  context: string;
}

const ERR_EMPTY_CONFIG = 'no configuration has been provided, try setting KUBERNETES_MASTER environment variable';
const ERR_EMPTY_CLUSTER = 'cluster has no server defined';

/** clientcmd's errConfigurationInvalid: "invalid configuration: <one>" or "[<a>, <b>]" (deduplicated). */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    const unique = [...new Set(problems)];
    super(`invalid configuration: ${unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`}`);
    this.name = 'ConfigurationError';
  }
}

function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '' && v !== false)) as Partial<T>;
}

function mergedCluster(config: Kubeconfig, name: string, o: ConfigOverrides): KubeconfigCluster {
  const cluster: KubeconfigCluster = {
    ...config.clusters.get(name),
    ...defined({ server: o.server, certificateAuthority: o.certificateAuthority, insecureSkipTlsVerify: o.insecureSkipTlsVerify, tlsServerName: o.tlsServerName }),
  };
  // --insecure-skip-tls-verify without a CA of its own drops the file's CA (they cannot be combined).
  if (o.insecureSkipTlsVerify && !o.certificateAuthority) {
    delete cluster.certificateAuthority;
    delete cluster.certificateAuthorityData;
  }
  return cluster;
}

function mergedUser(config: Kubeconfig, name: string, o: ConfigOverrides): KubeconfigUser {
  const user: KubeconfigUser = {
    ...config.users.get(name),
    ...defined({ token: o.token, clientCertificate: o.clientCertificate, clientKey: o.clientKey, username: o.username, password: o.password }),
  };
  if (o.token) delete user.tokenFile;
  return user;
}

function unreadable(io: Pick<ConfigIO, 'readFile'>, path: string): string | undefined {
  try {
    io.readFile(path);
    return undefined;
  } catch (err) {
    return goFileError('open', path, err);
  }
}

function clusterProblems(name: string, cluster: KubeconfigCluster, io: Pick<ConfigIO, 'readFile'>): string[] {
  if (Object.values(cluster).every((v) => v === undefined || v === false || v === '')) return [ERR_EMPTY_CLUSTER];
  const problems: string[] = [];
  if (!cluster.server) problems.push(name === '' ? 'default cluster has no server defined' : `no server found for cluster ${JSON.stringify(name)}`);
  if (cluster.certificateAuthority && cluster.certificateAuthorityData) {
    problems.push(`certificate-authority-data and certificate-authority are both specified for ${name}. certificate-authority-data will override.`);
  }
  if (cluster.certificateAuthority) {
    const problem = unreadable(io, cluster.certificateAuthority);
    if (problem) problems.push(`unable to read certificate-authority ${cluster.certificateAuthority} for ${name} due to ${problem}`);
  }
  return problems;
}

function userProblems(name: string, user: KubeconfigUser, io: Pick<ConfigIO, 'readFile'>): string[] {
  const problems: string[] = [];
  const methods: string[] = [];
  if (user.token) methods.push('token');
  if (user.username || user.password) methods.push('basicAuth');
  if (user.clientCertificate || user.clientCertificateData) {
    if (user.clientCertificate && user.clientCertificateData) {
      problems.push(`client-cert-data and client-cert are both specified for ${name}. client-cert-data will override.`);
    }
    if (user.clientKey && user.clientKeyData) problems.push(`client-key-data and client-key are both specified for ${name}; client-key-data will override`);
    if (!user.clientKey && !user.clientKeyData) {
      problems.push(`client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`);
    }
    for (const [what, path] of [['client-cert', user.clientCertificate], ['client-key', user.clientKey]] as const) {
      const problem = path ? unreadable(io, path) : undefined;
      if (problem) problems.push(`unable to read ${what} ${path} for ${name} due to ${problem}`);
    }
  }
  if (user.plugin) problems.push(`${user.plugin} credential plugins are not supported by k8ts (user ${JSON.stringify(name)})`);
  if (methods.length > 1) problems.push(`more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`);
  return problems;
}

/** clientcmd's ClientConfig(): the RestConfig (and default namespace) the config and flags select. */
export function clientConfig(config: Kubeconfig, overrides: ConfigOverrides = {}, io: Pick<ConfigIO, 'readFile'>): ClientConfig {
  const contextName = overrides.context || config.currentContext;
  const context = { ...config.contexts.get(contextName) };
  const clusterName = overrides.cluster || context.cluster || '';
  const userName = overrides.user || context.user || '';
  const cluster = mergedCluster(config, clusterName, overrides);
  const user = mergedUser(config, userName, overrides);

  const problems: string[] = [];
  if (contextName && !config.contexts.has(contextName)) problems.push(`context was not found for specified context: ${contextName}`);
  problems.push(...userProblems(userName, user, io), ...clusterProblems(clusterName, cluster, io));
  // Nothing at all configured is reported as such, not as a missing server.
  if (problems.length === 1 && problems[0] === ERR_EMPTY_CLUSTER) throw new ConfigurationError([ERR_EMPTY_CONFIG]);
  if (problems.length > 0) throw new ConfigurationError(problems);

  let host = cluster.server!;
  try {
    const url = new URL(host);
    if (url.pathname.length > 1) {
      url.search = '';
      url.hash = '';
      host = url.href;
    }
  } catch {
    // host:port without a scheme: serverUrl() picks the scheme later
  }
  const restConfig: RestConfig = { host, ...(overrides.requestTimeoutMs ? { timeoutMs: overrides.requestTimeoutMs } : {}) };
  if (isTransportTls(restConfig)) {
    restConfig.tls = defined({
      insecure: cluster.insecureSkipTlsVerify,
      serverName: cluster.tlsServerName,
      caData: cluster.certificateAuthorityData,
      caFile: cluster.certificateAuthorityData ? undefined : cluster.certificateAuthority,
      certData: user.clientCertificateData,
      certFile: user.clientCertificateData ? undefined : user.clientCertificate,
      keyData: user.clientKeyData,
      keyFile: user.clientKeyData ? undefined : user.clientKey,
    });
    if (user.token) restConfig.bearerToken = user.token;
    else if (user.tokenFile) {
      try {
        restConfig.bearerToken = io.readFile(user.tokenFile).trim();
      } catch (err) {
        throw new Error(goFileError('open', user.tokenFile, err));
      }
      restConfig.bearerTokenFile = user.tokenFile;
    }
    if (user.username) restConfig.username = user.username;
    if (user.password) restConfig.password = user.password;
  }
  return { restConfig, namespace: overrides.namespace || context.namespace || 'default', context: contextName };
}
