// imagePullPolicy's default depends on the image's tag, so defaulting must parse image references
// the way the container runtime's reference library does (the "docker reference" grammar):
//   [domain[:port]/]path-component(/path-component)*[:tag][@digest]
// An image with neither tag nor digest means ":latest". A reference that does not parse has no
// tag at all, and Kubernetes then picks IfNotPresent (validation rejects it later anyway).

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const NAME_MAX_LENGTH = 255;
const HEX_IDENTIFIER = /^[a-f0-9]{64}$/;

export interface ImageReference {
  /** repository name, e.g. "nginx" or "registry.local:5000/team/app" */
  readonly name: string;
  /** "" when the reference has only a digest */
  readonly tag: string;
  readonly digest: string;
}

/** Parses an image reference; undefined when it is not a valid reference. */
export function parseImageReference(image: string): ImageReference | undefined {
  // A bare 64-hex string would be mistaken for an image ID, so the reference library refuses it.
  if (HEX_IDENTIFIER.test(image)) return undefined;
  // The first component is a registry only if it looks like a host (a dot, a port, localhost);
  // otherwise the image lives on Docker Hub and the whole name must be lowercase.
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const remote = hasRegistry ? image.slice(slash + 1) : image;
  if (remote !== remote.toLowerCase()) return undefined;
  const match = REFERENCE.exec(image);
  if (!match || match[1]!.length > NAME_MAX_LENGTH) return undefined;
  const tag = match[2] ?? '';
  const digest = match[3] ?? '';
  return { name: match[1]!, tag: tag === '' && digest === '' ? 'latest' : tag, digest };
}

/** SetDefaults_Container's rule: Always for ":latest" (or no tag), IfNotPresent otherwise. */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  const reference = typeof image === 'string' ? parseImageReference(image) : undefined;
  return reference?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
