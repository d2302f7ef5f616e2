// Which admission plugins run, in which order: kube-apiserver 1.32's list, its default-on set,
// --enable-admission-plugins and --disable-admission-plugins, checked with its wording.
import { alwaysAdmit } from './always-admit.ts';
import { alwaysDeny } from './always-deny.ts';
import type { PluginDependencies, PluginFactory } from './attributes.ts';
import { AdmissionChain } from './chain.ts';
import { defaultIngressClass } from './default-ingress-class.ts';
import { defaultStorageClass } from './default-storage-class.ts';
import { defaultTolerationSeconds } from './default-toleration-seconds.ts';
import { limitRanger } from './limit-ranger.ts';
import { namespaceLifecycle } from './namespace-lifecycle.ts';
import { nodeRestriction } from './node-restriction.ts';
import { priority } from './priority.ts';
import { resourceQuota } from './resource-quota.ts';
import { serviceAccount } from './service-account.ts';
import { taintNodesByCondition } from './taint-nodes-by-condition.ts';

/**
 * Every plugin kube-apiserver 1.32 knows, in the order they run whatever order the flags give
 * (its AllOrderedPlugins): webhooks, policies and quota come last so they see the final object.
 */
export const ADMISSION_PLUGIN_ORDER = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
] as const;

/** The plugins on unless disabled (kube-apiserver 1.32's default-on set). */
export const DEFAULT_ON_PLUGINS: ReadonlySet<string> = new Set([
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'TaintNodesByCondition',
  'PodSecurity',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
]);

/**
 * The plugins k8ts has. The default-on ones it lacks (PodSecurity, webhooks,
 * …) are skipped; naming one it lacks in --enable-admission-plugins is a startup error.
 */
const IMPLEMENTED: Readonly<Record<string, PluginFactory>> = {
  AlwaysAdmit: alwaysAdmit,
  NamespaceLifecycle: namespaceLifecycle,
  LimitRanger: limitRanger,
  ServiceAccount: serviceAccount,
  NodeRestriction: nodeRestriction,
  TaintNodesByCondition: taintNodesByCondition,
  Priority: priority,
  DefaultTolerationSeconds: defaultTolerationSeconds,
  DefaultStorageClass: defaultStorageClass,
  DefaultIngressClass: defaultIngressClass,
  ResourceQuota: resourceQuota,
  AlwaysDeny: alwaysDeny,
};

/** kube-apiserver prints several flag errors as one aggregate: "[first, second]". */
function aggregate(problems: string[]): string {
  return problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`;
}

/**
 * The plugins to run, in order: the default-on set plus `enable` minus `disable`. Throws for
 * unknown names, a name in both lists (kube-apiserver's messages), or one k8ts lacks.
 */
export function enabledAdmissionPlugins(enable: readonly string[] = [], disable: readonly string[] = []): string[] {
  const known = new Set<string>(ADMISSION_PLUGIN_ORDER);
  const problems = [
    ...enable.filter((name) => !known.has(name)).map((name) => `enable-admission-plugins plugin "${name}" is unknown`),
    ...disable.filter((name) => !known.has(name)).map((name) => `disable-admission-plugins plugin "${name}" is unknown`),
  ];
  const overlap = [...new Set(enable.filter((name) => disable.includes(name)))].sort();
  if (overlap.length > 0) problems.push(`[${overlap.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`);
  if (problems.length === 0) {
    problems.push(...enable.filter((name) => !IMPLEMENTED[name]).map((name) => `enable-admission-plugins plugin "${name}" is not implemented by k8ts`));
  }
  if (problems.length > 0) throw new Error(aggregate(problems));
  return ADMISSION_PLUGIN_ORDER.filter((name) => (DEFAULT_ON_PLUGINS.has(name) && !disable.includes(name)) || enable.includes(name)).filter(
    (name) => IMPLEMENTED[name] !== undefined,
  );
}

/** The chain of the named plugins (names from enabledAdmissionPlugins). */
export function buildAdmissionChain(names: readonly string[], deps: PluginDependencies): AdmissionChain {
  return new AdmissionChain(names.map((name) => IMPLEMENTED[name]!(deps)));
}
