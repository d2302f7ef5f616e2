// Swagger 2.0 schemas from the OpenAPI v3 ones (../schemas.ts builds those from the schema
// registry). kube-apiserver publishes the same types both ways; the v2 form differs in what
// Swagger 2.0 can say and in what kubectl's v2 reader (kube-openapi util/proto) understands:
// - a reference is a bare `$ref` under #/definitions/, with its description beside it — v2 has
//   no `allOf` wrapping, and kubectl would read an allOf-only schema as "anything";
// - no `oneOf`: int-or-string and Quantity are published as `type: string` (with format
//   int-or-string for the former), which kubectl's validation accepts numbers for;
// - no `default` and no `enum`: kube-apiserver leaves both out of v2;
// - the structural-schema markers (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields)
//   exist only in v3.
import { isJsonObject, type JsonObject, type JsonValue } from '../../object.ts';

const V3_REF_PREFIX = '#/components/schemas/';
export const V2_REF_PREFIX = '#/definitions/';

const V3_ONLY_KEYS = new Set(['default', 'enum', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields']);

/** #/components/schemas/X → #/definitions/X. */
function swaggerRef(v3Ref: string): string {
  if (!v3Ref.startsWith(V3_REF_PREFIX)) throw new Error(`openapi v2: unexpected reference ${v3Ref}`);
  return V2_REF_PREFIX + v3Ref.slice(V3_REF_PREFIX.length);
}

/** One OpenAPI v3 schema (a component, a property, an item, a response body) in its Swagger 2.0 form. */
export function swaggerSchema(v3: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(v3)) {
    if (V3_ONLY_KEYS.has(key)) continue;
    switch (key) {
      case '$ref':
        out.$ref = swaggerRef(value as string);
        break;
      case 'allOf':
        Object.assign(out, soleReference(value));
        break;
      case 'oneOf':
        // Only the primitive alternatives of int-or-string and Quantity are ever published.
        out.type = 'string';
        break;
      case 'items':
      case 'additionalProperties':
        out[key] = isJsonObject(value) ? swaggerSchema(value) : value;
        break;
      case 'properties':
        out.properties = mapValues(value as JsonObject, (p) => swaggerSchema(p as JsonObject));
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

/** `allOf: [{$ref}]`, the v3 way to give a reference its own description, as a v2 `$ref`. */
function soleReference(allOf: JsonValue): JsonObject {
  if (!Array.isArray(allOf) || allOf.length !== 1 || !isJsonObject(allOf[0]) || typeof allOf[0].$ref !== 'string') {
    throw new Error(`openapi v2: cannot express allOf ${JSON.stringify(allOf)} in Swagger 2.0`);
  }
  return { $ref: swaggerRef(allOf[0].$ref) };
}

function mapValues(o: JsonObject, f: (v: JsonValue, key: string) => JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(o)) out[key] = f(value, key);
  return out;
}
