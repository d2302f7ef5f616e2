// rest.Config: everything needed to reach one apiserver — where it is, how to trust it, who we
// are, and how politely to call it. Built from a kubeconfig, from flags, or in-cluster.
import { basename } from 'node:path';

export interface TlsClientConfig {
  /** skip server certificate verification (kubeconfig insecure-skip-tls-verify) */
  insecure?: boolean;
  /** name to verify the server certificate against, when it differs from the host */
  serverName?: string;
  caFile?: string;
  /** PEM; wins over caFile */
  caData?: string;
  certFile?: string;
  certData?: string;
  keyFile?: string;
  keyData?: string;
}

export interface RestConfig {
  /** "https://10.0.0.1:6443", "http://127.0.0.1:8080", or host:port (scheme chosen by TLS settings) */
  host: string;
  bearerToken?: string;
  /** read at start and re-read every minute, so rotated service-account tokens are picked up */
  bearerTokenFile?: string;
  username?: string;
  password?: string;
  tls?: TlsClientConfig;
  userAgent?: string;
  /** client-side rate limit: 0 means the default (5); negative disables throttling */
  qps?: number;
  /** 0 means the default (10) */
  burst?: number;
  /** whole-request timeout in ms, body included; 0 or unset: none */
  timeoutMs?: number;
}

/** client-go's rest.DefaultQPS and rest.DefaultBurst. */
export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;

/** The Kubernetes version k8ts implements, as user agents carry it. */
export const KUBERNETES_VERSION = 'v1.32.0';

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/**
 * rest.DefaultKubernetesUserAgent: "<command>/<version> (<os>/<arch>) kubernetes/<commit>",
 * e.g. "kube-scheduler/v1.32.0 (linux/amd64) kubernetes/unknown" — what audit logs and the
 * apiserver's own metrics show for each component.
 */
export function defaultUserAgent(command = basename(process.argv[1] ?? '') || 'unknown', commit = ''): string {
  const arch = GO_ARCH[process.arch] ?? process.arch;
  const shortCommit = commit === '' ? 'unknown' : commit.slice(0, 7);
  return `${command}/${KUBERNETES_VERSION} (${process.platform}/${arch}) kubernetes/${shortCommit}`;
}

export function hasCA(tls: TlsClientConfig | undefined): boolean {
  return Boolean(tls?.caData || tls?.caFile);
}

function hasClientCert(tls: TlsClientConfig | undefined): boolean {
  return Boolean(tls?.certData || tls?.certFile);
}

/**
 * rest.DefaultServerUrlFor: a host without a scheme gets https when any TLS setting is present,
 * http otherwise; an empty host means localhost. Any path on the host is kept as a prefix.
 */
export function serverUrl(config: Pick<RestConfig, 'host' | 'tls'>): URL {
  const host = config.host === '' ? 'localhost' : config.host;
  const secure = hasCA(config.tls) || hasClientCert(config.tls) || config.tls?.insecure === true;
  const text = host.includes('://') ? host : `${secure ? 'https' : 'http'}://${host}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`host must be a URL or a host:port pair: ${JSON.stringify(config.host)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`host must be a URL or a host:port pair: ${JSON.stringify(config.host)}`);
  }
  return url;
}

/** rest.IsConfigTransportTLS: whether requests will travel over TLS. */
export function isTransportTls(config: Pick<RestConfig, 'host' | 'tls'>): boolean {
  try {
    return serverUrl(config).protocol === 'https:';
  } catch {
    return false;
  }
}
