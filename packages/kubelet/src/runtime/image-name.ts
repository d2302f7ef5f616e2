// Image names the way container runtimes store them (the Docker reference rules, which
// containerd and CRI-O share): a name without a registry is on docker.io, a single-component
// Docker Hub name lives under "library/", and a name without tag or digest means ":latest".
// `kubectl get pod -o yaml` shows these normalized names in containerStatuses[].image.

export interface ImageReference {
  /** registry/path without tag or digest, e.g. docker.io/library/nginx */
  repository: string;
  tag?: string;
  /** "sha256:…" */
  digest?: string;
}

/** Whether the first path component names a registry host rather than a Docker Hub user. */
function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; one before it is a registry port.
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const components = rest.split('/');
  if (components.length === 1) rest = `docker.io/library/${rest}`;
  else if (!isRegistryHost(components[0]!)) rest = `docker.io/${rest}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The normalized name: docker.io/library/nginx:latest, registry.k8s.io/pause:3.10, repo@sha256:… */
export function normalizedImageName(image: string): string {
  const ref = parseImageReference(image);
  return ref.digest !== undefined && ref.tag === undefined ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
}
