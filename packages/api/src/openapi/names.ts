// Naming rules of the Kubernetes OpenAPI documents: schema names are the Go package path reversed
// into dotted form (io.k8s.api.apps.v1.Deployment), operation ids and tags are built from the
// group, version and kind (readAppsV1NamespacedDeployment, tag apps_v1).

/** Protobuf full name → OpenAPI schema name: k8s.io.api.apps.v1.Deployment → io.k8s.api.apps.v1.Deployment. */
export function schemaName(protoFullName: string): string {
  // The protobuf package of apiextensions replaces the Go module's "-" with "_".
  const goPath = protoFullName.replace(/^k8s\.io\.apiextensions_apiserver\./, 'k8s.io.apiextensions-apiserver.');
  return goPath.replace(/^k8s\.io\./, 'io.k8s.');
}

export function schemaRef(protoFullName: string): string {
  return `#/components/schemas/${schemaName(protoFullName)}`;
}

/**
 * The group as a lower-camel identifier: "" → core, apps → apps, rbac.authorization.k8s.io →
 * rbacAuthorization, networking.k8s.io → networking.
 */
export function groupIdentifier(group: string): string {
  if (group === '') return 'core';
  const parts = group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  return parts.map((p, i) => (i === 0 ? p : capitalize(p))).join('');
}

/** The tag of every operation of a group version, e.g. apps_v1, core_v1. */
export function operationTag(group: string, version: string): string {
  return `${groupIdentifier(group)}_${version}`;
}

/** The group-version part of an operation id, e.g. AppsV1, CoreV1, RbacAuthorizationV1. */
export function operationGroupVersion(group: string, version: string): string {
  return capitalize(groupIdentifier(group)) + capitalize(version);
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Index key and URL path of a group version's document: api/v1, apis/apps/v1. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
