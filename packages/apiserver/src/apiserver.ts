// kube-apiserver's role: wires the store, the registry of resources and the HTTP listeners,
// creates what every cluster starts with, and shuts down cleanly.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { EtcdClient } from '@k8ts/store';
import { registryLookup } from './authentication/object-lookup.ts';
import { createAuthentication, DEFAULT_SERVICE_ACCOUNT_ISSUER } from './authentication/setup.ts';
import { enabledAdmissionPlugins } from './admission/plugins.ts';
import { Authorization } from './authorization/authorization.ts';
import { buildApp } from './http/app.ts';
import { Metrics } from './http/metrics.ts';
import { DEFAULT_METRIC_RESOLUTION_MS, registryObjects, ResourceMetrics } from './metrics/resource-metrics.ts';
import { ensureBootstrapObjects } from './bootstrap.ts';
import { RangeAllocator } from './registry/allocators/range-allocator.ts';
import { ServiceIpRange } from './registry/allocators/service-ip-range.ts';
import { ResourceRegistry } from './registry/resource-registry.ts';
import { ObjectStorage } from './storage/object-storage.ts';

export interface ApiserverConfig {
  etcdServers: string[];
  bindAddress: string;
  /** HTTPS port; 0 picks a free one; undefined disables it */
  securePort?: number;
  /** plain HTTP port for development; undefined disables it */
  insecurePort?: number;
  serviceClusterIpRange: string;
  serviceNodePortRange: { base: number; size: number };
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  tokenAuthFile?: string;
  anonymousAuth: boolean;
  /** --anonymous-auth was given explicitly (it may not be combined with the config file's anonymous section) */
  anonymousAuthSet?: boolean;
  /** --authentication-config: an AuthenticationConfiguration; k8ts honours its anonymous section */
  authenticationConfigFile?: string;
  /** --service-account-issuer (repeatable; the first signs); default https://kubernetes.default.svc.cluster.local */
  serviceAccountIssuers?: string[];
  /** --service-account-key-file (repeatable): public keys that verify ServiceAccount tokens */
  serviceAccountKeyFiles?: string[];
  /** --service-account-signing-key-file: enables the TokenRequest API */
  serviceAccountSigningKeyFile?: string;
  /** --api-audiences; default: the issuers */
  apiAudiences?: string[];
  /** --service-account-max-token-expiration, in seconds */
  serviceAccountMaxTokenExpirationSeconds?: number;
  /** --enable-bootstrap-token-auth */
  enableBootstrapTokenAuth?: boolean;
  authorizationMode: string[];
  /** --enable-admission-plugins: plugins to run besides Kubernetes' default-on ones */
  enableAdmissionPlugins?: string[];
  /** --disable-admission-plugins: default-on plugins not to run */
  disableAdmissionPlugins?: string[];
  eventTtlSeconds: number;
  /**
   * How many events a resource's watch cache keeps ("configmaps", "deployments.apps"); a watch
   * from an older resourceVersion gets 410 Expired. (Kubernetes 1.32 sizes its caches itself and
   * reads only 0, "no cache", from its flag of this name; k8ts keeps a fixed window.)
   */
  watchCacheSizes?: Record<string, number>;
  /**
   * --kubelet-client-certificate/--kubelet-client-key: the apiserver's certificate towards
   * kubelets. With them it scrapes every Ready node's /metrics/resource and serves
   * metrics.k8s.io/v1beta1 (metrics-server's role); without them that API is not served.
   */
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  /** --kubelet-certificate-authority: verify kubelets' serving certificates against this CA */
  kubeletCertificateAuthority?: string;
  /** --metric-resolution: how often kubelets are scraped (default 15 s, metrics-server's) */
  metricResolutionMs?: number;
  /** address other components reach this apiserver on (the `kubernetes` Service endpoint) */
  advertiseAddress?: string;
  now?: () => Date;
}

export const DEFAULT_CONFIG: ApiserverConfig = {
  etcdServers: ['http://127.0.0.1:2379'],
  bindAddress: '0.0.0.0',
  securePort: 6443,
  serviceClusterIpRange: '10.96.0.0/12',
  serviceNodePortRange: { base: 30000, size: 2768 },
  anonymousAuth: true,
  authorizationMode: ['AlwaysAllow'],
  eventTtlSeconds: 3600,
};

export class Apiserver {
  private constructor(
    private readonly apps: FastifyInstance[],
    private readonly registry: ResourceRegistry,
    private readonly storage: ObjectStorage,
    private readonly authorization: Authorization,
    private readonly resourceMetrics: ResourceMetrics | undefined,
    readonly insecureUrl: string | undefined,
    readonly secureUrl: string | undefined,
  ) {}

  static async start(config: ApiserverConfig): Promise<Apiserver> {
    const now = config.now ?? (() => new Date());
    // Every member's endpoint, so the client moves to another member when its own is lost.
    const endpoints = config.etcdServers.map((server) => server.replace(/^https?:\/\//, '')).join(',');
    const etcd = new EtcdClient(endpoints);
    const storage = new ObjectStorage(etcd);
    const ipRange = new ServiceIpRange(config.serviceClusterIpRange);
    const services = {
      ipRange,
      ips: new RangeAllocator(storage, '/registry/ranges/serviceips', 'IP', ipRange.size, ipRange.staticBand),
      nodePortBase: config.serviceNodePortRange.base,
      nodePortSize: config.serviceNodePortRange.size,
      nodePorts: new RangeAllocator(
        storage,
        '/registry/ranges/servicenodeports',
        'port',
        config.serviceNodePortRange.size,
        Math.min(Math.max(16, Math.floor(config.serviceNodePortRange.size / 16)), 128),
      ),
    };
    const registry = new ResourceRegistry(storage, etcd, {
    services,
    eventTtlSeconds: config.eventTtlSeconds,
    ...(config.watchCacheSizes ? { watchCacheSizes: config.watchCacheSizes } : {}),
    admissionPlugins: enabledAdmissionPlugins(config.enableAdmissionPlugins, config.disableAdmissionPlugins),
  });
    await registry.start();
    const metrics = new Metrics();
    const { authenticator, tokenIssuer } = createAuthentication(
      {
        ...(config.clientCaFile ? { clientCaFile: config.clientCaFile } : {}),
        ...(config.tokenAuthFile ? { tokenAuthFile: config.tokenAuthFile } : {}),
        anonymousAuth: config.anonymousAuth,
        anonymousAuthSet: config.anonymousAuthSet === true,
        ...(config.authenticationConfigFile ? { authenticationConfigFile: config.authenticationConfigFile } : {}),
        serviceAccountIssuers: config.serviceAccountIssuers ?? [DEFAULT_SERVICE_ACCOUNT_ISSUER],
        serviceAccountKeyFiles: config.serviceAccountKeyFiles ?? [],
        ...(config.serviceAccountSigningKeyFile ? { serviceAccountSigningKeyFile: config.serviceAccountSigningKeyFile } : {}),
        ...(config.apiAudiences ? { apiAudiences: config.apiAudiences } : {}),
        ...(config.serviceAccountMaxTokenExpirationSeconds ? { serviceAccountMaxTokenExpirationSeconds: config.serviceAccountMaxTokenExpirationSeconds } : {}),
        enableBootstrapTokenAuth: config.enableBootstrapTokenAuth === true,
        ...(config.tlsPrivateKeyFile ? { tlsPrivateKeyFile: config.tlsPrivateKeyFile } : {}),
      },
      registryLookup(registry),
      now,
    );
    // Follows the RBAC (and Node graph) caches; with RBAC on, writes the bootstrap policy first.
    const authorization = await Authorization.start(registry, config.authorizationMode, now);
    const checks = [
      { name: 'ping', check: async () => {} },
      { name: 'etcd', check: async () => void (await storage.currentRevision()) },
    ];
    const resourceMetrics = startResourceMetrics(config, registry, now);
    const apps: FastifyInstance[] = [];
    let insecureUrl: string | undefined;
    let secureUrl: string | undefined;
    const parts = { registry, now };
    let advertised = config.advertiseAddress ?? '127.0.0.1';
    const serverAddress = () => advertised;
    if (config.insecurePort !== undefined) {
      const app = buildApp({ parts, metrics, authenticator, tokenIssuer, authorization, checks, secure: false, serverAddress, resourceMetrics });
      await app.listen({ host: config.bindAddress, port: config.insecurePort });
      const port = (app.server.address() as AddressInfo).port;
      insecureUrl = `http://${hostFor(config.bindAddress)}:${port}`;
      apps.push(app);
      advertised = `${hostFor(config.advertiseAddress ?? config.bindAddress)}:${port}`;
    }
    if (config.securePort !== undefined) {
      if (!config.tlsCertFile || !config.tlsPrivateKeyFile) {
        throw new Error('--secure-port needs --tls-cert-file and --tls-private-key-file (or use --insecure-port for development)');
      }
      const https = {
        cert: readFileSync(config.tlsCertFile),
        key: readFileSync(config.tlsPrivateKeyFile),
        ...(config.clientCaFile ? { ca: readFileSync(config.clientCaFile) } : {}),
      };
      const app = buildApp({ parts, metrics, authenticator, tokenIssuer, authorization, checks, secure: true, serverAddress, https, resourceMetrics });
      await app.listen({ host: config.bindAddress, port: config.securePort });
      const port = (app.server.address() as AddressInfo).port;
      secureUrl = `https://${hostFor(config.bindAddress)}:${port}`;
      apps.push(app);
      advertised = `${hostFor(config.advertiseAddress ?? config.bindAddress)}:${port}`;
    }
    await ensureBootstrapObjects(registry, { now, kubernetesServiceIp: ipRange.first, advertise: advertised });
    resourceMetrics?.start();
    return new Apiserver(apps, registry, storage, authorization, resourceMetrics, insecureUrl, secureUrl);
  }

  async close(): Promise<void> {
    this.resourceMetrics?.close();
    this.authorization.stop();
    this.registry.stop();
    for (const app of this.apps) {
      app.server.closeAllConnections?.();
      await app.close();
    }
    this.storage.close();
  }
}

/** The resource metrics pipeline, when a kubelet client certificate is configured. */
function startResourceMetrics(config: ApiserverConfig, registry: ResourceRegistry, now: () => Date): ResourceMetrics | undefined {
  if (!config.kubeletClientCertificate || !config.kubeletClientKey) return undefined;
  return new ResourceMetrics({
    objects: registryObjects(registry),
    resolutionMs: config.metricResolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS,
    kubeletClient: {
      certPem: readFileSync(config.kubeletClientCertificate, 'utf8'),
      keyPem: readFileSync(config.kubeletClientKey, 'utf8'),
      ...(config.kubeletCertificateAuthority ? { caPem: readFileSync(config.kubeletCertificateAuthority, 'utf8') } : {}),
    },
    now: () => now().getTime(),
    logger: { warn: (message) => process.stderr.write(`k8ts apiserver: warning: metrics scraper: ${message}\n`) },
  });
}

function hostFor(address: string): string {
  return address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
}
