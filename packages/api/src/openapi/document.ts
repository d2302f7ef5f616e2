// OpenAPI v3 documents, one per group version, as kube-apiserver serves them under /openapi/v3.
// Each is built once, serialised once and addressed by a content hash: clients (kubectl) fetch
// the index, then each document at its `?hash=` URL, and may cache it for as long as the hash holds.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../object.ts';
import { servedGroups, resourcesOf } from '../discovery/groups.ts';
import { groupVersionPath } from './names.ts';
import { groupVersionPaths } from './paths.ts';
import { schemasReachableFrom } from './schemas.ts';

/** The server version the documents name in `info.version`. */
export const OPENAPI_INFO_VERSION = 'v1.32.0';

export interface OpenApiDocument {
  /** the document as JSON text, exactly the bytes to serve */
  readonly body: string;
  /** uppercase hex SHA-512 of body, the form kube-apiserver uses in ?hash= */
  readonly hash: string;
}

/** Builds the OpenAPI v3 document of one group version. */
export function buildGroupVersionDocument(group: string, version: string): JsonObject | undefined {
  const served = servedGroups().find((g) => g.group === group);
  if (!served || !served.versions.includes(version)) return undefined;
  const { paths, schemaRoots } = groupVersionPaths(group, version, resourcesOf(served, version));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    components: {
      schemas: schemasReachableFrom(schemaRoots),
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
      },
    },
  };
}

const cache = new Map<string, OpenApiDocument | null>();

/** Every group version path ("api/v1", "apis/apps/v1", …) in discovery order. */
function servedDocumentPaths(): string[] {
  return servedGroups().flatMap((g) => g.versions.map((v) => groupVersionPath(g.group, v)));
}

/** The document for "api/v1" or "apis/<group>/<version>", built on first use; undefined if not served. */
export function openApiV3Document(path: string): OpenApiDocument | undefined {
  const cached = cache.get(path);
  if (cached !== undefined) return cached ?? undefined;
  const gv = parseGroupVersionPath(path);
  const document = gv ? buildGroupVersionDocument(gv.group, gv.version) : undefined;
  const result = document ? serialise(document) : null;
  cache.set(path, result);
  return result ?? undefined;
}

/** GET /openapi/v3: where each group version's document lives, its URL pinned to the content hash. */
export function openApiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const path of servedDocumentPaths()) {
    const document = openApiV3Document(path);
    if (document) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${document.hash}` };
  }
  return { paths };
}

function parseGroupVersionPath(path: string): { group: string; version: string } | undefined {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length === 2 && parts[0] === 'api') return { group: '', version: parts[1] };
  if (parts.length === 3 && parts[0] === 'apis') return { group: parts[1], version: parts[2] };
  return undefined;
}

function serialise(document: JsonObject): OpenApiDocument {
  const body = JSON.stringify(document);
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}
