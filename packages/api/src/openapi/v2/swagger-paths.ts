// Swagger 2.0 path items from the OpenAPI v3 ones (../paths.ts builds those). The operations
// are the same; v2 spells their I/O differently:
// - the request body is a parameter named "body" (in: body), listed before the others;
// - media types are `consumes` / `produces` lists on the operation instead of `content` maps,
//   in the order kube-apiserver registers them (json, yaml, protobuf, then the watch streams);
// - a parameter carries `type` / `uniqueItems` itself instead of a `schema`;
// - every operation names its scheme (https).
// kubectl (1.27, 1.28) checks server-side field validation support here: the PATCH operation
// with the manifest's x-kubernetes-group-version-kind must list `fieldValidation` among its own
// parameters (it does not look at the path's shared ones).
import { isJsonObject, type JsonObject, type JsonValue } from '../../object.ts';
import { byteOrder } from '../../discovery/groups.ts';
import { swaggerSchema } from './swagger-schema.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

// Media types in kube-apiserver's registration order; v3 lists them sorted.
const MEDIA_TYPE_ORDER = [
  'text/plain',
  '*/*',
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function inRegistrationOrder(mediaTypes: string[]): string[] {
  const rank = (t: string) => {
    const i = MEDIA_TYPE_ORDER.indexOf(t);
    if (i < 0) throw new Error(`openapi v2: no registration order for media type ${t}`);
    return i;
  };
  return [...mediaTypes].sort((a, b) => rank(a) - rank(b));
}

/** A v3 parameter ({name, in, schema: {type, uniqueItems}}) as a v2 one ({name, in, type, uniqueItems}). */
function swaggerParameter(v3: JsonObject): JsonObject {
  const { schema, ...rest } = v3;
  if (!isJsonObject(schema)) throw new Error(`openapi v2: parameter ${String(v3.name)} has no schema`);
  const merged: JsonObject = { ...rest, ...schema };
  // Keys in the order the published swagger.json lists them: description, in, name, required, type, uniqueItems.
  const out: JsonObject = {};
  for (const key of Object.keys(merged).sort(byteOrder)) out[key] = merged[key];
  return out;
}

/** The request body as v2's "body" parameter. */
function bodyParameter(requestBody: JsonObject): JsonObject {
  const [first] = Object.values(requestBody.content as JsonObject) as JsonObject[];
  const out: JsonObject = { in: 'body', name: 'body' };
  if (requestBody.required === true) out.required = true;
  out.schema = swaggerSchema(first.schema as JsonObject);
  return out;
}

function swaggerResponses(v3: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [code, response] of Object.entries(v3) as [string, JsonObject][]) {
    const v2: JsonObject = { description: response.description };
    if (isJsonObject(response.content)) {
      const [first] = Object.values(response.content) as JsonObject[];
      v2.schema = swaggerSchema(first.schema as JsonObject);
    }
    out[code] = v2;
  }
  return out;
}

/** The media types an operation answers with: those of its first response that has a body. */
function produces(responses: JsonObject): string[] {
  for (const response of Object.values(responses) as JsonObject[]) {
    if (isJsonObject(response.content)) return inRegistrationOrder(Object.keys(response.content));
  }
  return [];
}

function swaggerOperation(v3: JsonObject): JsonObject {
  const requestBody = isJsonObject(v3.requestBody) ? v3.requestBody : undefined;
  const parameters: JsonValue[] = [];
  if (requestBody) parameters.push(bodyParameter(requestBody));
  for (const p of (v3.parameters as JsonObject[] | undefined) ?? []) parameters.push(swaggerParameter(p));
  const responses = v3.responses as JsonObject;
  const out: JsonObject = {
    consumes: requestBody ? inRegistrationOrder(Object.keys(requestBody.content as JsonObject)) : ['*/*'],
    description: v3.description,
    operationId: v3.operationId,
  };
  if (parameters.length > 0) out.parameters = parameters;
  out.produces = produces(responses);
  out.responses = swaggerResponses(responses);
  out.schemes = ['https'];
  out.tags = v3.tags;
  for (const [key, value] of Object.entries(v3)) if (key.startsWith('x-')) out[key] = value;
  return out;
}

export function swaggerPathItem(v3: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const method of METHODS) if (isJsonObject(v3[method])) out[method] = swaggerOperation(v3[method]);
  if (Array.isArray(v3.parameters)) out.parameters = (v3.parameters as JsonObject[]).map(swaggerParameter);
  return out;
}
