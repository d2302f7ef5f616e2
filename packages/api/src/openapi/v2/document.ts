// The cluster's Swagger 2.0 document, as kube-apiserver serves it at /openapi/v2: every path of
// every served group version and every definition they use, in one document. It is assembled
// from the OpenAPI v3 group-version documents (one source for both), converted to Swagger 2.0,
// and kept in the two encodings clients ask for — JSON, and the gnostic protobuf kubectl reads.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../../object.ts';
import { byteOrder, servedGroups } from '../../discovery/groups.ts';
import { buildGroupVersionDocument, OPENAPI_INFO_VERSION } from '../document.ts';
import { schemasReachableFrom } from '../schemas.ts';
import { DISCOVERY_MESSAGES, discoveryPaths } from './discovery-paths.ts';
import { encodeGnosticDocument } from './gnostic.ts';
import { swaggerPathItem } from './swagger-paths.ts';
import { swaggerSchema } from './swagger-schema.ts';

/** Builds the Swagger 2.0 document of every built-in group version. */
export function buildSwaggerDocument(): JsonObject {
  const paths: Record<string, JsonObject> = discoveryPaths();
  const definitions: Record<string, JsonObject> = {};
  const addDefinitions = (schemas: JsonObject) => {
    for (const [name, s] of Object.entries(schemas)) definitions[name] ??= swaggerSchema(s as JsonObject);
  };
  addDefinitions(schemasReachableFrom(DISCOVERY_MESSAGES));
  let securitySchemes: JsonObject = {};
  for (const served of servedGroups()) {
    for (const version of served.versions) {
      const v3 = buildGroupVersionDocument(served.group, version)!;
      for (const [path, item] of Object.entries(v3.paths as JsonObject)) paths[path] = swaggerPathItem(item as JsonObject);
      const components = v3.components as JsonObject;
      addDefinitions(components.schemas as JsonObject);
      securitySchemes = components.securitySchemes as JsonObject;
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths: sortedByKey(paths),
    definitions: sortedByKey(definitions),
    // v3's security schemes are API keys, which Swagger 2.0 writes the same way.
    securityDefinitions: securitySchemes,
    security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })),
  };
}

function sortedByKey(o: Record<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(o).sort(byteOrder)) out[key] = o[key];
  return out;
}

export interface OpenApiV2 {
  /** the document as JSON text, exactly the bytes to serve */
  readonly json: string;
  /** the same document as a gnostic openapi.v2.Document protobuf message */
  readonly protobuf: Buffer;
  /**
   * uppercase hex SHA-512 of the JSON; kube-openapi gives the protobuf form the same ETag, since
   * responses vary by Accept anyway
   */
  readonly etag: string;
}

let cached: OpenApiV2 | undefined;

/** The whole cluster's Swagger 2.0 document as JSON and as gnostic protobuf, built once on first use. */
export function openApiV2(): OpenApiV2 {
  if (!cached) {
    const document = buildSwaggerDocument();
    const json = JSON.stringify(document);
    cached = {
      json,
      protobuf: encodeGnosticDocument(document),
      etag: createHash('sha512').update(json).digest('hex').toUpperCase(),
    };
  }
  return cached;
}
