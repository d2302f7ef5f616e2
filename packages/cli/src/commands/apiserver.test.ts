import { describe, expect, it } from 'vitest';
import { parseApiserverFlags } from './apiserver.ts';

const BASE = ['--insecure-port', '0'];

describe('k8ts apiserver --watch-cache-sizes', () => {
  it('reads resource[.group]#size entries', () => {
    const config = parseApiserverFlags([...BASE, '--watch-cache-sizes', 'secrets#20,deployments.apps#500']);
    expect(config !== 'help' && config.watchCacheSizes).toEqual({ secrets: 20, 'deployments.apps': 500 });
  });

  it('leaves the default window alone without the flag', () => {
    const config = parseApiserverFlags(BASE);
    expect(config !== 'help' && config.watchCacheSizes).toBeUndefined();
  });

  it('refuses malformed entries and sizes below one', () => {
    for (const value of ['secrets', 'secrets#', 'secrets#0', 'Secrets#5', 'secrets#5,']) {
      expect(() => parseApiserverFlags([...BASE, '--watch-cache-sizes', value]), value).toThrow(/invalid --watch-cache-sizes entry/);
    }
  });
});

describe('k8ts apiserver authentication flags', () => {
  it('reads repeatable ServiceAccount key files and issuers, audiences and the token lifetime cap', () => {
    const config = parseApiserverFlags([
      ...BASE,
      '--service-account-key-file', 'a.pub',
      '--service-account-key-file', 'b.pub',
      '--service-account-signing-key-file', 'sa.key',
      '--service-account-issuer', 'https://one',
      '--service-account-issuer', 'https://two',
      '--api-audiences', 'api,vault',
      '--service-account-max-token-expiration', '48h',
      '--authentication-config', 'authn.yaml',
    ]);
    expect(config).toMatchObject({
      serviceAccountKeyFiles: ['a.pub', 'b.pub'],
      serviceAccountSigningKeyFile: 'sa.key',
      serviceAccountIssuers: ['https://one', 'https://two'],
      apiAudiences: ['api', 'vault'],
      serviceAccountMaxTokenExpirationSeconds: 48 * 3600,
      authenticationConfigFile: 'authn.yaml',
    });
  });

  it('takes Go bool flags bare or with =value, and notes an explicit --anonymous-auth', () => {
    expect(parseApiserverFlags([...BASE, '--enable-bootstrap-token-auth'])).toMatchObject({ enableBootstrapTokenAuth: true });
    expect(parseApiserverFlags([...BASE, '--enable-bootstrap-token-auth=false'])).not.toHaveProperty('enableBootstrapTokenAuth');
    expect(parseApiserverFlags([...BASE, '--anonymous-auth=False'])).toMatchObject({ anonymousAuth: false, anonymousAuthSet: true });
    expect(parseApiserverFlags(BASE)).toMatchObject({ anonymousAuth: true });
    expect(parseApiserverFlags(BASE)).not.toHaveProperty('anonymousAuthSet');
    expect(() => parseApiserverFlags([...BASE, '--anonymous-auth=nope'])).toThrow(
      'invalid argument "nope" for "--anonymous-auth" flag: strconv.ParseBool: parsing "nope": invalid syntax',
    );
  });
});

describe('k8ts apiserver --enable-admission-plugins / --disable-admission-plugins', () => {
  it('reads comma lists, given once or repeated, and an empty list', () => {
    const config = parseApiserverFlags([...BASE, '--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins', 'AlwaysDeny', '--disable-admission-plugins=ServiceAccount,Priority']);
    expect(config !== 'help' && [config.enableAdmissionPlugins, config.disableAdmissionPlugins]).toEqual([['NodeRestriction', 'AlwaysDeny'], ['ServiceAccount', 'Priority']]);
    const empty = parseApiserverFlags([...BASE, '--disable-admission-plugins=']);
    expect(empty !== 'help' && empty.disableAdmissionPlugins).toEqual([]);
  });

  it('stops at unknown or overlapping plugin names', () => {
    expect(() => parseApiserverFlags([...BASE, '--disable-admission-plugins=Nope'])).toThrow('disable-admission-plugins plugin "Nope" is unknown');
    expect(() => parseApiserverFlags([...BASE, '--enable-admission-plugins=Priority', '--disable-admission-plugins=Priority'])).toThrow(
      '[Priority] in enable-admission-plugins and disable-admission-plugins overlapped',
    );
  });
});

describe('k8ts apiserver --authorization-mode', () => {
  it('reads the modes in order', () => {
    const config = parseApiserverFlags([...BASE, '--authorization-mode=Node,RBAC']);
    expect(config !== 'help' && config.authorizationMode).toEqual(['Node', 'RBAC']);
  });

  it('refuses unknown and repeated modes before anything starts', () => {
    expect(() => parseApiserverFlags([...BASE, '--authorization-mode', 'RBAC,Rbac'])).toThrow('authorization-mode "Rbac" is not a valid mode');
    expect(() => parseApiserverFlags([...BASE, '--authorization-mode', 'RBAC,RBAC'])).toThrow('has mode specified more than once');
    expect(() => parseApiserverFlags([...BASE, '--authorization-mode', ''])).toThrow('at least one authorization-mode must be passed');
  });
});

describe('k8ts apiserver kubelet client flags', () => {
  it('reads the kubelet client certificate, CA and --metric-resolution', () => {
    const config = parseApiserverFlags([
      ...BASE,
      '--kubelet-client-certificate=kc.crt',
      '--kubelet-client-key=kc.key',
      '--kubelet-certificate-authority=ca.crt',
      '--metric-resolution=2s',
    ]);
    expect(config).toMatchObject({ kubeletClientCertificate: 'kc.crt', kubeletClientKey: 'kc.key', kubeletCertificateAuthority: 'ca.crt', metricResolutionMs: 2000 });
  });

  it('leaves the resource metrics API off without a client certificate', () => {
    const config = parseApiserverFlags(BASE);
    expect(config !== 'help' && config.kubeletClientCertificate).toBeUndefined();
  });

  it('wants certificate and key together, and a resolution of at least a second', () => {
    expect(() => parseApiserverFlags([...BASE, '--kubelet-client-certificate=kc.crt'])).toThrow('--kubelet-client-certificate and --kubelet-client-key must be given together');
    expect(() => parseApiserverFlags([...BASE, '--metric-resolution=0s'])).toThrow(/invalid --metric-resolution "0s"/);
  });
});
