// `k8ts apiserver`: kube-apiserver's role, with kube-apiserver's flag names.
import { parseArgs } from 'node:util';
import { Apiserver, DEFAULT_CONFIG, type ApiserverConfig } from '@k8ts/apiserver';
import { enabledAdmissionPlugins } from '@k8ts/apiserver/admission/plugins.ts';
import { validateAuthorizationModes } from '@k8ts/apiserver/authorization/modes.ts';

const HELP = `usage: k8ts apiserver [flags]

  --etcd-servers URLS                 store endpoints, comma-separated (default ${DEFAULT_CONFIG.etcdServers.join(',')})
  --bind-address IP                   address to listen on (default ${DEFAULT_CONFIG.bindAddress})
  --secure-port N                     HTTPS port (default 6443; 0 disables when no TLS files are given)
  --insecure-port N                   plain HTTP port, development only: every request is admin (default off)
  --advertise-address IP              address of this apiserver for the kubernetes Service
  --service-cluster-ip-range CIDR     Service ClusterIPs (default ${DEFAULT_CONFIG.serviceClusterIpRange})
  --service-node-port-range A-B       NodePorts (default 30000-32767)
  --tls-cert-file FILE                serving certificate (PEM)
  --tls-private-key-file FILE         serving key (PEM)
  --client-ca-file FILE               CA for client certificates (CN = user, O = groups)
  --token-auth-file FILE              static tokens: token,user,uid,"group1,group2"
  --anonymous-auth BOOL               allow unauthenticated requests as system:anonymous (default true)
  --authentication-config FILE        AuthenticationConfiguration (apiserver.config.k8s.io/v1beta1); its anonymous
                                      section (enabled, conditions: [{path}]) replaces --anonymous-auth
  --service-account-issuer ID         iss of ServiceAccount tokens; repeatable, the first signs
                                      (default https://kubernetes.default.svc.cluster.local)
  --service-account-key-file FILE     PEM public keys that verify ServiceAccount tokens; repeatable
                                      (default: the --tls-private-key-file)
  --service-account-signing-key-file FILE
                                      PEM private key that signs ServiceAccount tokens (serves TokenRequest)
  --api-audiences LIST                audiences of the API, comma-separated (default: the issuers)
  --service-account-max-token-expiration DURATION
                                      longest lifetime a TokenRequest gets (default: no limit)
  --enable-bootstrap-token-auth       accept bootstrap tokens (kube-system Secrets bootstrap-token-<id>)
  --authorization-mode MODES          authorizers in order, comma-separated: AlwaysAllow, AlwaysDeny, Node, RBAC
                                      (default AlwaysAllow; RBAC writes the bootstrap roles and bindings at start)
  --enable-admission-plugins LIST     admission plugins to run besides the default-on ones, comma-separated
  --disable-admission-plugins LIST    default-on admission plugins not to run, comma-separated
  --event-ttl DURATION                how long Events are kept (default 1h)
  --watch-cache-sizes LIST            events each resource's watch cache keeps, as resource[.group]#size,
                                      comma-separated, e.g. secrets#100,deployments.apps#500 (default 10000)
  --kubelet-client-certificate FILE   client certificate (PEM) towards kubelets; with --kubelet-client-key the
                                      apiserver scrapes every Ready node's /metrics/resource and serves
                                      metrics.k8s.io/v1beta1 (metrics-server's role, for kubectl top and the HPA)
  --kubelet-client-key FILE           its key (PEM)
  --kubelet-certificate-authority FILE
                                      CA to verify kubelets' serving certificates (default: not verified)
  --metric-resolution DURATION        how often kubelets are scraped (default 15s)`;

function parseDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') throw new Error(`invalid duration "${text}" (want e.g. 1h, 30m, 1h30m0s)`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** "secrets#100,deployments.apps#500" → { secrets: 100, 'deployments.apps': 500 } */
function parseWatchCacheSizes(text: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of text.split(',')) {
    const match = /^([a-z0-9.-]+)#(\d+)$/.exec(entry.trim());
    if (!match || Number(match[2]) < 1) throw new Error(`invalid --watch-cache-sizes entry "${entry}" (want resource[.group]#size, size at least 1)`);
    sizes[match[1]!] = Number(match[2]);
  }
  return sizes;
}

function parsePortRange(text: string): { base: number; size: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match || Number(match[2]) < Number(match[1])) throw new Error(`invalid --service-node-port-range "${text}" (want e.g. 30000-32767)`);
  return { base: Number(match[1]), size: Number(match[2]) - Number(match[1]) + 1 };
}

/** Go's strconv.ParseBool, as kube-apiserver reads its bool flags. */
function parseGoBool(flag: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`invalid argument "${text}" for "--${flag}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
}

/**
 * Go bool flags are "--flag" or "--flag=value"; parseArgs takes only the bare form, so the
 * "=value" form of `names` is read here and removed from the arguments.
 */
function extractGoBoolFlags(args: string[], names: string[]): { rest: string[]; values: Record<string, boolean> } {
  const values: Record<string, boolean> = {};
  const rest = args.filter((arg) => {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match || !names.includes(match[1]!)) return true;
    values[match[1]!] = parseGoBool(match[1]!, match[2]!);
    return false;
  });
  return { rest, values };
}

/** Admission plugin lists (repeatable, comma-separated, as Go string slices), checked now so a typo stops startup. */
function admissionFlags(enable: string[] | undefined, disable: string[] | undefined): Pick<ApiserverConfig, 'enableAdmissionPlugins' | 'disableAdmissionPlugins'> {
  const names = (given: string[] | undefined) => (given ?? []).flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  const config = { enableAdmissionPlugins: names(enable), disableAdmissionPlugins: names(disable) };
  enabledAdmissionPlugins(config.enableAdmissionPlugins, config.disableAdmissionPlugins);
  return config;
}

/** --authorization-mode, checked now (kube-apiserver's wording) so a typo stops startup. */
function authorizationModes(value: string): string[] {
  const modes = value.split(',').map((mode) => mode.trim()).filter((mode) => mode !== '');
  validateAuthorizationModes(modes);
  return modes;
}

/** The kubelet client flags: certificate and key together, and a positive --metric-resolution. */
function kubeletClientFlags(values: {
  'kubelet-client-certificate'?: string;
  'kubelet-client-key'?: string;
  'kubelet-certificate-authority'?: string;
  'metric-resolution'?: string;
}): Pick<ApiserverConfig, 'kubeletClientCertificate' | 'kubeletClientKey' | 'kubeletCertificateAuthority' | 'metricResolutionMs'> {
  const cert = values['kubelet-client-certificate'];
  const key = values['kubelet-client-key'];
  if (!cert !== !key) throw new Error('--kubelet-client-certificate and --kubelet-client-key must be given together');
  const resolution = values['metric-resolution'];
  const seconds = resolution === undefined ? undefined : parseDuration(resolution);
  if (seconds === 0) throw new Error(`invalid --metric-resolution "${resolution}" (want at least 1s, e.g. 15s)`);
  return {
    ...(cert && key ? { kubeletClientCertificate: cert, kubeletClientKey: key } : {}),
    ...(values['kubelet-certificate-authority'] ? { kubeletCertificateAuthority: values['kubelet-certificate-authority'] } : {}),
    ...(seconds !== undefined ? { metricResolutionMs: seconds * 1000 } : {}),
  };
}

export function parseApiserverFlags(allArgs: string[]): ApiserverConfig | 'help' {
  const goBools = extractGoBoolFlags(allArgs, ['enable-bootstrap-token-auth']);
  const args = goBools.rest;
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      'etcd-servers': { type: 'string' },
      'bind-address': { type: 'string' },
      'secure-port': { type: 'string' },
      'insecure-port': { type: 'string' },
      'advertise-address': { type: 'string' },
      'service-cluster-ip-range': { type: 'string' },
      'service-node-port-range': { type: 'string' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'token-auth-file': { type: 'string' },
      'anonymous-auth': { type: 'string' },
      'authentication-config': { type: 'string' },
      'service-account-issuer': { type: 'string', multiple: true },
      'service-account-key-file': { type: 'string', multiple: true },
      'service-account-signing-key-file': { type: 'string' },
      'api-audiences': { type: 'string', multiple: true },
      'service-account-max-token-expiration': { type: 'string' },
      'enable-bootstrap-token-auth': { type: 'boolean' },
      'authorization-mode': { type: 'string' },
      'enable-admission-plugins': { type: 'string', multiple: true },
      'disable-admission-plugins': { type: 'string', multiple: true },
      'event-ttl': { type: 'string' },
      'watch-cache-sizes': { type: 'string' },
      'kubelet-client-certificate': { type: 'string' },
      'kubelet-client-key': { type: 'string' },
      'kubelet-certificate-authority': { type: 'string' },
      'metric-resolution': { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid --${flag} "${text}"`);
    return n;
  };
  const hasTls = values['tls-cert-file'] !== undefined;
  const securePort = port('secure-port', values['secure-port']) ?? (hasTls ? 6443 : undefined);
  const insecurePort = port('insecure-port', values['insecure-port']);
  if (securePort === undefined && insecurePort === undefined) {
    throw new Error('no listener: give --tls-cert-file/--tls-private-key-file (HTTPS on --secure-port) or --insecure-port');
  }
  return {
    ...DEFAULT_CONFIG,
    ...(values['etcd-servers'] ? { etcdServers: values['etcd-servers'].split(',') } : {}),
    ...(values['bind-address'] ? { bindAddress: values['bind-address'] } : {}),
    securePort: securePort === 0 && !hasTls ? undefined : securePort,
    ...(insecurePort !== undefined ? { insecurePort } : {}),
    ...(values['advertise-address'] ? { advertiseAddress: values['advertise-address'] } : {}),
    ...(values['service-cluster-ip-range'] ? { serviceClusterIpRange: values['service-cluster-ip-range'] } : {}),
    ...(values['service-node-port-range'] ? { serviceNodePortRange: parsePortRange(values['service-node-port-range']) } : {}),
    ...(values['tls-cert-file'] ? { tlsCertFile: values['tls-cert-file'] } : {}),
    ...(values['tls-private-key-file'] ? { tlsPrivateKeyFile: values['tls-private-key-file'] } : {}),
    ...(values['client-ca-file'] ? { clientCaFile: values['client-ca-file'] } : {}),
    ...(values['token-auth-file'] ? { tokenAuthFile: values['token-auth-file'] } : {}),
    ...(values['anonymous-auth'] !== undefined ? { anonymousAuth: parseGoBool('anonymous-auth', values['anonymous-auth']), anonymousAuthSet: true } : {}),
    ...(values['authentication-config'] ? { authenticationConfigFile: values['authentication-config'] } : {}),
    ...(values['service-account-issuer'] ? { serviceAccountIssuers: values['service-account-issuer'] } : {}),
    ...(values['service-account-key-file'] ? { serviceAccountKeyFiles: values['service-account-key-file'] } : {}),
    ...(values['service-account-signing-key-file'] ? { serviceAccountSigningKeyFile: values['service-account-signing-key-file'] } : {}),
    ...(values['api-audiences'] ? { apiAudiences: values['api-audiences'].flatMap((v) => v.split(',')).filter((v) => v !== '') } : {}),
    ...(values['service-account-max-token-expiration']
      ? { serviceAccountMaxTokenExpirationSeconds: parseDuration(values['service-account-max-token-expiration']) }
      : {}),
    ...((goBools.values['enable-bootstrap-token-auth'] ?? values['enable-bootstrap-token-auth'])
      ? { enableBootstrapTokenAuth: true }
      : {}),
    ...(values['authorization-mode'] !== undefined ? { authorizationMode: authorizationModes(values['authorization-mode']) } : {}),
    ...admissionFlags(values['enable-admission-plugins'], values['disable-admission-plugins']),
    ...(values['event-ttl'] ? { eventTtlSeconds: parseDuration(values['event-ttl']) } : {}),
    ...(values['watch-cache-sizes'] ? { watchCacheSizes: parseWatchCacheSizes(values['watch-cache-sizes']) } : {}),
    ...kubeletClientFlags(values),
  };
}

export async function runApiserver(args: string[]): Promise<number> {
  const config = parseApiserverFlags(args);
  if (config === 'help') {
    console.log(HELP);
    return 0;
  }
  const server = await Apiserver.start(config);
  for (const url of [server.insecureUrl, server.secureUrl]) if (url) console.log(`k8ts apiserver: serving on ${url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await server.close();
  return 0;
}
