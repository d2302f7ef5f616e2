import { describe, expect, it } from 'vitest';
import { buildAdmissionChain, enabledAdmissionPlugins } from './plugins.ts';
import { dependencies, memoryState } from './test-support.ts';

const DEFAULTS = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'TaintNodesByCondition',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'DefaultIngressClass',
  'ResourceQuota',
];

describe('enabledAdmissionPlugins', () => {
  it("runs kube-apiserver's default-on plugins that k8ts has, in Kubernetes' order", () => {
    expect(enabledAdmissionPlugins()).toEqual(DEFAULTS);
  });

  it('adds enabled plugins at their place in the order, whatever order the flag gives', () => {
    expect(enabledAdmissionPlugins(['AlwaysDeny', 'NodeRestriction'])).toEqual([
      'NamespaceLifecycle',
      'LimitRanger',
      'ServiceAccount',
      'NodeRestriction',
      'TaintNodesByCondition',
      'Priority',
      'DefaultTolerationSeconds',
      'DefaultStorageClass',
      'DefaultIngressClass',
      'ResourceQuota',
      'AlwaysDeny',
    ]);
  });

  it('drops disabled plugins, including default-on ones k8ts does not have', () => {
    expect(enabledAdmissionPlugins([], ['ServiceAccount', 'PodSecurity', 'DefaultIngressClass'])).toEqual(DEFAULTS.filter((n) => n !== 'ServiceAccount' && n !== 'DefaultIngressClass'));
  });

  it('refuses unknown names with kube-apiserver wording, all at once', () => {
    expect(() => enabledAdmissionPlugins(['Foo'])).toThrow(/^enable-admission-plugins plugin "Foo" is unknown$/);
    expect(() => enabledAdmissionPlugins(['Foo'], ['bar'])).toThrow(
      /^\[enable-admission-plugins plugin "Foo" is unknown, disable-admission-plugins plugin "bar" is unknown\]$/,
    );
  });

  it('refuses a plugin both enabled and disabled', () => {
    expect(() => enabledAdmissionPlugins(['Priority', 'NodeRestriction'], ['Priority', 'NodeRestriction'])).toThrow(
      /^\[NodeRestriction Priority\] in enable-admission-plugins and disable-admission-plugins overlapped$/,
    );
  });

  it('says so when asked for a Kubernetes plugin k8ts does not have', () => {
    expect(() => enabledAdmissionPlugins(['NamespaceAutoProvision'])).toThrow('enable-admission-plugins plugin "NamespaceAutoProvision" is not implemented by k8ts');
  });
});

describe('buildAdmissionChain', () => {
  it('builds the named plugins in the given order', () => {
    const chain = buildAdmissionChain(enabledAdmissionPlugins(['NodeRestriction']), dependencies(memoryState({})));
    expect(chain.names).toEqual(enabledAdmissionPlugins(['NodeRestriction']));
  });
});
