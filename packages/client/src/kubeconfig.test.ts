import { describe, expect, it } from 'vitest';
import { clientConfig, ConfigurationError } from './client-config.ts';
import { inClusterConfig, restConfigFromFlags } from './in-cluster.ts';
import { loadKubeconfig, parseKubeconfig, type ConfigIO } from './kubeconfig.ts';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Files and environment in memory; reading a missing file fails like fs does. */
function io(files: Record<string, string>, env: Record<string, string> = {}): ConfigIO {
  return {
    readFile(path) {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return files[path];
    },
    env,
    homeDir: '/home/dev',
  };
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: k8ts-admin
preferences: {}
clusters:
- name: k8ts
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(CA_PEM)}
- name: plain
  cluster:
    server: http://127.0.0.1:8080
- name: filed
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: pki/ca.crt
contexts:
- name: k8ts-admin
  context: {cluster: k8ts, user: admin, namespace: kube-system}
- name: plain
  context: {cluster: plain, user: admin}
- name: filed
  context: {cluster: filed, user: cert-user}
users:
- name: admin
  user:
    token: s3cret
- name: cert-user
  user:
    client-certificate: pki/alice.crt
    client-key: /etc/k8ts/alice.key
`;

describe('parseKubeconfig', () => {
  it('reads clusters, users, contexts and the current context; data fields are decoded', () => {
    const config = parseKubeconfig(KUBECONFIG, '/home/dev/.kube/config');
    expect(config.currentContext).toBe('k8ts-admin');
    expect(config.clusters.get('k8ts')).toMatchObject({ server: 'https://127.0.0.1:6443', certificateAuthorityData: CA_PEM });
    expect(config.contexts.get('k8ts-admin')).toEqual({ cluster: 'k8ts', user: 'admin', namespace: 'kube-system' });
    // Relative paths are relative to the file that names them.
    expect(config.clusters.get('filed')?.certificateAuthority).toBe('/home/dev/.kube/pki/ca.crt');
    expect(config.users.get('cert-user')).toMatchObject({ clientCertificate: '/home/dev/.kube/pki/alice.crt', clientKey: '/etc/k8ts/alice.key' });
  });

  it('accepts JSON kubeconfigs', () => {
    const config = parseKubeconfig(JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'https://h:1', 'insecure-skip-tls-verify': true } }] }));
    expect(config.clusters.get('c')).toMatchObject({ server: 'https://h:1', insecureSkipTlsVerify: true });
  });

  it('reports broken files clearly', () => {
    expect(() => parseKubeconfig('clusters: [', '/k')).toThrow(/^error loading config file "\/k": yaml: /);
    expect(() => parseKubeconfig('users:\n- name: u\n  user:\n    token: 1\n')).toThrow('token must be a string');
    expect(() => parseKubeconfig('clusters:\n- name: c\n  cluster:\n    certificate-authority-data: "not*base64"\n')).toThrow('illegal base64 data at input byte 3');
    expect(() => parseKubeconfig('contexts:\n- name: a\n  context: {}\n- name: a\n  context: {}\n')).toThrow('duplicate name "a" in contexts');
  });
});

describe('clientConfig', () => {
  const files = io({ '/home/dev/.kube/pki/ca.crt': CA_PEM, '/home/dev/.kube/pki/alice.crt': 'cert', '/etc/k8ts/alice.key': 'key' });
  const config = parseKubeconfig(KUBECONFIG, '/home/dev/.kube/config');

  it('builds the RestConfig of the current context', () => {
    expect(clientConfig(config, {}, files)).toEqual({
      restConfig: { host: 'https://127.0.0.1:6443', tls: { caData: CA_PEM }, bearerToken: 's3cret' },
      namespace: 'kube-system',
      context: 'k8ts-admin',
    });
  });

  it('uses client certificates from files', () => {
    expect(clientConfig(config, { context: 'filed' }, files).restConfig).toEqual({
      host: 'https://10.0.0.1:6443',
      tls: { caFile: '/home/dev/.kube/pki/ca.crt', certFile: '/home/dev/.kube/pki/alice.crt', keyFile: '/etc/k8ts/alice.key' },
    });
  });

  it('sends no credentials to an http:// server, as kubectl does', () => {
    const { restConfig, namespace } = clientConfig(config, { context: 'plain' }, files);
    expect(restConfig).toEqual({ host: 'http://127.0.0.1:8080' });
    expect(namespace).toBe('default');
  });

  it('layers flags over the file', () => {
    const { restConfig, namespace } = clientConfig(config, { server: 'https://192.168.1.5:6443', token: 'other', namespace: 'dev', insecureSkipTlsVerify: true }, files);
    expect(restConfig).toEqual({ host: 'https://192.168.1.5:6443', tls: { insecure: true }, bearerToken: 'other' });
    expect(namespace).toBe('dev');
  });

  it('works from flags alone', () => {
    expect(clientConfig(parseKubeconfig(''), { server: 'https://10.1.1.1:6443', token: 't' }, files).restConfig).toEqual({
      host: 'https://10.1.1.1:6443',
      tls: {},
      bearerToken: 't',
    });
  });

  const problem = (kubeconfig: string, overrides = {}, fs = files): string => {
    try {
      clientConfig(parseKubeconfig(kubeconfig, '/cfg/config'), overrides, fs);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('explains unusable configurations with clientcmd\'s messages', () => {
    expect(problem('')).toBe('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
    expect(problem(KUBECONFIG, { context: 'nope' })).toBe(
      'invalid configuration: [context was not found for specified context: nope, cluster has no server defined]',
    );
    expect(problem('clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: true}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n')).toBe(
      'invalid configuration: no server found for cluster "c"',
    );
    expect(problem(KUBECONFIG, { username: 'bob', password: 'pw' })).toBe(
      'invalid configuration: more than one authentication method found for admin; found [token basicAuth], only one is allowed',
    );
    expect(problem(KUBECONFIG, { context: 'filed' }, io({}))).toBe(
      'invalid configuration: [unable to read client-cert /cfg/pki/alice.crt for cert-user due to open /cfg/pki/alice.crt: no such file or directory, ' +
        'unable to read client-key /etc/k8ts/alice.key for cert-user due to open /etc/k8ts/alice.key: no such file or directory, ' +
        'unable to read certificate-authority /cfg/pki/ca.crt for filed due to open /cfg/pki/ca.crt: no such file or directory]',
    );
    expect(problem('users:\n- name: u\n  user: {client-certificate-data: Y2VydA==}\ncontexts:\n- name: x\n  context: {user: u}\ncurrent-context: x\n', { server: 'https://h' })).toBe(
      'invalid configuration: client-key-data or client-key must be specified for u to use the clientCert authentication method.',
    );
    expect(problem('users:\n- name: u\n  user:\n    exec: {command: aws}\ncontexts:\n- name: x\n  context: {user: u}\ncurrent-context: x\n', { server: 'https://h' })).toBe(
      'invalid configuration: exec credential plugins are not supported by k8ts (user "u")',
    );
  });
});

describe('loadKubeconfig', () => {
  const a = 'clusters:\n- name: shared\n  cluster: {server: "https://a:6443"}\ncurrent-context: from-a\n';
  const b = 'clusters:\n- name: shared\n  cluster: {server: "https://b:6443"}\n- name: only-b\n  cluster: {server: "https://b2:6443"}\ncurrent-context: from-b\n';

  it('merges $KUBECONFIG files, the first to define a name winning, and skips missing ones', () => {
    const config = loadKubeconfig({}, io({ '/a': a, '/b': b }, { KUBECONFIG: '/missing:/a:/b' }));
    expect(config.clusters.get('shared')?.server).toBe('https://a:6443');
    expect(config.clusters.get('only-b')?.server).toBe('https://b2:6443');
    expect(config.currentContext).toBe('from-a');
  });

  it('reads ~/.kube/config by default, and an absent one is an empty config', () => {
    expect(loadKubeconfig({}, io({ '/home/dev/.kube/config': a })).currentContext).toBe('from-a');
    expect(loadKubeconfig({}, io({})).clusters.size).toBe(0);
  });

  it('requires an explicit --kubeconfig to exist, and reads only it', () => {
    expect(() => loadKubeconfig({ explicitPath: '/nope' }, io({}))).toThrow('stat /nope: no such file or directory');
    expect(loadKubeconfig({ explicitPath: '/b' }, io({ '/a': a, '/b': b }, { KUBECONFIG: '/a' })).currentContext).toBe('from-b');
  });
});

describe('in-cluster configuration', () => {
  const pod = io(
    {
      '/var/run/secrets/kubernetes.io/serviceaccount/token': 'eyJhbGciOi\n',
      '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt': CA_PEM,
      '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'team-a',
    },
    { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
  );

  it('reaches the kubernetes Service with the mounted service-account token', () => {
    expect(inClusterConfig(pod)).toEqual({
      restConfig: {
        host: 'https://10.96.0.1:443',
        bearerToken: 'eyJhbGciOi',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tls: { caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
      },
      namespace: 'team-a',
      context: '',
    });
  });

  it('is what flags give inside a pod with no kubeconfig, and not otherwise', () => {
    expect(restConfigFromFlags({}, pod).restConfig.host).toBe('https://10.96.0.1:443');
    expect(restConfigFromFlags({ server: 'http://127.0.0.1:8080' }, pod).restConfig).toEqual({ host: 'http://127.0.0.1:8080' });
    expect(() => inClusterConfig(io({}))).toThrow('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
    expect(() => restConfigFromFlags({}, io({}))).toThrow('invalid configuration: no configuration has been provided');
  });
});
