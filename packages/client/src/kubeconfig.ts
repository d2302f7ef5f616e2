// Kubeconfig files (client-go's tools/clientcmd): clusters (where and how to trust them), users
// (credentials), contexts (a cluster + a user + a default namespace) and the current context.
// Several files merge — from --kubeconfig alone, else from every file in $KUBECONFIG, else
// ~/.kube/config — and where they disagree the first file to define a name (or the current
// context) wins. Relative file paths inside a file are relative to that file's directory.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface KubeconfigCluster {
  server?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
  certificateAuthority?: string;
  /** PEM, decoded from the file's base64 */
  certificateAuthorityData?: string;
  proxyUrl?: string;
}

export interface KubeconfigUser {
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** present when the file asks for an exec or auth-provider plugin (not supported) */
  plugin?: 'exec' | 'auth-provider';
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext: string;
}

/** File access and environment, injected so loading is testable. */
export interface ConfigIO {
  readFile(path: string): string;
  env: Record<string, string | undefined>;
  homeDir: string;
}

export const processIO: ConfigIO = {
  readFile: (path) => readFileSync(path, 'utf8'),
  env: process.env,
  homeDir: homedir(),
};

export function emptyKubeconfig(): Kubeconfig {
  return { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
}

/** Go's message for a failed file operation: "open /x: no such file or directory". */
export function goFileError(op: string, path: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
  return `${op} ${path}: ${reason}`;
}

type Raw = Record<string, unknown>;

function asRecord(value: unknown, what: string): Raw {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be an object`);
  return value as Raw;
}

function str(raw: Raw, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${key} must be a string`);
  return value;
}

/** A []byte field: base64 in the file, PEM text here. */
function bytes(raw: Raw, key: string): string | undefined {
  const text = str(raw, key);
  if (text === undefined) return undefined;
  const compact = text.replace(/[\r\n]/g, '');
  const bad = compact.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0 || compact.length % 4 !== 0) throw new Error(`illegal base64 data at input byte ${bad >= 0 ? bad : compact.length}`);
  return Buffer.from(compact, 'base64').toString('utf8');
}

function named<T>(list: unknown, section: string, itemKey: string, convert: (raw: Raw) => T): Map<string, T> {
  const result = new Map<string, T>();
  if (list === undefined || list === null) return result;
  if (!Array.isArray(list)) throw new Error(`${section} must be a list`);
  for (const entry of list) {
    const item = asRecord(entry, `an entry of ${section}`);
    const name = typeof item.name === 'string' ? item.name : '';
    if (result.has(name)) throw new Error(`duplicate name ${JSON.stringify(name)} in ${section}`);
    result.set(name, convert(asRecord(item[itemKey], `${section}[${JSON.stringify(name)}].${itemKey}`)));
  }
  return result;
}

/** Parses one kubeconfig (YAML or JSON). With `path`, relative paths become relative to its directory. */
export function parseKubeconfig(text: string, path?: string): Kubeconfig {
  const fail = (message: string): never => {
    throw new Error(path ? `error loading config file ${JSON.stringify(path)}: ${message}` : message);
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return fail(`yaml: ${(err as Error).message.split('\n')[0]}`);
  }
  const base = path ? dirname(resolve(path)) : undefined;
  const file = (value: string | undefined): string | undefined => (value && base && !isAbsolute(value) ? join(base, value) : value);
  try {
    const root = asRecord(doc, 'a kubeconfig');
    return {
      clusters: named(root.clusters, 'clusters', 'cluster', (c) => ({
        server: str(c, 'server'),
        tlsServerName: str(c, 'tls-server-name'),
        insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
        certificateAuthority: file(str(c, 'certificate-authority')),
        certificateAuthorityData: bytes(c, 'certificate-authority-data'),
        proxyUrl: str(c, 'proxy-url'),
      })),
      users: named(root.users, 'users', 'user', (u) => ({
        clientCertificate: file(str(u, 'client-certificate')),
        clientCertificateData: bytes(u, 'client-certificate-data'),
        clientKey: file(str(u, 'client-key')),
        clientKeyData: bytes(u, 'client-key-data'),
        token: str(u, 'token'),
        tokenFile: file(str(u, 'tokenFile')),
        username: str(u, 'username'),
        password: str(u, 'password'),
        plugin: u.exec ? 'exec' : u['auth-provider'] ? 'auth-provider' : undefined,
      })),
      contexts: named(root.contexts, 'contexts', 'context', (c) => ({
        cluster: str(c, 'cluster'),
        user: str(c, 'user'),
        namespace: str(c, 'namespace'),
      })),
      currentContext: str(root, 'current-context') ?? '',
    };
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** Merges kubeconfigs, earlier ones taking precedence name by name. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const merged = emptyKubeconfig();
  for (const config of configs) {
    for (const [name, cluster] of config.clusters) if (!merged.clusters.has(name)) merged.clusters.set(name, cluster);
    for (const [name, user] of config.users) if (!merged.users.has(name)) merged.users.set(name, user);
    for (const [name, context] of config.contexts) if (!merged.contexts.has(name)) merged.contexts.set(name, context);
    if (merged.currentContext === '') merged.currentContext = config.currentContext;
  }
  return merged;
}

export interface LoadingRules {
  /** --kubeconfig: this file only, and it must exist */
  explicitPath?: string;
}

/** The files a load would read, in precedence order (ClientConfigLoadingRules). */
export function kubeconfigPaths(rules: LoadingRules, io: Pick<ConfigIO, 'env' | 'homeDir'>): { paths: string[]; mustExist: boolean } {
  if (rules.explicitPath) return { paths: [rules.explicitPath], mustExist: true };
  const fromEnv = (io.env.KUBECONFIG ?? '').split(':').filter((p) => p !== '');
  if (fromEnv.length > 0) return { paths: [...new Set(fromEnv)], mustExist: false };
  return { paths: [join(io.homeDir, '.kube', 'config')], mustExist: false };
}

/** Loads and merges the kubeconfig files the rules select; missing optional files are skipped. */
export function loadKubeconfig(rules: LoadingRules = {}, io: ConfigIO = processIO): Kubeconfig {
  const { paths, mustExist } = kubeconfigPaths(rules, io);
  const configs: Kubeconfig[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = io.readFile(path);
    } catch (err) {
      if (!mustExist && (err as { code?: string }).code === 'ENOENT') continue;
      throw new Error(goFileError('stat', path, err));
    }
    configs.push(parseKubeconfig(text, path));
  }
  return mergeKubeconfigs(configs);
}
